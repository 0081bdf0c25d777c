/** Opaque pagination tokens (Marker / NextToken) and paging over in-memory lists. */

export function encodeToken(index: number): string {
  return Buffer.from(JSON.stringify({ i: index }), 'utf8').toString('base64');
}

/** The start index a token stands for; undefined for a token this sandbox never issued. */
export function decodeToken(token: string | undefined): number | undefined {
  if (token === undefined) return 0;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { i?: unknown };
    return typeof v.i === 'number' && Number.isInteger(v.i) && v.i >= 0 ? v.i : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A token bound to the listing it pages (EKS): a token another listing issued is refused, as EKS
 * refuses one from another cluster or operation.
 */
export function encodeListingToken(listing: string, index: number): string {
  return Buffer.from(JSON.stringify({ l: listing, o: index })).toString('base64url');
}

/** The start index a listing token stands for; undefined for one of another listing or none issued. */
export function decodeListingToken(token: string, listing: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      l?: unknown;
      o?: unknown;
    };
    return v.l === listing && typeof v.o === 'number' && v.o >= 0 ? v.o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One page of `items` starting at `start`, and the token of the next page when there is one
 * (`encode` makes it from the next page's start index).
 */
export function page<T>(
  items: T[],
  start: number,
  size: number,
  encode: (next: number) => string = encodeToken,
): { items: T[]; next?: string } {
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, next: encode(start + size) }
    : { items: slice };
}
