/**
 * Reads one cluster through the ports into a ClusterObservation: the EKS cluster and its
 * add-ons, the add-on catalog (through a cache shared by the whole scan), and, with Kubernetes
 * access, CSI drivers, CRDs, workloads and Helm releases. Every failed read is a ScanError in the
 * observation; nothing here throws for a cluster that cannot be read.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import { INFERENCE_ADDON, INFERENCE_PREREQUISITES } from '../components/addonComponents';
import { helmComponents } from '../components/helmComponents';
import type { HelmRelease } from '../helm/HelmRelease';
import { decodeHelmReleaseSecret } from '../helm/helmReleaseCodec';
import type { EksAddon, EksCluster, EksGateway } from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway, KubeObject } from '../ports/KubeGateway';
import type { ScanError } from '../report/ClusterReport';
import type { AddonCatalogCache } from './CachingAddonCatalog';
import type { ClusterObservation, ClusterTarget, WorkloadStatus } from './ClusterObservation';
import { withRetry, type RetryOptions } from './withRetry';
import { compareText } from '../text/compareText';

/** Lists the newest revision of every Helm release in one cluster. */
export interface HelmReleaseLister {
  listLatestReleases(): Promise<HelmRelease[]>;
}

export interface ObserveClusterDeps {
  /** A gateway for the cluster's account and region. */
  eks: EksGateway;
  /** In-cluster reads; undefined = none (the observation has no `kube`). */
  kube?: KubeGateway;
  /** Where Helm releases come from; default: Helm's release Secrets read through `kube`. */
  helm?: HelmReleaseLister;
  /** Finds the HyperPod cluster of an EKS cluster ARN, when the target does not name one. */
  hyperpod?: (eksClusterArn: string) => Promise<string | undefined>;
  /** Shared by every cluster of a scan. */
  catalog: AddonCatalogCache;
  /** Retries around each gateway call (throttling). */
  retry?: RetryOptions;
  /** Parallel DescribeAddon calls for this cluster. Default 8. */
  addonConcurrency?: number;
  /** Checked before each call: a timed-out scan stops issuing new calls. */
  isCancelled?: () => boolean;
  now?: () => number;
}

export function toScanError(step: string, error: unknown): ScanError {
  if (error instanceof GatewayError) return { ...error.toJSON(), step };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'Unknown', message, service: 'scan', operation: step, step };
}

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

function workloadStatus(o: KubeObject, kind: 'Deployment' | 'DaemonSet'): WorkloadStatus {
  const spec = (o['spec'] ?? {}) as Record<string, unknown>;
  const status = (o['status'] ?? {}) as Record<string, unknown>;
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  const base = {
    kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    labels: o.metadata.labels ?? {},
  };
  return kind === 'Deployment'
    ? { ...base, desired: num(spec['replicas'], 1), ready: num(status['readyReplicas'], 0) }
    : {
        ...base,
        desired: num(status['desiredNumberScheduled'], 0),
        ready: num(status['numberReady'], 0),
      };
}

/**
 * Helm 3's release Secrets that are not `superseded`: Helm marks a revision superseded once a
 * newer one is deployed, so the newest revision of a release never is, and a cluster's Helm
 * history (up to ten revisions a release by default, each Secret a gzipped chart and manifest)
 * stays on the server. As `helm list`, a release left with superseded revisions only (its newest
 * Secrets deleted by hand) is not listed.
 */
export const HELM_RELEASE_SECRETS_SELECTOR = 'owner=helm,status!=superseded';

/** The newest revision of every release stored as Helm 3 Secrets. */
export function kubeHelmReleaseLister(
  kube: KubeGateway,
  onError: (e: ScanError) => void,
): HelmReleaseLister {
  return {
    async listLatestReleases() {
      const secrets = await kube.list('v1', 'Secret', {
        labelSelector: HELM_RELEASE_SECRETS_SELECTOR,
      });
      const newest = new Map<string, KubeObject>();
      for (const s of secrets) {
        if (s['type'] !== undefined && s['type'] !== 'helm.sh/release.v1') continue;
        const labels = s.metadata.labels ?? {};
        const key = `${s.metadata.namespace ?? ''}/${labels['name'] ?? s.metadata.name}`;
        const known = newest.get(key);
        if (
          !known ||
          Number(labels['version'] ?? 0) > Number(known.metadata.labels?.['version'] ?? 0)
        )
          newest.set(key, s);
      }
      const out: HelmRelease[] = [];
      for (const [key, s] of newest) {
        try {
          out.push(decodeHelmReleaseSecret(s as Parameters<typeof decodeHelmReleaseSecret>[0]));
        } catch (error) {
          onError(toScanError(`decode helm release ${key}`, error));
        }
      }
      return out;
    },
  };
}

