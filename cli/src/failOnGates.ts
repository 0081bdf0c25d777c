/**
 * The CI gates of `--fail-on`. Pure, so the same verdict can be tested without a scan and
 * documented in one place.
 */
import type { ClusterReport } from '@hyperpod/core';
import { healthRank, tripsDriftGate } from '@hyperpod/core';

/**
 * `--fail-on degraded`: some cluster is Degraded, Missing or Unknown. Progressing (an add-on
 * being created or updated) does not trip it: a CI job should not fail because an update runs.
 */
export function tripsDegraded(reports: ClusterReport[]): boolean {
  return reports.some((r) => healthRank(r.health) >= healthRank('Degraded'));
}

/**
 * `--fail-on drift`: the core's drift gate (driftGateHits): some add-on, or the add-on version a
 * Helm install carries, is behind its default or not offered for the cluster's Kubernetes
 * version, or must move (or has nowhere to move) before the next Kubernetes version. On the
 * default while newer exist, and `after` (kube-proxy: updated right after the control plane),
 * are not drift.
 */
export function tripsDrift(reports: ClusterReport[]): boolean {
  return tripsDriftGate(reports);
}
