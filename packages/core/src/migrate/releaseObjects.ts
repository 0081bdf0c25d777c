/**
 * Every object a Helm release put on the cluster, from the three places Helm keeps track of them:
 *
 * - the stored `manifest` (what `helm upgrade` and `helm uninstall` act on);
 * - the release's `hooks`, stored apart: Helm creates them on their events and deletes them by
 *   their policies, so a hook may rightly be gone (`hook-succeeded` after it succeeded), and
 *   `helm uninstall` leaves the others behind;
 * - the CustomResourceDefinitions of the charts' `crds/` folders: installed before the templates,
 *   never upgraded or deleted by Helm, and not in the manifest. The top chart's `crds/` files are
 *   stored in the release (`chart.files`); a sub-chart's are not stored at all, so they are
 *   inferred from the cluster (`inferSubchartCrds`).
 */
import { splitManifest } from '../helm/splitManifest';
import type { HelmRelease } from '../helm/HelmRelease';
import type { KubeObject, KubeRef } from '../ports/KubeGateway';
import {
  chainScopes,
  chartPathOf,
  readManifest,
  scopedRef,
  scopeFromCrds,
  type KubeScope,
  type ManifestObject,
  type ScopeResolver,
} from './manifest';

/**
 * What Helm leaves of a hook after its last run: `present` (kept: no policy deleted it),
 * `deleted` (its delete policy matched the outcome: `hook-succeeded` / `hook-failed`), `not-run`
 * (its events never happened, e.g. `pre-delete`, `test`).
 */
export type HookExpectation = 'present' | 'deleted' | 'not-run';

export interface ReleaseHookObject {
  ref: KubeRef;
  chartPath: string[];
  source: string;
  events: string[];
  deletePolicies: string[];
  weight: number;
  /** Phase of its last run (`Succeeded`, `Failed`, `Running`; `''` never ran). */
  phase: string;
  expected: HookExpectation;
}

export interface ReleaseCrdObject {
  /** The CustomResourceDefinition (cluster-scoped). */
  ref: KubeRef;
  chartPath: string[];
  /** `chart/crds/file.yaml`, or for an inferred one the rule that names it. */
  source: string;
  group: string;
  /** Undefined when only its name is known (inferred). */
  kind?: string;
  scope?: KubeScope;
  /** `chart-files`: from the crds/ files stored in the release. `inferred`: a sub-chart's, found on the cluster. */
  from: 'chart-files' | 'inferred';
}

/** A resource a chart's Role or ClusterRole grants, e.g. `targetgroupbindings` of `elbv2.k8s.aws`. */
export interface RbacGrant {
  chartPath: string[];
  group: string;
  resource: string;
  /** `ClusterRole name` */
  grantedBy: string;
}

export interface ReleaseObjects {
  manifest: ManifestObject[];
  hooks: ReleaseHookObject[];
  /** CRDs of the top chart's crds/ (stored files). */
  crds: ReleaseCrdObject[];
  /** Enabled sub-charts, whose crds/ files Helm does not store (`[top, alias]`). */
  unstoredCharts: string[][];
  /** Resources the charts' RBAC rules grant (non-wildcard), to infer sub-charts' CRDs. */
  grants: RbacGrant[];
  /** What could not be read (documents Helm could not apply either). */
  errors: string[];
}

function crdFileDocuments(release: HelmRelease) {
  return (release.chart.crdFiles ?? []).map((f) => ({
    file: f,
    split: splitManifest(f.text, { source: `${release.chart.name}/${f.name}` }),
  }));
}

/** Scopes of the custom kinds the release itself defines (CRDs in its manifest and crds/ files). */
export function releaseScope(release: HelmRelease): ScopeResolver {
  return scopeFromCrds([
    ...splitManifest(release.manifest).documents.map((d) => d.object),
    ...crdFileDocuments(release).flatMap((c) => c.split.documents.map((d) => d.object)),
  ]);
}

