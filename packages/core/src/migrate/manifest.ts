/**
 * The objects a Helm release made, read from its stored manifest (`# Source:` comments name the
 * chart each one came from), and small helpers on values paths and object references.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject, KubeRef } from '../ports/KubeGateway';

export interface ManifestObject {
  ref: KubeRef;
  /** Chart path from the top chart, e.g. `['hyperpod-dependencies', 'hyperpod-inference-operator', 's3']`. */
  chartPath: string[];
}

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'CSIDriver',
  'StorageClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'PriorityClass',
  'PersistentVolume',
  'IngressClass',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export function manifestObjects(manifest: string, releaseNamespace: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const chunk of manifest.split(/^---\s*$/m)) {
    const source = /^# Source: (\S+)/m.exec(chunk)?.[1];
    if (!source) continue;
    const parts = source.split('/');
    const chartPath = [parts[0]!];
    for (let i = 1; i + 1 < parts.length; i++)
      if (parts[i] === 'charts') chartPath.push(parts[++i]!);
    for (const doc of parseAllDocuments(chunk)) {
      const o = doc.toJS() as Partial<KubeObject> | null;
      if (!o || typeof o !== 'object' || !o.kind || !o.apiVersion || !o.metadata?.name) continue;
      const ref: KubeRef = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
      if (!isClusterScoped(o.kind)) ref.namespace = o.metadata.namespace ?? releaseNamespace;
      out.push({ ref, chartPath });
    }
  }
  return out;
}

export function refKey(ref: KubeRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export function refOf(o: KubeObject): KubeRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  };
}

export function describeRef(ref: KubeRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** Every leaf path of a values tree (arrays and empty objects are leaves). */
export function leafPaths(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return prefix ? [prefix] : [];
  const entries = Object.entries(obj as Record<string, unknown>);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** Whether `path` is `pattern` or lies under it (`*` matches one key). */
export function pathUnder(path: string, pattern: string): boolean {
  const p = path.split('.');
  const q = pattern.split('.');
  if (p.length < q.length) return false;
  return q.every((k, i) => k === '*' || k === p[i]);
}

/** Plural resource name of a kind, for access reviews. */
export function resourceOf(ref: { apiVersion: string; kind: string }): {
  group: string;
  resource: string;
} {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
  const lower = ref.kind.toLowerCase();
  const resource = lower.endsWith('s')
    ? `${lower}es`
    : lower.endsWith('y')
      ? `${lower.slice(0, -1)}ies`
      : `${lower}s`;
  return { group, resource };
}
