/**
 * The command the user typed, re-rendered with changes, so an error can print the corrected
 * command line (`try: kubectl hyperpod status --context ml-prod-use1`).
 */

/** Long name → short alias, for the flags that have one. */
const SHORT: Record<string, string> = { output: 'o', 'all-clusters': 'A', fleet: 'f' };

export class CommandLine {
  constructor(
    /** oclif command id, `addons:versions`. */
    readonly id: string,
    readonly argv: readonly string[],
    readonly bin = 'kubectl hyperpod',
  ) {}

  /** `flags` maps a long flag name to its new value: a string sets it, `true` adds a switch, `undefined` removes it. */
  with(flags: Record<string, string | true | undefined>): string {
    let args = [...this.argv];
    for (const name of Object.keys(flags)) args = removeFlag(args, name);
    for (const [name, value] of Object.entries(flags)) {
      if (value === true) args.push(`--${name}`);
      else if (value !== undefined) args.push(`--${name}`, value);
    }
    return this.render(args);
  }

  /** The same command with a positional argument replaced (a misspelt add-on name). */
  withArgument(old: string, replacement: string): string {
    return this.render(this.argv.map((a) => (a === old ? replacement : a)));
  }

  /** The command as typed. */
  toString(): string {
    return this.render([...this.argv]);
  }

  private render(args: string[]): string {
    return [this.bin, ...this.id.split(':'), ...args.map(quote)].join(' ');
  }
}

function removeFlag(args: string[], name: string): string[] {
  const long = `--${name}`;
  const short = SHORT[name] ? `-${SHORT[name]}` : undefined;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === long || (short !== undefined && a === short)) {
      // A switch has no value; a valued flag swallows the next word unless it is another flag
      // (a negative number, `--timeout -5`, is a value).
      const next = args[i + 1];
      if (
        next !== undefined &&
        (!next.startsWith('-') || /^-\d/.test(next)) &&
        name !== 'all-clusters'
      )
        i++;
      continue;
    }
    if (a.startsWith(`${long}=`)) continue;
    if (
      short !== undefined &&
      a.startsWith(short) &&
      a.length > short.length &&
      name !== 'all-clusters'
    )
      continue;
    out.push(a);
  }
  return out;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