/** The release's objects; `scope` (the cluster's answer) first, then the release's own CRDs. */
export function releaseObjects(
  release: HelmRelease,
  opts: { scope?: ScopeResolver } = {},
): ReleaseObjects {
  const top = release.chart.name;
  const errors: string[] = [];
  const crdDocs = crdFileDocuments(release);
  const scope = chainScopes(opts.scope, releaseScope(release));

  const manifest = readManifest(release.manifest, release.namespace, { scope });
  errors.push(...manifest.errors.map((e) => `manifest ${e}`));

  const hooks: ReleaseHookObject[] = [];
  for (const h of release.hooks ?? []) {
    const split = splitManifest(h.manifest, { source: h.path });
    errors.push(...split.errors.map((e) => `hook ${h.name} ${e}`));
    for (const d of split.documents)
      hooks.push({
        ref: scopedRef(d.object, release.namespace, scope),
        chartPath: chartPathOf(h.path),
        source: h.path,
        events: h.events,
        deletePolicies: h.deletePolicies,
        weight: h.weight,
        phase: h.lastRun.phase,
        expected: hookExpectation(h.deletePolicies, h.lastRun.phase),
      });
  }

  const crds: ReleaseCrdObject[] = [];
  for (const { file, split } of crdDocs) {
    errors.push(...split.errors.map((e) => `crds/ file ${file.name} ${e}`));
    for (const d of split.documents) {
      if (d.object.kind !== 'CustomResourceDefinition') {
        errors.push(
          `crds/ file ${file.name}: ${d.object.kind} ${d.object.metadata.name} is not a CustomResourceDefinition`,
        );
        continue;
      }
      const spec = (d.object['spec'] ?? {}) as {
        group?: string;
        scope?: string;
        names?: { kind?: string };
      };
      crds.push({
        ref: { apiVersion: d.object.apiVersion, kind: d.object.kind, name: d.object.metadata.name },
        chartPath: [top],
        source: `${top}/${file.name}`,
        group: spec.group ?? '',
        ...(spec.names?.kind ? { kind: spec.names.kind } : {}),
        scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
        from: 'chart-files',
      });
    }
  }

  const unstoredCharts = release.chart.dependencies
    .filter((d) => d.enabled !== false)
    .map((d) => [top, d.alias ?? d.name]);

  const grants: RbacGrant[] = [];
  for (const d of splitManifest(release.manifest).documents) {
    if (d.object.kind !== 'ClusterRole' && d.object.kind !== 'Role') continue;
    const rules = (Array.isArray(d.object['rules']) ? d.object['rules'] : []) as {
      apiGroups?: unknown;
      resources?: unknown;
    }[];
    for (const rule of rules) {
      const groups = Array.isArray(rule?.apiGroups) ? rule.apiGroups : [];
      const resources = Array.isArray(rule?.resources) ? rule.resources : [];
      for (const group of groups)
        for (const resource of resources) {
          if (typeof group !== 'string' || typeof resource !== 'string') continue;
          if (group === '*' || resource === '*' || resource.includes('/')) continue;
          grants.push({
            chartPath: chartPathOf(d.source),
            group,
            resource,
            grantedBy: `${d.object.kind} ${d.object.metadata.name}`,
          });
        }
    }
  }

  return { manifest: manifest.objects, hooks, crds, unstoredCharts, grants, errors };
}

export function hookExpectation(deletePolicies: string[], phase: string): HookExpectation {
  if (phase === '' || phase === 'Unknown') return 'not-run';
  if (phase === 'Succeeded' && deletePolicies.includes('hook-succeeded')) return 'deleted';
  if (phase === 'Failed' && deletePolicies.includes('hook-failed')) return 'deleted';
  return 'present';
}

/** The annotation Helm writes on every object of a release's manifest. */
export const HELM_RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';

/**
 * The crds/ CRDs of the release's sub-charts, which Helm installed but stored nowhere: the CRDs on
 * the cluster (metadata is enough: a CRD is named `<plural>.<group>`) whose resource a sub-chart's
 * own Role or ClusterRole grants, which no release's manifest owns, and which are not already
 * among the release's objects. A chart's controller is granted the resources of its own CRDs,
 * so this finds them without guessing names; a CRD its RBAC never names is not found (say so).
 */
export function inferSubchartCrds(
  objects: ReleaseObjects,
  clusterCrds: readonly Pick<KubeObject, 'metadata'>[],
): ReleaseCrdObject[] {
  const known = new Set([
    ...objects.crds.map((c) => c.ref.name),
    ...objects.manifest
      .filter((o) => o.ref.kind === 'CustomResourceDefinition')
      .map((o) => o.ref.name),
  ]);
  const subcharts = objects.unstoredCharts.map((p) => p.join('/'));
  const out = new Map<string, ReleaseCrdObject>();
  for (const crd of clusterCrds) {
    const name = crd.metadata.name;
    if (known.has(name) || out.has(name)) continue;
    if (crd.metadata.annotations?.[HELM_RELEASE_NAME_ANNOTATION]) continue;
    const grant = objects.grants.find(
      (g) =>
        `${g.resource}.${g.group}` === name &&
        subcharts.some((s) => g.chartPath.join('/').startsWith(s)),
    );
    if (!grant) continue;
    const chartPath = grant.chartPath.slice(0, 2);
    out.set(name, {
      ref: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name },
      chartPath,
      source: `${chartPath.join('/charts/')}/crds (not stored by Helm; named by ${grant.grantedBy})`,
      group: grant.group,
      from: 'inferred',
    });
  }
  return [...out.values()];
}

/** Every object reference of the release: manifest, hooks, crds/ CRDs (given ones included). */
export function allReleaseRefs(
  objects: ReleaseObjects,
  inferred: ReleaseCrdObject[] = [],
): KubeRef[] {
  return [
    ...objects.manifest.map((o) => o.ref),
    ...objects.hooks.map((h) => h.ref),
    ...objects.crds.map((c) => c.ref),
    ...inferred.map((c) => c.ref),
  ];
}
