/**
 * The objects a Helm release made, read from its stored manifest as Helm reads it back
 * (`splitManifest`: every YAML document, lists flattened, `# Source:` naming the chart each came
 * from when present), with the namespace Helm gives each one; and small helpers on values paths
 * and object references.
 */
import { chartPathOf, splitManifest } from '../helm/splitManifest';

export { chartPathOf };
import type { KubeObject, KubeRef } from '../ports/KubeGateway';

export interface ManifestObject {
  ref: KubeRef;
  /**
   * Chart path from the top chart, e.g. `['hyperpod-dependencies', 'hyperpod-inference-operator', 's3']`;
   * empty when the manifest does not say which template it came from.
   */
  chartPath: string[];
  /** The template (`# Source:`), when the manifest says. */
  source?: string;
}

export type KubeScope = 'Cluster' | 'Namespaced';

/**
 * Whether a kind is cluster-scoped, as the cluster's discovery (or a CRD's `spec.scope`) says;
 * undefined when it does not know the kind.
 */
export type ScopeResolver = (apiVersion: string, kind: string) => KubeScope | undefined;

/** Built-in kinds without a namespace (the fallback when no resolver knows the kind). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'CustomResourceDefinition',
  'APIService',
  'ClusterRole',
  'ClusterRoleBinding',
  'CSIDriver',
  'CSINode',
  'StorageClass',
  'VolumeAttachment',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'FlowSchema',
  'RuntimeClass',
  'IngressClass',
  'CertificateSigningRequest',
  'ClusterTrustBundle',
  'IPAddress',
  'ServiceCIDR',
  'DeviceClass',
]);

/** Whether a built-in kind is cluster-scoped; custom kinds need a ScopeResolver. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** A ScopeResolver from CustomResourceDefinitions (`spec.group`, `spec.names.kind`, `spec.scope`). */
export function scopeFromCrds(crds: readonly KubeObject[]): ScopeResolver {
  const byKind = new Map<string, KubeScope>();
  for (const crd of crds) {
    const spec = crd['spec'] as
      { group?: string; scope?: string; names?: { kind?: string } } | undefined;
    if (crd.kind !== 'CustomResourceDefinition' || !spec?.group || !spec.names?.kind) continue;
    byKind.set(
      `${spec.group}/${spec.names.kind}`,
      spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
    );
  }
  return (apiVersion, kind) => byKind.get(`${groupOf(apiVersion)}/${kind}`);
}

/** The first resolver that knows the kind answers. */
export function chainScopes(...resolvers: (ScopeResolver | undefined)[]): ScopeResolver {
  return (apiVersion, kind) => {
    for (const r of resolvers) {
      const s = r?.(apiVersion, kind);
      if (s) return s;
    }
    return undefined;
  };
}

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/**
 * Where Helm puts an object: nowhere for a cluster-scoped kind (a namespace written in it is
 * ignored), else its own namespace or the release's. A kind nobody knows is taken as namespaced.
 */
export function scopedRef(o: KubeObject, releaseNamespace: string, scope?: ScopeResolver): KubeRef {
  const ref: KubeRef = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
  const s = scope?.(o.apiVersion, o.kind) ?? (isClusterScoped(o.kind) ? 'Cluster' : 'Namespaced');
  if (s === 'Namespaced') ref.namespace = o.metadata.namespace || releaseNamespace;
  return ref;
}

export interface ReadManifest {
  objects: ManifestObject[];
  /** Documents Helm could not apply either (see splitManifest). */
  errors: string[];
}

/** The objects of a manifest with their chart paths, and what could not be read. */
export function readManifest(
  manifest: string,
  releaseNamespace: string,
  opts: { scope?: ScopeResolver } = {},
): ReadManifest {
  const split = splitManifest(manifest);
  return {
    objects: split.documents.map((d) => ({
      ref: scopedRef(d.object, releaseNamespace, opts.scope),
      chartPath: chartPathOf(d.source),
      ...(d.source ? { source: d.source } : {}),
    })),
    errors: split.errors,
  };
}

/** `readManifest(...).objects`: for callers that report the errors elsewhere. */
export function manifestObjects(
  manifest: string,
  releaseNamespace: string,
  opts: { scope?: ScopeResolver } = {},
): ManifestObject[] {
  return readManifest(manifest, releaseNamespace, opts).objects;
}

export function refKey(ref: KubeRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** The reference to an object (no namespace key for a cluster-scoped one). */
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

/**
 * A values path as a key list. Keys may hold any character (a Helm values key such as the IRSA
 * annotation `eks.amazonaws.com/role-arn` has dots), so a written path escapes them as
 * `helm --set` does: `\.` is a dot inside a key, `\\` a backslash.
 */
export type ValuesPath = readonly string[];

/** `a.b\.c` → `['a', 'b.c']`: splits on the dots `formatValuesPath` did not escape. */
export function parseValuesPath(path: string): string[] {
  const keys: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '\\' && i + 1 < path.length) cur += path[++i];
    else if (ch === '.') {
      keys.push(cur);
      cur = '';
    } else cur += ch;
  }
  keys.push(cur);
  return keys;
}

/** `['a', 'b.c']` → `a.b\.c`, the form `--set` and `--accept-drop` take. */
export function formatValuesPath(keys: ValuesPath): string {
  return keys.map((k) => k.replace(/\\/g, '\\\\').replace(/\./g, '\\.')).join('.');
}

const keysOf = (path: string | ValuesPath): readonly string[] =>
  typeof path === 'string' ? parseValuesPath(path) : path;

export function getPath(obj: unknown, path: string | ValuesPath): unknown {
  let cur: unknown = obj;
  for (const k of keysOf(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function setPath(
  obj: Record<string, unknown>,
  path: string | ValuesPath,
  value: unknown,
): void {
  const keys = keysOf(path);
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** Every leaf of a values tree as its key list (arrays and empty objects are leaves). */
export function leafPaths(obj: unknown, prefix: ValuesPath = []): string[][] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    return prefix.length ? [[...prefix]] : [];
  const entries = Object.entries(obj as Record<string, unknown>);
  if (entries.length === 0) return prefix.length ? [[...prefix]] : [];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** Whether `path` is `pattern` or lies under it (`*` matches one key). */
export function pathUnder(path: string | ValuesPath, pattern: string | ValuesPath): boolean {
  const p = keysOf(path);
  const q = keysOf(pattern);
  if (p.length < q.length) return false;
  return q.every((k, i) => k === '*' || k === p[i]);
}

/** Plural resource name of a kind, for access reviews. */
export function resourceOf(ref: { apiVersion: string; kind: string }): {
  group: string;
  resource: string;
} {
  const group = groupOf(ref.apiVersion);
  const lower = ref.kind.toLowerCase();
  const resource = lower.endsWith('s')
    ? `${lower}es`
    : lower.endsWith('y')
      ? `${lower.slice(0, -1)}ies`
      : `${lower}s`;
  return { group, resource };
}
