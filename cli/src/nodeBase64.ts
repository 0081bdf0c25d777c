/**
 * @hyperpod/core's base64 (packages/core/src/helm/base64.ts) on Node's Buffer. The core's is pure
 * code so it runs in browsers too; the CLI bundle resolves it to this module instead
 * (scripts/bundle.mjs, docs/adr/0006-cli-bundle.md). A `status` decodes every Helm release twice
 * (the Secret's data, then Helm's own base64), and the core's loop ran cold in the interpreter:
 * ~2–3 ms a run; Buffer decodes natively.
 *
 * Same results and the same errors (Go's strict `base64.StdEncoding`, as Helm writes it); test/cli/
 * nodeBase64.test.ts checks them against the core's.
 */

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict, as the core's: a character outside the alphabet or a wrong length is an error. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0)
    throw new Base64Error(`illegal base64 data: length ${clean.length} is not a multiple of 4`);
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const bad = /[^A-Za-z0-9+/]/.exec(pad ? clean.slice(0, -pad) : clean);
  if (bad) throw new Base64Error(`illegal base64 data at input byte ${bad.index}`);
  return Buffer.from(clean, 'base64');
}

export class Base64Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Base64Error';
  }
}
