/**
 * SDK clients arrive either built (tests, callers with their own config) or as a factory the
 * gateways call on first use, so a command that never touches a service never loads its SDK.
 */
export type ClientSource<C> = C | (() => Promise<C>);

export function lazyClient<C extends object>(source: ClientSource<C>): () => Promise<C> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  let pending: Promise<C> | undefined;
  return () => {
    pending ??= (source as () => Promise<C>)().catch((e: unknown) => {
      // A failed build (e.g. a bad profile) is retried on the next call rather than cached.
      pending = undefined;
      throw e;
    });
    return pending;
  };
}

/** ISO-8601 from the Date the SDK deserialises timestamps into. */
export function isoDate(d: Date | undefined): string | undefined {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

export function tagsToRecord(
  tags: { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

export function recordToTags(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