export async function observeCluster(
  target: ClusterTarget,
  deps: ObserveClusterDeps,
): Promise<ClusterObservation> {
  const now = deps.now ?? Date.now;
  const started = now();
  const errors: ScanError[] = [];
  const call = async <T>(step: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withRetry(() => {
        if (deps.isCancelled?.())
          throw new GatewayError('Timeout', 'scan cancelled (cluster timeout)', 'scan', step);
        return fn();
      }, deps.retry);
    } catch (error) {
      errors.push(toScanError(step, error));
      return undefined;
    }
  };

  const catalog = new Map<string, AddonCatalogEntry>();
  const catalogReads = new Map<string, Promise<void>>();
  const readCatalog = (addonName: string): Promise<void> => {
    let p = catalogReads.get(addonName);
    if (!p) {
      p = call(`describe add-on versions ${addonName}`, () =>
        deps.catalog.get(addonName, deps.eks),
      ).then((entry) => {
        if (entry) catalog.set(addonName, entry);
      });
      catalogReads.set(addonName, p);
    }
    return p;
  };

  const awsSide = async (): Promise<{ cluster?: EksCluster; addons: EksAddon[] }> => {
    const [cluster, names] = await Promise.all([
      call('describe cluster', () => deps.eks.describeCluster(target.name)),
      call('list add-ons', () => deps.eks.listAddons(target.name)),
    ]);
    // Without the cluster there is no Kubernetes version to judge add-ons against; ListAddons
    // failing too is the usual case (NotFound, AccessDenied).
    const addonNames = names ?? [];
    for (const n of addonNames) void readCatalog(n);
    const described = await mapConcurrent(addonNames, deps.addonConcurrency ?? 8, (n) =>
      call(`describe add-on ${n}`, () => deps.eks.describeAddon(target.name, n)),
    );
    return { cluster, addons: described.filter((a): a is EksAddon => a !== undefined) };
  };

  const kubeSide = async (): Promise<{
    kube?: ClusterObservation['kube'];
    helmReleases: HelmRelease[];
  }> => {
    const kube = deps.kube;
    const helm =
      deps.helm ?? (kube ? kubeHelmReleaseLister(kube, (e) => errors.push(e)) : undefined);
    const [csi, crds, deployments, daemonSets, releases] = await Promise.all([
      kube
        ? call('list CSI drivers', () =>
            kube.list('storage.k8s.io/v1', 'CSIDriver', { metadataOnly: true }),
          )
        : undefined,
      kube
        ? call('list CRDs', () =>
            // Names only: a CRD object carries its whole schema (megabytes for a cluster's CRDs).
            kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
              metadataOnly: true,
            }),
          )
        : undefined,
      kube ? call('list deployments', () => kube.list('apps/v1', 'Deployment')) : undefined,
      kube ? call('list daemonsets', () => kube.list('apps/v1', 'DaemonSet')) : undefined,
      helm ? call('read helm releases', () => helm.listLatestReleases()) : undefined,
    ]);
    const helmReleases = releases ?? [];
    for (const r of helmReleases) for (const c of helmComponents(r)) void readCatalog(c.addonName);
    if (!kube) return { helmReleases };
    const failed = (step: string) => errors.find((e) => e.step === step);
    const unread: NonNullable<NonNullable<ClusterObservation['kube']>['unread']> = {};
    if (!csi) unread.csiDrivers = failed('list CSI drivers');
    if (!crds) unread.crds = failed('list CRDs');
    if (!deployments || !daemonSets)
      unread.workloads = failed('list deployments') ?? failed('list daemonsets');
    if (!releases) unread.helmReleases = failed('read helm releases');
    for (const k of Object.keys(unread) as (keyof typeof unread)[])
      if (unread[k] === undefined) delete unread[k];
    return {
      helmReleases,
      kube: {
        csiDrivers: (csi ?? []).map((o) => o.metadata.name).sort(),
        crds: (crds ?? []).map((o) => o.metadata.name).sort(),
        workloads: [
          ...(deployments ?? []).map((o) => workloadStatus(o, 'Deployment')),
          ...(daemonSets ?? []).map((o) => workloadStatus(o, 'DaemonSet')),
        ],
        ...(Object.keys(unread).length > 0 ? { unread } : {}),
      },
    };
  };

  const [aws, inCluster] = await Promise.all([awsSide(), kubeSide()]);
  // The inference add-on's dependency add-ons are judged against the catalog too.
  const names = new Set([
    ...aws.addons.map((a) => a.addonName),
    ...inCluster.helmReleases.flatMap((r) => helmComponents(r).map((c) => c.addonName)),
  ]);
  if (names.has(INFERENCE_ADDON))
    for (const d of INFERENCE_PREREQUISITES.dependencyAddons) names.add(d.addonName);
  await Promise.all([...names].map(readCatalog));

  let hyperpodClusterArn = target.hyperpodClusterArn;
  const arn = aws.cluster?.arn ?? target.arn;
  if (!hyperpodClusterArn && deps.hyperpod && arn)
    hyperpodClusterArn = await call('find HyperPod cluster', () => deps.hyperpod!(arn));

  return {
    target,
    cluster: aws.cluster,
    addons: aws.addons.sort((a, b) => compareText(a.addonName, b.addonName)),
    catalog: [...catalog.values()].sort((a, b) => compareText(a.addonName, b.addonName)),
    helmReleases: inCluster.helmReleases,
    kube: inCluster.kube,
    hyperpodClusterArn,
    errors,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, now() - started),
  };
}
