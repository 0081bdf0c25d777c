/**
 * Exact copies of the emulated AWS services' state, for `Sandbox.restore`. A service keeps its
 * state in Map fields (clusters, roles, buckets...); their contents are deep-copied with
 * prototypes, Dates and byte buffers kept, and put back into the same Map objects. Pending add-on
 * transitions (timers) are not state that can be copied: a restore refuses while any is pending.
 */

/** Per service id: per Map field name: a copy of its entries. */
export type AwsStateCopy = Record<string, Record<string, [unknown, unknown][]>>;

/** Fields that hold in-flight work, not state (EKS add-on transitions and their timers). */
const IN_FLIGHT = new Set(['pending']);

export function deepCopy<T>(v: T, seen = new Map<unknown, unknown>()): T {
  if (typeof v !== 'object' || v === null) return v;
  if (seen.has(v)) return seen.get(v) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (Buffer.isBuffer(v)) return Buffer.from(v) as T;
  if (ArrayBuffer.isView(v)) return (v as unknown as Uint8Array).slice() as T;
  if (v instanceof Map) {
    const m = new Map();
    seen.set(v, m);
    for (const [k, x] of v) m.set(deepCopy(k, seen), deepCopy(x, seen));
    return m as T;
  }
  if (v instanceof Set) {
    const s = new Set();
    seen.set(v, s);
    for (const x of v) s.add(deepCopy(x, seen));
    return s as T;
  }
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    seen.set(v, a);
    for (const x of v) a.push(deepCopy(x, seen));
    return a as T;
  }
  const o = Object.create(Object.getPrototypeOf(v) as object) as Record<string, unknown>;
  seen.set(v, o);
  for (const k of Object.keys(v)) o[k] = deepCopy((v as Record<string, unknown>)[k], seen);
  return o as T;
}

function stateMaps(service: object): [string, Map<unknown, unknown>][] {
  return Object.entries(service).filter(
    (e): e is [string, Map<unknown, unknown>] => e[1] instanceof Map && !IN_FLIGHT.has(e[0]),
  );
}

export function copyAwsState(services: Record<string, object>): AwsStateCopy {
  const out: AwsStateCopy = {};
  for (const [id, svc] of Object.entries(services)) {
    out[id] = {};
    for (const [field, m] of stateMaps(svc)) out[id][field] = deepCopy([...m.entries()]);
  }
  return out;
}

export function restoreAwsState(services: Record<string, object>, copy: AwsStateCopy): void {
  for (const [id, svc] of Object.entries(services)) {
    const pending = (svc as Record<string, unknown>)['pending'];
    if (pending instanceof Map && pending.size > 0)
      throw new Error(`sandbox restore: ${id} has ${pending.size} transitions in flight`);
  }
  for (const [id, svc] of Object.entries(services)) {
    for (const [field, m] of stateMaps(svc)) {
      m.clear();
      for (const [k, v] of deepCopy(copy[id]?.[field] ?? [])) m.set(k, v);
    }
  }
}
