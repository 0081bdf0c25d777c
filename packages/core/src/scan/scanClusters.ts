/**
 * The fleet scan, the one loop the CLI, the backend (scheduled scans and portal refreshes) and
 * the benchmark run: every target's EKS calls paced per account and region by the learning pacer,
 * one retry layer (throttled calls are retried at the pacer's next token, other retryable errors
 * after a backoff; the SDK's own retries are off), the add-on catalog shared by every cluster,
 * and reports yielded as they finish.
 */
import type { ClusterReport } from '../report/ClusterReport';
import { accountMismatch } from '../report/accountMismatch';
import type { EksGateway } from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway } from '../ports/KubeGateway';
import { buildClusterReport } from './buildClusterReport';
import { CachingAddonCatalog, type AddonCatalogCache } from './CachingAddonCatalog';
import type { ClusterTarget } from './ClusterObservation';
import { observeCluster } from './observeCluster';
import { PacedEksGateway } from './pacing/PacedEksGateway';
import type { Pacer } from './pacing/Pacer';
import { scanFleet, type ScanFleetOptions } from './scanFleet';
import type { RetryOptions } from './withRetry';

export interface ScanClustersDeps {
  /** The target's EKS gateway, unpaced and without retries of its own. */
  eks(target: ClusterTarget): EksGateway;
  /** In-cluster reads; undefined (or no function) = AWS-side reads only. */
  kube?(target: ClusterTarget): Promise<KubeGateway | undefined>;
  /** Work before the first call that is no call (loading the SDK), run alongside `kube`. */
  prepare?(target: ClusterTarget): Promise<void>;
  pacer: Pacer;
  /** Shared by every cluster; default: a new cache for this scan. */
  catalog?: AddonCatalogCache;
}

export interface ScanClustersOptions extends ScanFleetOptions {
  retry?: RetryOptions;
}

/** Tries per call, the first included: the one retry budget of a scan call. */
export const SCAN_ATTEMPTS = 4;

/**
 * Clusters in flight per account and region: enough to keep about three seconds of calls queued
 * at the scope's rate (a cluster is ~14 calls), at least 2, at most 8. More would only queue
 * calls behind each other: a cluster's sequential calls (DescribeCluster, then ListAddons) would
 * each wait for the whole queue, and a drop of the limit would push it past its timeout.
 */
export function clustersPerScope(rate: number): number {
  return Math.min(8, Math.max(2, Math.ceil((rate * 3) / 14)));
}

/** The pacing scope of a target: its account (or the identity that reaches it) and region. */
export function pacingScope(t: ClusterTarget): string {
  const who =
    t.accountId ?? (t.roleArn ? `role:${t.roleArn}` : `profile:${t.profile ?? 'default'}`);
  return `${who}/${t.region ?? ''}`;
}

const throttled = (error: unknown): boolean =>
  error instanceof GatewayError && error.kind === 'Throttled';

export function scanClusters(
  targets: Iterable<ClusterTarget>,
  deps: ScanClustersDeps,
  opts: ScanClustersOptions = {},
): AsyncGenerator<ClusterReport> {
  const catalog = deps.catalog ?? new CachingAddonCatalog();
  const { retry, ...fleetOpts } = opts;
  const startRate = deps.pacer.startRate;
  const retryOpts: RetryOptions = {
    attempts: SCAN_ATTEMPTS,
    delayFor: (error) => (throttled(error) ? 0 : undefined),
    ...retry,
  };
  return scanFleet(
    targets,
    async (target, ctx) => {
      const [kube] = await Promise.all([deps.kube?.(target), deps.prepare?.(target)]);
      const obs = await observeCluster(target, {
        eks: new PacedEksGateway(deps.eks(target), deps.pacer, pacingScope(target)),
        ...(kube ? { kube } : {}),
        catalog,
        retry: retryOpts,
        isCancelled: () => ctx.isCancelled(),
      });
      const report = buildClusterReport(obs);
      // Read from another account than the fleet file or the context's ARN says: not this cluster.
      const mismatch = accountMismatch(target.accountId, report);
      return mismatch
        ? { ...report, health: 'Unknown', errors: [...report.errors, mismatch] }
        : report;
    },
    {
      concurrencyPerRegion: (t) => clustersPerScope(deps.pacer.rate(pacingScope(t)) ?? startRate),
      ...fleetOpts,
    },
  );
}
