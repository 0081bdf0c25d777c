/**
 * What `--fail-on drift` (and any other CI gate on drift) counts as drift. One rule, here, so the
 * CLI's exit code, its help, the docs and the portal cannot disagree about it.
 */
import {
  blocksClusterUpgrade,
  driftNeedsAction,
  type ReadinessVerdict,
} from '../addons/addonDrift';
import type { ClusterReport } from './ClusterReport';

/** Why an add-on trips the drift gate. */
export type DriftGateReason =
  /** Older than the default version EKS offers for the cluster's Kubernetes version. */
  | 'behind-default'
  /** Not offered for the cluster's Kubernetes version at all. */
  | 'incompatible'
  /** Must move to a version offered on both before the control plane can move. */
  | 'upgrade-first'
  /** No version is offered for the next Kubernetes version. */
  | 'no-compatible-version';

export interface DriftGateHit {
  cluster: string;
  addon: string;
  reasons: DriftGateReason[];
}

/**
 * The add-ons that trip the drift gate, per cluster and add-on. Being on the default while newer
 * versions exist (`default`, `behind-latest`) is not drift, and neither is `upgrade-after`:
 * add-ons like kube-proxy follow the Kubernetes minor, so no version can run on both and every
 * cluster would trip; they are updated right after the control plane and block nothing.
 * A Helm install trips through the add-on version that carries the same software.
 */
export function driftGateHits(reports: readonly ClusterReport[]): DriftGateHit[] {
  const hits: DriftGateHit[] = [];
  for (const r of reports) {
    const verdicts = new Map<string, ReadinessVerdict>(
      (r.readiness?.addons ?? []).map((a) => [a.addonName, a.verdict]),
    );
    const names = new Set([...r.addons.map((a) => a.name), ...verdicts.keys()]);
    for (const name of names) {
      const reasons: DriftGateReason[] = [];
      const status = r.addons.find((a) => a.name === name)?.drift?.status;
      if (status && driftNeedsAction(status)) reasons.push(status as DriftGateReason);
      const verdict = verdicts.get(name);
      if (verdict && blocksClusterUpgrade(verdict))
        reasons.push(verdict as 'upgrade-first' | 'no-compatible-version');
      if (reasons.length > 0) hits.push({ cluster: r.cluster.name, addon: name, reasons });
    }
  }
  return hits;
}

/** `--fail-on drift`: true when some add-on of some cluster trips the gate (see driftGateHits). */
export function tripsDriftGate(reports: readonly ClusterReport[]): boolean {
  return driftGateHits(reports).length > 0;
}
