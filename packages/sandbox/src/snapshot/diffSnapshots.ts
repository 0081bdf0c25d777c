/**
 * Fleet snapshots and their differences, so tests can prove "nothing changed" and "restored
 * exactly": every AWS service's state plus every object of every cluster, with server-assigned
 * bookkeeping (uid, resourceVersion, timestamps, managedFields) left out of the comparison.
 */
import { normalizeForCompare } from '../kube/normalizeForCompare';
import type { KubeObject } from '../kube/types';

export interface SandboxSnapshot {
  /** When it was taken (ISO-8601); not compared. */
  takenAt: string;
  /** Per service id (eks, iam, s3, elbv2, acm, sagemaker): its plain-data state. */
  aws: Record<string, unknown>;
  /** Per cluster ARN: objects keyed `apiVersion/kind/namespace/name`, normalised. */
  kube: Record<string, Record<string, KubeObject>>;
}

export interface SnapshotDifference {
  /** Where, e.g. `kube.arn:aws:eks:...:cluster/a.apps/v1/Deployment/ns/x.spec.replicas` or `aws.iam...`. */
  path: string;
  before: unknown;
  after: unknown;
}

export function objectKey(o: KubeObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/**
 * The object without what the server assigns on writes, and without managedFields: a restore
 * writes objects back under its own field manager, which changes who owns fields, not what they are.
 */
export function normalizeObject(o: KubeObject): KubeObject {
  const copy = normalizeForCompare(o);
  delete copy.metadata.managedFields;
  return copy;
}

export function indexObjects(objects: KubeObject[]): Record<string, KubeObject> {
  const out: Record<string, KubeObject> = {};
  for (const o of objects) out[objectKey(o)] = normalizeObject(o);
  return out;
}

/** Every difference between two snapshots; empty means equal. */
export function diffSnapshots(a: SandboxSnapshot, b: SandboxSnapshot): SnapshotDifference[] {
  const out: SnapshotDifference[] = [];
  diffValue('aws', a.aws, b.aws, out);
  diffValue('kube', a.kube, b.kube, out);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function diffValue(path: string, a: unknown, b: unknown, out: SnapshotDifference[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({ path, before: a, after: b });
      return;
    }
    a.forEach((x, i) => diffValue(`${path}[${i}]`, x, b[i], out));
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      if (!(k in a)) out.push({ path: `${path}.${k}`, before: undefined, after: b[k] });
      else if (!(k in b)) out.push({ path: `${path}.${k}`, before: a[k], after: undefined });
      else diffValue(`${path}.${k}`, a[k], b[k], out);
    }
    return;
  }
  out.push({ path, before: a, after: b });
}
