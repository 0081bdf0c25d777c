/**
 * Builds a Helm 3 release exactly as helm would have stored it, without running helm: the release
 * Secrets of every revision (through the core codec) and the objects the current revision put in
 * the cluster, with the labels and annotations helm adds at apply time.
 */
import {
  GO_ZERO_TIME,
  encodeHelmReleaseSecret,
  encodeBase64,
  type HelmChartDependency,
  type HelmChartLock,
  type HelmReleaseSecret,
  type HelmReleaseStatus,
  type HelmReleaseWire,
  type HelmValues,
  type HelmWireDependency,
} from '@hyperpod/core';
import type { KubeObject } from '../kube/types';
import { renderManifest, sortManifestDocuments, type RenderedTemplate } from './helmManifest';

export interface HelmChartSeed {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  /** Chart API version, `v2` for Helm 3 charts. */
  apiVersion?: string;
  type?: string;
  dependencies?: HelmChartDependency[];
  lock?: HelmChartLock;
  /** The chart's default values (values.yaml). */
  values?: HelmValues;
}

export interface HelmRevisionSeed {
  status: HelmReleaseStatus;
  /** User-supplied values (`helm get values`). */
  values: HelmValues;
  /** The rendered templates of this revision. */
  templates: RenderedTemplate[];
  /** The chart of this revision when it differs from the release's (an upgrade between chart versions). */
  chart?: HelmChartSeed;
  description?: string;
  notes?: string;
  /** When this revision was deployed (default: spaced an hour apart, ending at `now`). */
  deployedAt?: Date;
}

export interface HelmReleaseSeed {
  name: string;
  namespace: string;
  chart: HelmChartSeed;
  /** Oldest first; revision numbers are 1..n. */
  revisions: HelmRevisionSeed[];
  /** Which revision's objects are in the cluster. Default: the newest `deployed` one, else the newest. */
  liveRevision?: number;
  now?: Date;
  /** Release labels (`helm install --labels`, Helm ≥ 3.13), kept on the storage Secrets. */
  labels?: Record<string, string>;
}

export interface BuiltHelmRelease {
  /** One Secret per revision, oldest first. */
  secrets: HelmReleaseSecret[];
  /** What the live revision created, ready to store (Helm labels/annotations added, namespaces set). */
  objects: KubeObject[];
  /** Each revision as Helm's JSON sees it, oldest first. */
  releases: HelmReleaseWire[];
  /** The live revision's manifest. */
  manifest: string;
  liveRevision: number;
}

