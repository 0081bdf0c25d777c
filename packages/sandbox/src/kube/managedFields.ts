/**
 * Field ownership for server-side apply, modelled on structured-merge-diff: a field set is the set
 * of paths (`f:spec`, `f:replicas`, `k:{"name":"manager"}`) an object sets; managers own paths;
 * apply merges maps recursively and keyed lists by key, replaces atomic lists and scalars, reports
 * conflicts where another manager owns a path whose value would change, and prunes fields the
 * applier stopped applying and nobody else owns.
 */
import { keyDefault, listMapKeys, type ResourceType } from './ResourceTypes';
import type { ApplyConflict, KubeObject, ManagedFieldsEntry } from './types';

export type FieldPath = string[];
/** Paths encoded as strings (segments joined by NUL) so they fit in a Set. */
export type FieldSet = Set<string>;

const SEP = '\u0000';
export const encodePath = (p: FieldPath): string => p.join(SEP);
export const decodePath = (s: string): FieldPath => (s === '' ? [] : s.split(SEP));

/** Metadata the server owns; never part of a field set. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function itemKey(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const k: Record<string, unknown> = {};
  for (const key of keys) {
    const v = item[key] ?? keyDefault(key);
    if (v !== undefined) k[key] = v;
  }
  return k;
}

function keySegment(item: Record<string, unknown>, keys: string[]): string {
  return 'k:' + JSON.stringify(itemKey(item, keys));
}

function sameKey(a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]): boolean {
  return deepEqual(itemKey(a, keys), itemKey(b, keys));
}

/** Whether the object's `status` is served by a subresource (and so not set through the main resource). */
function statusIsSubresource(rt: ResourceType): boolean {
  return rt.subresources.includes('status');
}

/** The field set an object (or an apply configuration) sets. */
export function fieldSetOf(rt: ResourceType, obj: KubeObject | Record<string, unknown>): FieldSet {
  const out: FieldSet = new Set();
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && statusIsSubresource(rt)) continue;
    if (k === 'metadata' && isPlainObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (SERVER_METADATA.has(mk) || mv === undefined) continue;
        collect(rt, mv, ['f:metadata', `f:${mk}`], ['metadata', mk], out);
      }
      continue;
    }
    collect(rt, v, [`f:${k}`], [k], out);
  }
  return out;
}

function collect(
  rt: ResourceType,
  value: unknown,
  path: FieldPath,
  names: string[],
  out: FieldSet,
): void {
  if (value === undefined) return;
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value))
      collect(rt, v, [...path, `f:${k}`], [...names, k], out);
    return;
  }
  const keys = Array.isArray(value) ? listMapKeys(rt, names) : undefined;
  if (Array.isArray(value) && keys && value.every(isPlainObject)) {
    for (const item of value as Record<string, unknown>[]) {
      const itemPath = [...path, keySegment(item, keys)];
      out.add(encodePath(itemPath));
      for (const [k, v] of Object.entries(item))
        collect(rt, v, [...itemPath, `f:${k}`], [...names, k], out);
    }
    return;
  }
  out.add(encodePath(path));
}

/** The value at a field path, or undefined. Key segments find the list item by key. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (seg.startsWith('f:')) {
      if (!isPlainObject(cur)) return undefined;
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      if (!Array.isArray(cur)) return undefined;
      const key = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      const keys = Object.keys(key);
      cur = cur.find((it) => isPlainObject(it) && sameKey(it, key, keys));
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the field at a path (a key segment last removes the list item); no-op if absent. */
export function removeAt(obj: unknown, path: FieldPath): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (last.startsWith('f:') && isPlainObject(parent)) {
    delete parent[last.slice(2)];
  } else if (last.startsWith('k:') && Array.isArray(parent)) {
    const key = JSON.parse(last.slice(2)) as Record<string, unknown>;
    const keys = Object.keys(key);
    const i = parent.findIndex((it) => isPlainObject(it) && sameKey(it, key, keys));
    if (i >= 0) parent.splice(i, 1);
  }
}

