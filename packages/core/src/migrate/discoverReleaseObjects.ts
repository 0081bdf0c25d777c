/**
 * Every object of a Helm release, checked against the cluster (reads only): the manifest's objects
 * with the scope the cluster's CRDs give custom kinds, the hooks and whether each is still there,
 * the crds/ CRDs (the top chart's from the stored files, the sub-charts' inferred from the
 * cluster) and whether each is there.
 */
import type { HelmRelease } from '../helm/HelmRelease';
import type { KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';
import type { ResourceRef } from './MigrationPlan';
import {
  describeRef,
  groupOf,
  isClusterScoped,
  refKey,
  scopeFromCrds,
  type ManifestObject,
} from './manifest';
import {
  inferSubchartCrds,
  releaseObjects,
  releaseScope,
  type ReleaseCrdObject,
  type ReleaseHookObject,
} from './releaseObjects';

export type DiscoveredHook = ReleaseHookObject & { live: boolean };
export type DiscoveredCrd = ReleaseCrdObject & { live: boolean };

export interface DiscoveredReleaseObjects {
  objects: ManifestObject[];
  hooks: DiscoveredHook[];
  crds: DiscoveredCrd[];
}

const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

/** API groups of the built-in kinds: their scope is the static table's. */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

export async function discoverReleaseObjects(
  kube: KubeGateway,
  release: HelmRelease,
  read: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>,
  reads: ResourceRef[],
): Promise<DiscoveredReleaseObjects & { errors: string[] }> {
  let objects = releaseObjects(release);
  // Custom kinds the release does not define: their CRDs on the cluster say their scope.
  const own = releaseScope(release);
  const unknownGroups = new Set(
    [...objects.manifest, ...objects.hooks]
      .map((o) => o.ref)
      .filter(
        (r) =>
          !BUILTIN_GROUPS.has(groupOf(r.apiVersion)) &&
          !isClusterScoped(r.kind) &&
          own(r.apiVersion, r.kind) === undefined,
      )
      .map((r) => groupOf(r.apiVersion)),
  );
  let clusterCrds: KubeObject[] | undefined;
  if (unknownGroups.size > 0 || objects.unstoredCharts.length > 0) {
    reads.push({ type: 'kube', ...CRD, name: '*' });
    clusterCrds = await read('list CustomResourceDefinitions', () =>
      kube.list(CRD.apiVersion, CRD.kind, { metadataOnly: true }),
    );
  }
  if (clusterCrds && unknownGroups.size > 0) {
    const full: KubeObject[] = [];
    for (const c of clusterCrds) {
      const group = c.metadata.name.slice(c.metadata.name.indexOf('.') + 1);
      if (!unknownGroups.has(group)) continue;
      const ref: KubeRef = { ...CRD, name: c.metadata.name };
      reads.push({ type: 'kube', ...ref });
      const o = await read(`get CustomResourceDefinition ${ref.name}`, () => kube.get(ref));
      if (o) full.push(o);
    }
    objects = releaseObjects(release, { scope: scopeFromCrds(full) });
  }
  const inferred = clusterCrds ? inferSubchartCrds(objects, clusterCrds) : [];

  const live = async (ref: KubeRef, what: string): Promise<boolean> => {
    reads.push({ type: 'kube', ...ref });
    return (await read(`get ${what}`, () => kube.get(ref))) !== undefined;
  };
  const hooks: DiscoveredHook[] = [];
  for (const h of objects.hooks)
    hooks.push({ ...h, live: await live(h.ref, `hook ${h.ref.kind} ${h.ref.name}`) });
  const crds: DiscoveredCrd[] = [];
  for (const c of [...objects.crds, ...inferred])
    crds.push({ ...c, live: await live(c.ref, `CustomResourceDefinition ${c.ref.name}`) });
  return { objects: objects.manifest, hooks, crds, errors: objects.errors };
}

/**
 * What a migration leaves of the release by design, one line each, for the plan: hooks still on
 * the cluster (Helm never tracked them as release objects), hooks Helm deleted by their policy,
 * and the crds/ CRDs (kept: they hold users' resources). Hooks missing against their policy are
 * said too.
 */
export function keptByDesign(rel: { hooks: DiscoveredHook[]; crds: DiscoveredCrd[] }): string[] {
  const out: string[] = [];
  for (const h of rel.hooks) {
    const what = `Helm hook ${h.ref.kind} ${h.ref.namespace ? `${h.ref.namespace}/` : ''}${h.ref.name} (${h.events.join(',')}; delete policy ${h.deletePolicies.join(',') || 'none'})`;
    if (h.live)
      out.push(
        `${what} is left on the cluster as it is: Helm does not remove hooks with the release`,
      );
    else if (h.expected === 'deleted')
      out.push(`${what} was deleted by Helm after its last run, as its policy says`);
    else if (h.expected === 'not-run') out.push(`${what} never ran, so it is not on the cluster`);
    else out.push(`${what} is not on the cluster although its policy keeps it: nothing to migrate`);
  }
  for (const c of rel.crds)
    out.push(
      c.live
        ? `CustomResourceDefinition ${c.ref.name} (${c.source}) stays: Helm installed it from crds/ and never removes it; it is in the backup`
        : `CustomResourceDefinition ${c.ref.name} (${c.source}) is not on the cluster`,
    );
  return out;
}

/**
 * Kinds of the manifest a migration never deletes, and why: CRDs hold users' resources,
 * namespaces hold more than the release, and a volume or its claim holds customer data (a claim
 * made again gets a new uid, so a Retain volume whose claimRef names the old one stays Released).
 */
export const KEPT_KINDS: Readonly<Record<string, string>> = {
  CustomResourceDefinition: "a CRD holds users' resources and deleting it deletes them all",
  Namespace: 'a namespace may hold objects outside the release',
  PersistentVolume: 'it holds customer data and a claim made again would not bind its volume',
  PersistentVolumeClaim: 'it holds customer data and a claim made again would not bind its volume',
};

/**
 * One line for each manifest object the plan neither removes nor has an add-on take over, saying
 * why it stays: a kept kind, or a sub-chart that stays on Helm.
 */
export function keptManifestObjects(
  objects: ManifestObject[],
  removed: ReadonlySet<string>,
  migrated: (o: ManifestObject) => boolean,
): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (removed.has(refKey(o.ref))) continue;
    const what = `${describeRef(o.ref)} (chart ${o.chartPath.join('/') || 'unknown'})`;
    const why = KEPT_KINDS[o.ref.kind];
    if (why) out.push(`${what} stays: ${why}; it is in the backup`);
    else if (!migrated(o))
      out.push(`${what} stays with the Helm release: its chart is not migrated`);
    else out.push(`${what} stays: the plan does not remove it`);
  }
  return out;
}