/** Kinds whose objects have no namespace; everything else lands in the release namespace when unset. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'PriorityClass',
  'IngressClass',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'RuntimeClass',
  'Node',
  'VolumeAttachment',
]);

export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

const HOUR_MS = 3_600_000;

export function buildHelmRelease(seed: HelmReleaseSeed): BuiltHelmRelease {
  if (seed.revisions.length === 0)
    throw new Error(`helm release ${seed.name}: at least one revision is needed`);
  const now = seed.now ?? new Date();
  const count = seed.revisions.length;
  const times = seed.revisions.map(
    (r, i) => r.deployedAt ?? new Date(now.getTime() - (count - 1 - i) * HOUR_MS),
  );
  const firstDeployed = goTime(times[0]!);
  const releases: HelmReleaseWire[] = [];
  const manifests: string[] = [];
  seed.revisions.forEach((revision, i) => {
    const version = i + 1;
    const chart = revision.chart ?? seed.chart;
    const docs = sortManifestDocuments(chart.name, revision.templates);
    const manifest = renderManifest(docs);
    manifests.push(manifest);
    releases.push({
      name: seed.name,
      info: {
        first_deployed: firstDeployed,
        last_deployed: goTime(times[i]!),
        deleted: revision.status === 'uninstalled' ? goTime(times[i]!) : GO_ZERO_TIME,
        description:
          revision.description ?? defaultDescription(seed.name, revision.status, version),
        status: revision.status,
        ...(revision.notes ? { notes: revision.notes } : {}),
      },
      chart: {
        metadata: {
          name: chart.name,
          version: chart.version,
          ...(chart.description ? { description: chart.description } : {}),
          apiVersion: chart.apiVersion ?? 'v2',
          ...(chart.appVersion ? { appVersion: chart.appVersion } : {}),
          ...(chart.dependencies?.length
            ? { dependencies: chart.dependencies.map((d) => toWireDependency(d)) }
            : {}),
          type: chart.type ?? 'application',
        },
        lock: chart.lock
          ? {
              generated: chart.lock.generated,
              digest: chart.lock.digest,
              dependencies: chart.lock.dependencies.map(toWireLockDependency),
            }
          : null,
        // Helm keeps the top chart's template sources; for a seeded release the rendered files
        // stand in for them (rollback re-applies the stored manifest, never re-renders these).
        templates: revision.templates
          .filter((t) => !t.path.startsWith('charts/'))
          .map((t) => ({
            name: t.path,
            data: encodeBase64(
              utf8(
                sortManifestDocuments(chart.name, [t])
                  .map((d) => d.content)
                  .join('\n---\n'),
              ),
            ),
          })),
        values: chart.values ?? {},
        schema: null,
        files: [{ name: '.helmignore', data: encodeBase64(utf8('.git/\n*.swp\n')) }],
      },
      ...(Object.keys(revision.values).length > 0 ? { config: revision.values } : {}),
      manifest,
      version,
      namespace: seed.namespace,
      ...(seed.labels ? { labels: seed.labels } : {}),
    });
  });
  const secrets = releases.map((release, i) => {
    const unix = Math.floor(times[i]!.getTime() / 1000);
    // A revision still pending was only created (createdAt); one whose status moved on was
    // updated, and Helm's Update replaces the labels (modifiedAt only).
    const pending = release.info!.status!.startsWith('pending-');
    return encodeHelmReleaseSecret(
      release,
      pending ? { createdAt: unix } : { modifiedAt: unix + 1 },
    );
  });
  const liveRevision = seed.liveRevision ?? defaultLiveRevision(seed.revisions);
  const live = seed.revisions[liveRevision - 1];
  if (!live) throw new Error(`helm release ${seed.name}: no revision ${liveRevision}`);
  const liveChart = live.chart ?? seed.chart;
  const objects =
    live.status === 'uninstalled'
      ? []
      : sortManifestDocuments(liveChart.name, live.templates).map((d) =>
          helmOwnedObject(d.object, seed.name, seed.namespace),
        );
  return { secrets, objects, releases, manifest: manifests[liveRevision - 1]!, liveRevision };
}

/** The object as Helm 3 creates it: release namespace filled in, ownership label and annotations added. */
export function helmOwnedObject(
  object: KubeObject,
  releaseName: string,
  releaseNamespace: string,
): KubeObject {
  const copy = structuredClone(object);
  const metadata = copy.metadata;
  if (isClusterScopedKind(copy.kind)) delete metadata.namespace;
  else metadata.namespace = metadata.namespace ?? releaseNamespace;
  metadata.labels = { ...(metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'Helm' };
  metadata.annotations = {
    ...(metadata.annotations ?? {}),
    'meta.helm.sh/release-name': releaseName,
    'meta.helm.sh/release-namespace': releaseNamespace,
  };
  return copy;
}

function defaultLiveRevision(revisions: HelmRevisionSeed[]): number {
  for (let i = revisions.length - 1; i >= 0; i--)
    if (revisions[i]!.status === 'deployed') return i + 1;
  return revisions.length;
}

/** The descriptions helm 3 writes for each step (pkg/action install.go, upgrade.go, rollback.go, uninstall.go). */
function defaultDescription(name: string, status: HelmReleaseStatus, version: number): string {
  switch (status) {
    case 'deployed':
    case 'superseded':
      return version === 1 ? 'Install complete' : 'Upgrade complete';
    case 'pending-install':
      return 'Initial install underway';
    case 'pending-upgrade':
      return 'Preparing upgrade';
    case 'pending-rollback':
      return `Rollback to ${Math.max(1, version - 2)}`;
    case 'failed':
      return version === 1
        ? `Release "${name}" failed: context deadline exceeded`
        : `Upgrade "${name}" failed: context deadline exceeded`;
    case 'uninstalling':
      return 'Deletion in progress (or silently failed)';
    case 'uninstalled':
      return 'Uninstallation complete';
    default:
      return '';
  }
}

/** As Helm stores it after processing dependencies: an aliased dependency carries its alias as name. */
function toWireDependency(d: HelmChartDependency): HelmWireDependency {
  return {
    name: d.alias ?? d.name,
    ...(d.version ? { version: d.version } : {}),
    repository: d.repository ?? '',
    ...(d.condition ? { condition: d.condition } : {}),
    ...(d.tags?.length ? { tags: d.tags } : {}),
    ...(d.enabled ? { enabled: true } : {}),
    ...(d.alias ? { alias: d.alias } : {}),
  };
}

function toWireLockDependency(d: HelmChartDependency): HelmWireDependency {
  return {
    name: d.name,
    ...(d.version ? { version: d.version } : {}),
    repository: d.repository ?? '',
  };
}

/** Go's time.Time JSON (RFC 3339 with fractional seconds trimmed of trailing zeros), in UTC. */
export function goTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
