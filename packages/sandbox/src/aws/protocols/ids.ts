/** Identifiers in the shapes AWS hands out (role ids, hex suffixes, UUIDs). */
import { randomBytes, randomInt } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** IAM unique ids: a 4-letter type prefix (AROA roles, ANPA policies) + 17 uppercase alphanumerics. */
export function iamUniqueId(prefix: string): string {
  return prefix + pick(UPPER_ALNUM, 17);
}

export function lowerAlnum(n: number): string {
  return pick(LOWER_ALNUM, n);
}

export function hex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

export function digits(n: number): string {
  return pick('0123456789', n);
}
