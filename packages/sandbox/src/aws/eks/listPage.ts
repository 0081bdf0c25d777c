/**
 * One page of an EKS List/Describe operation's results as its body names them (`clusters`,
 * `addons`, `updateIds`), with `nextToken` when more remain: `maxResults` from 1 to 100 (default
 * 100), tokens bound to the listing they came from.
 */
import { decodeListingToken, encodeListingToken, page } from '../protocols/pagination';
import type { AwsRequest } from '../types';
import { invalidParam } from './parseBody';

export function listPage<T>(
  req: AwsRequest,
  key: string,
  items: T[],
  listing: string,
): Record<string, unknown> {
  const rawMax = req.query.get('maxResults');
  let max = 100;
  if (rawMax !== null) {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 100)
      throw invalidParam(`maxResults must be between 1 and 100, got ${rawMax}`);
  }
  const token = req.query.get('nextToken');
  const start = token === null ? 0 : decodeListingToken(token, listing);
  if (start === undefined) throw invalidParam('The nextToken provided is invalid');
  const p = page(items, start, max, (next) => encodeListingToken(listing, next));
  return { [key]: p.items, ...(p.next ? { nextToken: p.next } : {}) };
}
