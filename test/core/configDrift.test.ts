/**
 * configDrift: declared against actual configuration values, leaf by leaf.
 */
import { configDrift } from '@hyperpod/core';

describe('configDrift', () => {
  it('compares leaves as dotted paths, arrays as values', () => {
    expect(
      configDrift({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [2, 1] }, e: true }),
    ).toEqual({ changed: ['a.b', 'a.c'], missing: ['d'], extra: ['e'] });
    expect(configDrift(undefined, undefined)).toEqual({ changed: [], missing: [], extra: [] });
  });
});
