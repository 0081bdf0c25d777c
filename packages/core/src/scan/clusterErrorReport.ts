/**
 * The report of a cluster that could not be scanned at all (timeout, no credentials, a crash in a
 * gateway): an entry with a typed error and health Unknown, so a fleet scan never fails whole.
 */
import {
  CLUSTER_REPORT_SCHEMA_VERSION,
  type ClusterReport,
  type ScanError,
} from '../report/ClusterReport';
import type { ClusterTarget } from './ClusterObservation';

export function clusterErrorReport(
  target: ClusterTarget,
  errors: ScanError[],
  startedAt: number,
  durationMs: number,
): ClusterReport {
  const cluster = Object.fromEntries(
    Object.entries({
      name: target.name,
      arn: target.arn,
      accountId: target.accountId,
      region: target.region,
      context: target.context,
      hyperpodClusterArn: target.hyperpodClusterArn,
    }).filter(([, v]) => v !== undefined),
  ) as unknown as ClusterReport['cluster'];
  return {
    schemaVersion: CLUSTER_REPORT_SCHEMA_VERSION,
    cluster,
    health: 'Unknown',
    addons: [],
    errors,
    scannedAt: new Date(startedAt).toISOString(),
    durationMs,
  };
}
