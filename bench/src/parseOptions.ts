import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The values of the command-line `options` in `argv` (node:util's parseArgs, strict). */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
) {
  return parseArgs({ args: argv, options }).values;
}
