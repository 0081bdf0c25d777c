/**
 * The CI gates of `--fail-on`. Pure, so the same verdict can be tested without a scan and
 * documented in one place.
 */
import type { ClusterReport } from '@hyperpod/core';
import { healthRank } from '@hyperpod/core';

/**
 * `--fail-on degraded`: some cluster is Degraded, Missing or Unknown. Progressing (an add-on
 * being created or updated) does not trip it: a CI job should not fail because an update runs.
 */
export function tripsDegraded(reports: ClusterReport[]): boolean {
  return reports.some((r) => healthRank(r.health) >= healthRank('Degraded'));
}

/**
 * `--fail-on drift`: some add-on is older than its default version, runs a version not offered
 * for the cluster's Kubernetes version, or must move (or has nowhere to move) before the next
 * Kubernetes version. Being on the default while a newer version exists is not drift.
 */
export function tripsDrift(reports: ClusterReport[]): boolean {
  return reports.some(
    (r) =>
      r.addons.some(
        (a) => a.drift?.status === 'behind-default' || a.drift?.status === 'incompatible',
      ) || (r.readiness?.addons ?? []).some((x) => x.verdict !== 'ready'),
  );
}
