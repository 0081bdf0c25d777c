// How the release scripts read their command line and say no.
import { parseArgs } from 'node:util';

/** `error: <message>` (and `try: <fix>`) on stderr, then exit 1. */
export function fail(message, fix) {
  process.stderr.write(`error: ${message}\n${fix ? `try: ${fix}\n` : ''}`);
  process.exit(1);
}

/**
 * The script's options, `{ name: { type: 'string' | 'boolean', default? } }` as node:util's
 * parseArgs takes them; an unknown option, a missing value or a stray argument fails.
 */
export function scriptOptions(options) {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    return fail(error.message);
  }
}
