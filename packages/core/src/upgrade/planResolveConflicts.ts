/**
 * Resolving an add-on's ConfigurationConflict: re-apply the installed version with
 * resolveConflicts OVERWRITE, so EKS (field manager `eks`) takes over the fields another manager
 * (kubectl, Helm, a controller) owns. The plan says, field by field, who owns each contested field
 * now and that EKS will own it after, read from the objects' managedFields on the cluster, and
 * carries the objects as they are: what a rollback writes back.
 *
 * Why not `upgrade --to current --resolve-conflicts OVERWRITE`: an upgrade is a version change
 * with hops and a version rollback; this changes no version and takes over fields, so its plan,
 * its undo (the objects, not a version) and its refusals are different. One verb per action.
 */
import { isAddonInFlight } from '../addons/addonInFlight';
import {
  parseConfigurationConflict,
  REAPPLY_ISSUE_CODES,
  type ConfigurationConflictEntry,
} from '../health/addonIssues';
import type { EksAddon, EksGateway } from '../ports/EksGateway';
import type { KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';

export const RESOLVE_CONFLICTS_PLAN_SCHEMA_VERSION = 1;
const EKS_MANAGER = 'eks';
/** Longest value shown in the plan: enough to recognise it, not a whole Corefile. */
const VALUE_CHARS = 80;

/** One field whose ownership changes hands. */
export interface FieldTakeover {
  /** As EKS names it: `ConfigMap`, `Deployment.apps`. */
  resource: string;
  namespace?: string;
  name: string;
  /** `.data.Corefile`, `.spec.template.spec.containers[name="coredns"].image`. */
  field: string;
  /** Managers other than `eks` that own it now (empty: nobody's, EKS sets it). */
  owners: string[];
  /** Its value now, as JSON, cut to 80 characters; undefined when unset. */
  value?: string;
}

export interface ResolveConflictsPlan {
  schemaVersion: typeof RESOLVE_CONFLICTS_PLAN_SCHEMA_VERSION;
  kind: 'ResolveConflictsPlan';
  clusterName: string;
  addonName: string;
  /** The installed version, re-applied as it is (configuration and role unchanged). */
  addonVersion: string;
  status: string;
  /** What will change hands, field by field. */
  takeovers: FieldTakeover[];
  /** Objects of the conflict as they are now, without server fields: what a rollback restores. */
  rollbackObjects: KubeObject[];
  /** Why it cannot run; empty = it can. */
  refusals: string[];
  warnings: string[];
}

export interface ResolveConflictsInput {
  clusterName: string;
  addonName: string;
  /** DescribeAddon; undefined = not installed. */
  addon: EksAddon | undefined;
  /** The live objects named by the conflict (undefined entries: not found). */
  objects: KubeObject[];
}

/** The objects a ConfigurationConflict names: its entries, in the namespaces of its resourceIds. */
export function conflictRefs(addon: EksAddon): KubeRef[] {
  const refs = new Map<string, KubeRef>();
  for (const issue of addon.issues) {
    if (issue.code !== 'ConfigurationConflict') continue;
    const namespaces = new Map<string, string>();
    for (const id of issue.resourceIds ?? []) {
      const [ns, name] = id.includes('/') ? id.split('/', 2) : [undefined, id];
      if (ns && name) namespaces.set(name, ns);
    }
    for (const e of parseConfigurationConflict(issue.message ?? '')) {
      const ref: KubeRef = {
        apiVersion: apiVersionOf(e.resource),
        kind: e.resource.split('.')[0]!,
        name: e.name,
        ...(isClusterScopedKind(e.resource.split('.')[0]!)
          ? {}
          : { namespace: namespaces.get(e.name) ?? 'kube-system' }),
      };
      refs.set(`${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`, ref);
    }
  }
  return [...refs.values()];
}

/** Reads what the planner needs: the add-on, and the objects its conflict names (reads only). */
export async function discoverResolveConflicts(
  g: { eks: EksGateway; kube: KubeGateway },
  clusterName: string,
  addonName: string,
): Promise<ResolveConflictsInput> {
  const addon = await g.eks.describeAddon(clusterName, addonName);
  const objects: KubeObject[] = [];
  for (const ref of addon ? conflictRefs(addon) : []) {
    const o = await g.kube.get(ref);
    if (o) objects.push(o);
  }
  return { clusterName, addonName, addon, objects };
}

export function planResolveConflicts(input: ResolveConflictsInput): ResolveConflictsPlan {
  const { addon, clusterName, addonName } = input;
  const refusals: string[] = [];
  const warnings: string[] = [];
  const base = {
    schemaVersion:
      RESOLVE_CONFLICTS_PLAN_SCHEMA_VERSION as typeof RESOLVE_CONFLICTS_PLAN_SCHEMA_VERSION,
    kind: 'ResolveConflictsPlan' as const,
    clusterName,
    addonName,
  };
  if (!addon)
    return {
      ...base,
      addonVersion: '',
      status: 'ABSENT',
      takeovers: [],
      rollbackObjects: [],
      refusals: [`${addonName} is not installed on ${clusterName}`],
      warnings,
    };
  if (isAddonInFlight(addon.status))
    refusals.push(`${addonName} is ${addon.status}: wait until it settles, then plan again`);
  const conflicts = addon.issues
    .filter((i) => i.code === 'ConfigurationConflict')
    .flatMap((i) => parseConfigurationConflict(i.message ?? ''));
  if (!addon.issues.some((i) => (REAPPLY_ISSUE_CODES as readonly string[]).includes(i.code)))
    refusals.push(
      `${addonName} reports no ${REAPPLY_ISSUE_CODES.join(', ')} (status ${addon.status}${addon.issues.length ? `, issues ${addon.issues.map((i) => i.code).join(', ')}` : ''}): nothing to resolve`,
    );
  if (conflicts.length === 0 && refusals.length === 0)
    warnings.push(
      `${addonName} names no contested fields: EKS re-applies all its objects as the add-on has them`,
    );
  const takeovers: FieldTakeover[] = [];
  for (const c of conflicts) {
    const obj = input.objects.find(
      (o) => o.kind === c.resource.split('.')[0] && o.metadata.name === c.name,
    );
    if (!obj) {
      warnings.push(
        `${c.resource} ${c.name} is not on the cluster any more: EKS will create it as the add-on has it`,
      );
      continue;
    }
    takeovers.push(takeover(c, obj));
  }
  return {
    ...base,
    addonVersion: addon.addonVersion,
    status: addon.status,
    takeovers,
    rollbackObjects: input.objects.map(stripServerFields),
    refusals,
    warnings,
  };
}

function takeover(c: ConfigurationConflictEntry, obj: KubeObject): FieldTakeover {
  const owners: string[] = [];
  const entries = (obj.metadata['managedFields'] ?? []) as {
    manager?: string;
    fieldsV1?: unknown;
  }[];
  for (const m of entries) {
    if (!m.manager || m.manager === EKS_MANAGER) continue;
    if (ownedPaths(m.fieldsV1).includes(c.field) && !owners.includes(m.manager))
      owners.push(m.manager);
  }
  const value = valueAt(obj, c.field);
  return {
    resource: c.resource,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: c.name,
    field: c.field,
    owners,
    ...(value !== undefined ? { value: cut(JSON.stringify(value)) } : {}),
  };
}

/**
 * The leaf fields a managedFields entry owns, in EKS's notation: `f:data` / `f:Corefile` →
 * `.data.Corefile`; `k:{"name":"coredns"}` → `[name="coredns"]`; `v:"x"` → `[="x"]`.
 */
export function ownedPaths(fieldsV1: unknown, prefix = ''): string[] {
  if (!fieldsV1 || typeof fieldsV1 !== 'object') return [];
  const out: string[] = [];
  const children = Object.entries(fieldsV1 as Record<string, unknown>).filter(([k]) => k !== '.');
  if (children.length === 0 && prefix) return [prefix];
  for (const [k, v] of children) {
    let seg: string;
    if (k.startsWith('f:')) seg = `.${k.slice(2)}`;
    else if (k.startsWith('k:')) {
      const key = JSON.parse(k.slice(2)) as Record<string, unknown>;
      seg = `[${Object.entries(key)
        .map(([kk, vv]) => `${kk}=${JSON.stringify(vv)}`)
        .join(',')}]`;
    } else if (k.startsWith('v:')) seg = `[=${k.slice(2)}]`;
    else if (k.startsWith('i:')) seg = `[${k.slice(2)}]`;
    else continue;
    out.push(...ownedPaths(v, `${prefix}${seg}`));
  }
  return out;
}

/** The value at an EKS field path in an object (undefined when absent or not understood). */
function valueAt(obj: KubeObject, field: string): unknown {
  let v: unknown = obj;
  for (const m of field.matchAll(/\.([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (v === undefined || v === null) return undefined;
    if (m[1] !== undefined) v = (v as Record<string, unknown>)[m[1]];
    else {
      const [key, raw] = m[2]!.split('=', 2);
      if (!Array.isArray(v) || raw === undefined) return undefined;
      const want = JSON.parse(raw) as unknown;
      v = v.find((item: unknown) => (item as Record<string, unknown>)?.[key!] === want);
    }
  }
  return v;
}

function cut(s: string): string {
  return s.length > VALUE_CHARS ? `${s.slice(0, VALUE_CHARS - 1)}…` : s;
}

/** The object as a client may write it back: no uid, version, timestamps or managedFields. */
export function stripServerFields(o: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(o)) as KubeObject;
  for (const k of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'managedFields',
    'generation',
    'selfLink',
  ])
    delete copy.metadata[k];
  delete copy['status'];
  return copy;
}

function apiVersionOf(resource: string): string {
  const dot = resource.indexOf('.');
  return dot < 0 ? 'v1' : `${resource.slice(dot + 1)}/v1`;
}

function isClusterScopedKind(kind: string): boolean {
  return [
    'Namespace',
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'CSIDriver',
    'StorageClass',
    'APIService',
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'PriorityClass',
  ].includes(kind);
}