/** kubectl's notation for a path: `.spec.template.spec.containers[name="manager"].image`. */
export function pathString(path: FieldPath): string {
  let s = '';
  for (const seg of path) {
    if (seg.startsWith('f:')) s += `.${seg.slice(2)}`;
    else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      s += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
  }
  return s;
}

/** fieldsV1 JSON (`{"f:spec":{"f:replicas":{}}}`) from a field set. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const sorted = [...set].sort();
  for (const enc of sorted) {
    let node = root;
    for (const seg of decodePath(enc)) {
      node[seg] ??= {};
      node = node[seg] as Record<string, unknown>;
    }
  }
  // A node that is itself a member and also has children marks its own membership with `.`.
  for (const enc of set) {
    const node = valueAtFields(root, decodePath(enc));
    if (node && Object.keys(node).some((k) => k !== '.')) node['.'] = {};
  }
  return root;
}

function valueAtFields(
  root: Record<string, unknown>,
  path: FieldPath,
): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const seg of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[seg];
  }
  return isPlainObject(node) ? node : undefined;
}

export function fromFieldsV1(f: Record<string, unknown>): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: Record<string, unknown>, path: FieldPath) => {
    const children = Object.keys(node).filter((k) => k !== '.');
    if (children.length === 0 || '.' in node) {
      if (path.length) out.add(encodePath(path));
    }
    for (const c of children) {
      const child = node[c];
      walk(isPlainObject(child) ? child : {}, [...path, c]);
    }
  };
  walk(f, []);
  return out;
}

/** Merges an apply configuration into the live object (maps by key, keyed lists by key, everything else replaced). */
export function mergeApplied(
  rt: ResourceType,
  live: unknown,
  applied: unknown,
  names: string[],
): unknown {
  if (isPlainObject(applied)) {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied))
      out[k] = mergeApplied(rt, out[k], v, [...names, k]);
    return out;
  }
  const keys = Array.isArray(applied) ? listMapKeys(rt, names) : undefined;
  if (Array.isArray(applied) && keys && applied.every(isPlainObject)) {
    const out: unknown[] = Array.isArray(live) ? [...live] : [];
    for (const item of applied as Record<string, unknown>[]) {
      const i = out.findIndex((o) => isPlainObject(o) && sameKey(o, item, keys));
      if (i >= 0) out[i] = mergeApplied(rt, out[i], item, names);
      else out.push(clone(item));
    }
    return out;
  }
  return clone(applied);
}

