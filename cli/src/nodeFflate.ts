/**
 * What @hyperpod/core takes from fflate, on Node's own zlib and Buffer. The core is isomorphic
 * and uses fflate (pure JavaScript, for the browser too); the CLI bundle resolves `fflate` to this
 * module instead (scripts/bundle.mjs, docs/adr/0006-cli-bundle.md). In a short CLI run fflate
 * costs ~5 ms to load (it sets up worker_threads) and runs cold in the interpreter, ~2–5 ms per
 * Helm release; native zlib takes well under a millisecond.
 *
 * Same signatures and results as fflate 0.8 for what the core calls; test/cli/nodeFflate.test.ts
 * checks them against fflate itself.
 */
import { gunzipSync as zlibGunzip, gzipSync as zlibGzip, constants } from 'node:zlib';

/** The gzip options the core passes (fflate's GzipOptions, in part). */
export interface GzipOptions {
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Only 0 (the default): Node's zlib always writes a zero modification time. */
  mtime?: 0;
}

/** gzip-compressed bytes → bytes. Throws on data that is not valid gzip. */
export function gunzipSync(data: Uint8Array): Uint8Array {
  return zlibGunzip(data);
}

/** bytes → gzip at `level` (default 6), with a zero modification time. */
export function gzipSync(data: Uint8Array, opts: GzipOptions = {}): Uint8Array {
  if (opts.mtime !== undefined && opts.mtime !== 0)
    throw new Error('gzipSync: only mtime 0 is supported');
  return zlibGzip(data, { level: opts.level ?? constants.Z_DEFAULT_COMPRESSION });
}

/** Bytes as a string: UTF-8 (malformed sequences become U+FFFD), or Latin-1. */
export function strFromU8(data: Uint8Array, latin1 = false): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString(
    latin1 ? 'latin1' : 'utf8',
  );
}

/** A string as bytes: UTF-8, or Latin-1 (each code unit's low byte). */
export function strToU8(str: string, latin1 = false): Uint8Array {
  return Buffer.from(str, latin1 ? 'latin1' : 'utf8');
}
