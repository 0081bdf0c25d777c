/**
 * The CLI bundle's stand-in for the core's base64 (cli/src/nodeBase64.ts) against the core's own:
 * the same bytes, the same text, and the same errors for what Go's strict decoder refuses.
 */
import * as core from '@hyperpod/core';
import { nodeBase64 as node } from 'kubectl-hyperpod/testing';

const bytesOf = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17) & 255);

describe('nodeBase64', () => {
  it('encodes and decodes as the core does, at every padding', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = bytesOf(n, n);
      const text = core.encodeBase64(bytes);
      expect(node.encodeBase64(bytes)).toBe(text);
      expect([...node.decodeBase64(text)]).toEqual([...core.decodeBase64(text)]);
    }
    const big = bytesOf(200_000, 3);
    expect(node.encodeBase64(big)).toBe(core.encodeBase64(big));
    // A view into a larger buffer encodes only its own bytes.
    const view = big.subarray(5, 17);
    expect(node.encodeBase64(view)).toBe(core.encodeBase64(view));
  });

  it('tolerates line breaks, as Go does', () => {
    const text = 'aGVs\nbG8s\r\nIHdv\ncmxk';
    expect([...node.decodeBase64(text)]).toEqual([...core.decodeBase64(text)]);
  });

  it('refuses what the core refuses, with the same message', () => {
    const bad = [
      'abc',
      'ab=c',
      'a===',
      '=abc',
      'ab-_',
      'aGVsbG8\u00e9',
      'YQ==YQ==',
      'YWJj ZA==',
      '*',
    ];
    for (const text of bad) {
      const expected = (() => {
        try {
          core.decodeBase64(text);
          return 'accepted';
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(expected).not.toBe('accepted');
      expect(() => node.decodeBase64(text)).toThrow(new node.Base64Error(expected));
      expect(() => node.decodeBase64(text)).toThrow(
        expect.objectContaining({ name: 'Base64Error' }),
      );
    }
  });
});
