/**
 * A cache of async answers keyed by string: concurrent askers of the same key share one
 * in-flight request, answers live for `ttlMs`, and failures are not kept (the next asker tries
 * again rather than inheriting a throttling error).
 */
export interface PromiseCacheOptions {
  /** Default: forever (one scan). */
  ttlMs?: number;
  now?: () => number;
}

export class PromiseCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; at: number }>();
  /** How many times the loader ran: the number of real calls made. */
  loads = 0;

  constructor(private readonly opts: PromiseCacheOptions = {}) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = (this.opts.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && (this.opts.ttlMs === undefined || now - hit.at < this.opts.ttlMs)) return hit.value;
    this.loads++;
    const value = load();
    const entry = { value, at: now };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