interface Owner {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function owners(obj: KubeObject): Owner[] {
  return (obj.metadata.managedFields ?? []).map((entry) => ({
    entry,
    set: fromFieldsV1(entry.fieldsV1),
  }));
}

function writeOwners(obj: KubeObject, list: Owner[], now: string, touched: Set<Owner>): void {
  const entries: ManagedFieldsEntry[] = [];
  for (const o of list) {
    if (o.set.size === 0) continue;
    const e = { ...o.entry, fieldsV1: toFieldsV1(o.set) };
    if (touched.has(o)) e.time = now;
    entries.push(e);
  }
  obj.metadata.managedFields = entries;
}

function findOwner(
  list: Owner[],
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  subresource?: string,
): Owner {
  let o = list.find(
    (x) =>
      x.entry.manager === manager &&
      x.entry.operation === operation &&
      (x.entry.subresource ?? '') === (subresource ?? ''),
  );
  if (!o) {
    const entry: ManagedFieldsEntry = {
      manager,
      operation,
      apiVersion,
      time: '',
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    };
    if (subresource) entry.subresource = subresource;
    o = { entry, set: new Set() };
    list.push(o);
  }
  o.entry = { ...o.entry, apiVersion };
  return o;
}

/**
 * Records an Update-operation write (create, PUT, patch): the manager takes every field whose value
 * changed, other managers lose those fields, and fields that disappeared leave every set.
 */
export function recordUpdate(
  rt: ResourceType,
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  now: string,
  subresource?: string,
): void {
  const list = before ? owners(before) : [];
  const newSet = fieldSetOf(rt, after);
  const oldSet = before ? fieldSetOf(rt, before) : new Set<string>();
  const changed = new Set<string>();
  for (const p of newSet) {
    const path = decodePath(p);
    const isItem = path[path.length - 1]?.startsWith('k:');
    if (!oldSet.has(p) || (!isItem && !deepEqual(valueAt(before, path), valueAt(after, path))))
      changed.add(p);
  }
  const touched = new Set<Owner>();
  for (const o of list) {
    const size = o.set.size;
    for (const p of [...o.set]) if (!newSet.has(p) || changed.has(p)) o.set.delete(p);
    if (o.set.size !== size) touched.add(o);
  }
  if (changed.size > 0) {
    const me = findOwner(list, manager, 'Update', after.apiVersion, subresource);
    for (const p of changed) me.set.add(p);
    touched.add(me);
  }
  writeOwners(after, list, now, touched);
}

export interface ApplyResult {
  object: KubeObject;
  conflicts: ApplyConflict[];
  /** Conflicts with the manager identifiers apiserver prints (`"helm" using apps/v1`). */
  conflictManagers: string[];
}

/** How apiserver prints a manager in conflict messages. */
export function printManager(entry: ManagedFieldsEntry): string {
  let s = JSON.stringify(entry.manager);
  if (entry.subresource) s += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') s += ` using ${entry.apiVersion}`;
  return s;
}

/**
 * Server-side apply of `applied` onto `live` (undefined when creating). Returns the merged object with
 * managedFields updated, or the conflicts (and no object change) when not forced.
 */
export function applyConfiguration(
  rt: ResourceType,
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: { manager: string; force: boolean; now: string; subresource?: string },
): ApplyResult {
  const list = live ? owners(live) : [];
  const appliedSet = fieldSetOf(rt, applied);
  const me = findOwner(list, opts.manager, 'Apply', applied.apiVersion, opts.subresource);
  const previous = new Set(me.set);
  const conflicts: ApplyConflict[] = [];
  const conflictManagers: string[] = [];
  const takenFrom = new Map<Owner, string[]>();
  for (const o of list) {
    if (o === me) continue;
    for (const p of appliedSet) {
      if (!o.set.has(p)) continue;
      const path = decodePath(p);
      if (path[path.length - 1]!.startsWith('k:')) continue;
      if (deepEqual(valueAt(live, path), valueAt(applied, path))) continue;
      conflicts.push({ manager: o.entry.manager, field: pathString(path) });
      conflictManagers.push(printManager(o.entry));
      takenFrom.set(o, [...(takenFrom.get(o) ?? []), p]);
    }
  }
  if (conflicts.length > 0 && !opts.force) {
    return { object: live ?? applied, conflicts, conflictManagers };
  }
  const base = live
    ? clone(live)
    : ({
        apiVersion: applied.apiVersion,
        kind: applied.kind,
        metadata: { name: applied.metadata.name },
      } as KubeObject);
  const appliedBody: Record<string, unknown> = { ...applied };
  if (statusIsSubresource(rt) && !opts.subresource) delete appliedBody.status;
  const appliedMeta: Record<string, unknown> = { ...applied.metadata };
  for (const k of SERVER_METADATA) if (k !== 'name' && k !== 'namespace') delete appliedMeta[k];
  appliedBody.metadata = appliedMeta;
  const merged = mergeApplied(rt, base, appliedBody, []) as KubeObject;
  merged.metadata.managedFields = base.metadata.managedFields;
  const touched = new Set<Owner>([me]);
  for (const [o, paths] of takenFrom) {
    for (const p of paths) o.set.delete(p);
    touched.add(o);
  }
  // Prune what this manager applied before, no longer applies, and nobody else owns; deepest first.
  const others = list.filter((o) => o !== me);
  const stale = [...previous].filter(
    (p) => !appliedSet.has(p) && !others.some((o) => o.set.has(p)),
  );
  stale.sort((a, b) => decodePath(b).length - decodePath(a).length);
  for (const p of stale) removeAt(merged, decodePath(p));
  me.set = appliedSet;
  writeOwners(merged, list, opts.now, touched);
  return { object: merged, conflicts, conflictManagers };
}
