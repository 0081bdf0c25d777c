/**
 * A command line as its arguments, written as one line: the literal text splits at whitespace;
 * a `${value}` is one argument as it is (a JSON document, say), joined to the text it touches, or
 * several arguments when it is an array.
 *
 *   commandLine`create-role --role-name r --assume-role-policy-document ${JSON.stringify(doc)}`
 */
export function commandLine(
  strings: TemplateStringsArray,
  ...values: (string | readonly string[])[]
): string[] {
  const args: string[] = [];
  let open = false; // whether the last argument goes on (no whitespace since)
  const add = (piece: string): void => {
    if (open) args[args.length - 1] += piece;
    else args.push(piece);
    open = true;
  };
  strings.forEach((text, i) => {
    text.split(/\s+/).forEach((word, j) => {
      if (j > 0) open = false;
      if (word !== '') add(word);
    });
    const value = values[i];
    if (typeof value === 'string') add(value);
    else if (value) {
      args.push(...value);
      open = false;
    }
  });
  return args;
}
