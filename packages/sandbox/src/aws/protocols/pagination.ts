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

/** One page of `items` starting at `start`, and the token of the next page when there is one. */
export function page<T>(items: T[], start: number, size: number): { items: T[]; next?: string } {
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, next: encodeToken(start + size) }
    : { items: slice };
}
