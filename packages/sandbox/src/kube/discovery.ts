/**
 * Discovery documents as kube-apiserver serves them: the legacy ones (/api, /api/v1, /apis,
 * /apis/<group>, /apis/<group>/<version>) and aggregated discovery v2 (one APIGroupDiscoveryList
 * for /api and one for /apis), which kubectl 1.30+ and client-go ask for first.
 */
import { groupVersion, type ResourceType } from './ResourceTypes';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
function versionPriority(v: string): number {
  const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
  if (!m) return -1;
  const major = Number(m[1]);
  const stage = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return stage * 1_000_000 + major * 1000 + Number(m[3] ?? 0);
}

export interface GroupInfo {
  name: string;
  versions: string[];
}

/**
 * A group-version served through an APIService (kube-aggregator): listed in discovery even when
 * the sandbox knows none of its resources.
 */
export interface ExtraGroupVersion {
  group: string;
  version: string;
}

/** Groups in serving order (built-ins first, CRD groups after), versions by priority. */
export function groups(types: ResourceType[], extra: ExtraGroupVersion[] = []): GroupInfo[] {
  const out: GroupInfo[] = [];
  for (const t of [...types, ...extra]) {
    let g = out.find((x) => x.name === t.group);
    if (!g) {
      g = { name: t.group, versions: [] };
      out.push(g);
    }
    if (!g.versions.includes(t.version)) g.versions.push(t.version);
  }
  for (const g of out) g.versions.sort((a, b) => versionPriority(b) - versionPriority(a));
  return out;
}

function subresourceKind(
  rt: ResourceType,
  sub: string,
): { group: string; version: string; kind: string } {
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  return { group: rt.group, version: rt.version, kind: rt.kind };
}

function subVerbs(sub: string): string[] {
  return sub === 'finalize' ? ['update'] : ['get', 'patch', 'update'];
}

export function apiResourceList(
  types: ResourceType[],
  group: string,
  version: string,
): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const rt of types.filter((t) => t.group === group && t.version === version)) {
    const r: Record<string, unknown> = {
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
    };
    if (rt.shortNames) r.shortNames = rt.shortNames;
    if (rt.categories) r.categories = rt.categories;
    resources.push(r);
    for (const sub of rt.subresources) {
      const k = subresourceKind(rt, sub);
      const s: Record<string, unknown> = {
        name: `${rt.plural}/${sub}`,
        singularName: '',
        namespaced: rt.namespaced,
        kind: k.kind,
        verbs: subVerbs(sub),
      };
      if (sub === 'scale') Object.assign(s, { group: k.group, version: k.version });
      resources.push(s);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function apiGroup(g: GroupInfo): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(
  types: ResourceType[],
  extra: ExtraGroupVersion[] = [],
): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(types, extra)
      .filter((g) => g.name !== '')
      .map(apiGroup),
  };
}

export function apiGroupDoc(
  types: ResourceType[],
  name: string,
  extra: ExtraGroupVersion[] = [],
): Record<string, unknown> | undefined {
  const g = groups(types, extra).find((x) => x.name === name && name !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

export function apiVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: 'ip-10-0-0-10.ec2.internal:443' },
    ],
  };
}

/** Aggregated discovery (apidiscovery.k8s.io/v2 or v2beta1) for the core group (`legacy`) or the named groups. */
export function aggregatedDiscovery(
  types: ResourceType[],
  legacy: boolean,
  apiVersion: 'v2' | 'v2beta1',
  extra: ExtraGroupVersion[] = [],
): Record<string, unknown> {
  const items = groups(types, extra)
    .filter((g) => (g.name === '') === legacy)
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: types
          .filter((t) => t.group === g.name && t.version === v)
          .map((rt) => {
            const r: Record<string, unknown> = {
              resource: rt.plural,
              responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
              scope: rt.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: rt.singular,
              verbs: rt.verbs,
            };
            if (rt.shortNames) r.shortNames = rt.shortNames;
            if (rt.categories) r.categories = rt.categories;
            if (rt.subresources.length) {
              r.subresources = rt.subresources.map((sub) => ({
                subresource: sub,
                responseKind: subresourceKind(rt, sub),
                verbs: subVerbs(sub),
              }));
            }
            return r;
          }),
        freshness: 'Current',
      })),
    }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items,
  };
}

export { groupVersion };
