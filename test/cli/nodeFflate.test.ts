/**
 * The CLI bundle's stand-in for fflate (cli/src/nodeFflate.ts) against fflate itself: each reads
 * what the other writes, and the string conversions give the same bytes and text.
 */
import * as fflate from 'fflate';
import { nodeFflate as node } from 'kubectl-hyperpod/testing';

const TEXTS = [
  '',
  'plain ASCII',
  '{"name":"hyperpod-inference-operator","values":{"note":"ünïcödé ✓ 𝄞"}}',
  'x'.repeat(100_000),
];

describe('nodeFflate', () => {
  it('gunzips what fflate gzips, and fflate gunzips what it gzips', () => {
    for (const text of TEXTS) {
      const bytes = fflate.strToU8(text);
      expect(
        fflate.strFromU8(node.gunzipSync(fflate.gzipSync(bytes, { level: 9, mtime: 0 }))),
      ).toBe(text);
      expect(
        fflate.strFromU8(fflate.gunzipSync(node.gzipSync(bytes, { level: 9, mtime: 0 }))),
      ).toBe(text);
    }
  });

  it('writes a gzip header with a zero modification time, as fflate does with mtime 0', () => {
    const gz = node.gzipSync(fflate.strToU8('release'), { level: 9, mtime: 0 });
    expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    expect([...gz.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
    expect(() => node.gzipSync(fflate.strToU8('release'), { mtime: 5 as 0 })).toThrow(/mtime 0/);
  });

  it('refuses data that is not gzip, as fflate does', () => {
    const junk = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3]);
    expect(() => fflate.gunzipSync(junk)).toThrow();
    expect(() => node.gunzipSync(junk)).toThrow();
  });

  it('converts strings to and from bytes exactly like fflate (UTF-8 and Latin-1)', () => {
    for (const text of [...TEXTS, 'Ā→ÿ mixed \u00e9\u00ff']) {
      expect([...node.strToU8(text)]).toEqual([...fflate.strToU8(text)]);
      expect([...node.strToU8(text, true)]).toEqual([...fflate.strToU8(text, true)]);
      const bytes = fflate.strToU8(text);
      expect(node.strFromU8(bytes)).toBe(fflate.strFromU8(bytes));
      expect(node.strFromU8(bytes, true)).toBe(fflate.strFromU8(bytes, true));
    }
    // A view into a larger buffer reads only its own bytes.
    const big = fflate.strToU8('before|middle|after');
    expect(node.strFromU8(big.subarray(7, 13))).toBe('middle');
  });

  it('replaces malformed UTF-8 the same way', () => {
    const bad = new Uint8Array([0x61, 0xff, 0x62, 0xe2, 0x82]);
    expect(node.strFromU8(bad)).toBe(fflate.strFromU8(bad));
  });
});
