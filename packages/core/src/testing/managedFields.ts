/**
 * The metadata the in-memory API server owns, as kube-apiserver keeps it: what it ignores in what
 * callers send, and the managedFields entry each write leaves.
 */
import {
  DEFAULT_FIELD_MANAGER,
  SERVER_METADATA_FIELDS,
  type KubeObject,
} from '../ports/KubeGateway';
import { clone } from './clone';
import { isPlainObject } from './mergePatch';

export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export function withoutServerFields(obj: KubeObject): KubeObject {
  const copy = clone(obj);
  copy.metadata = { ...(isPlainObject(copy.metadata) ? copy.metadata : { name: '' }) };
  for (const f of SERVER_METADATA_FIELDS) delete copy.metadata[f];
  return copy;
}

export interface ManagedEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
}

function asEntries(v: unknown): ManagedEntry[] {
  return Array.isArray(v) ? (v as ManagedEntry[]) : [];
}

/** The manager's managedFields entry: every field it wrote (lists atomic), in FieldsV1 notation. */
export function managedEntry(obj: KubeObject, manager = DEFAULT_FIELD_MANAGER): ManagedEntry {
  const fields = (v: unknown): Record<string, unknown> => {
    if (!isPlainObject(v)) return {};
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) out[`f:${k}`] = fields(child);
    return out;
  };
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const meta: Record<string, unknown> = {};
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences'])
    if (metadata[k] !== undefined) meta[k] = metadata[k];
  const fieldsV1 = fields(rest);
  if (Object.keys(meta).length) fieldsV1['f:metadata'] = fields(meta);
  return {
    manager,
    operation: 'Update',
    apiVersion: obj.apiVersion,
    time: timestamp(),
    fieldsType: 'FieldsV1',
    fieldsV1,
  };
}

/** JSON with sorted keys and without managedFields, to tell a write that changes nothing. */
export function canonical(o: KubeObject): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sort(v[k]);
    return out;
  };
  const { managedFields: _m, ...metadata } = o.metadata;
  return JSON.stringify(sort({ ...o, metadata }));
}

/** The managedFields after an Update by `fieldManager`: its entry replaced, the others kept. */
export function updatedManagedFields(
  live: KubeObject,
  next: KubeObject,
  fieldManager = DEFAULT_FIELD_MANAGER,
): ManagedEntry[] {
  return [
    ...asEntries(live.metadata.managedFields).filter(
      (m) => m.manager !== fieldManager || m.operation !== 'Update',
    ),
    managedEntry(next, fieldManager),
  ];
}
