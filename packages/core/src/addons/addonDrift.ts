/**
 * Version drift of an installed EKS add-on against what EKS offers for the cluster's Kubernetes
 * version, and readiness of a cluster's add-ons for the next Kubernetes version. Inputs are the
 * domain form of DescribeAddonVersions answers.
 */
import { compareAddonVersions } from './addonVersion';

export interface AddonVersionCompatibility {
  clusterVersion: string;
  defaultVersion: boolean;
}

export interface AddonVersionInfo {
  addonVersion: string;
  compatibilities: AddonVersionCompatibility[];
}

/** What DescribeAddonVersions says about one add-on. */
export interface AddonCatalogEntry {
  addonName: string;
  versions: AddonVersionInfo[];
}

export interface CompatibleVersions {
  /** Newest first. */
  compatible: string[];
  default?: string;
  latest?: string;
}

export function compatibleVersions(
  entry: AddonCatalogEntry,
  clusterVersion: string,
): CompatibleVersions {
  const matching = entry.versions.filter((v) =>
    v.compatibilities.some((c) => c.clusterVersion === clusterVersion),
  );
  const compatible = matching.map((v) => v.addonVersion).sort((a, b) => compareAddonVersions(b, a));
  const def = matching.find((v) =>
    v.compatibilities.some((c) => c.clusterVersion === clusterVersion && c.defaultVersion),
  );
  return { compatible, default: def?.addonVersion, latest: compatible[0] };
}

export type VersionDriftStatus =
  /** At the newest compatible version. */
  | 'latest'
  /** At the default version, newer ones exist. */
  | 'default'
  /** Older than the default version. */
  | 'behind-default'
  /** Newer than the default, older than the newest. */
  | 'behind-latest'
  /** Not offered for this Kubernetes version. */
  | 'incompatible';

/**
 * Drift that calls for an upgrade: older than the default, or not offered for the cluster's
 * Kubernetes version at all. On the default while newer exist (`default`, `behind-latest`) is a
 * choice, not a problem. The CLI's `--fail-on drift`, the fleet totals and the portal's attention
 * marks all count by this rule.
 */
export function driftNeedsAction(status: VersionDriftStatus | undefined): boolean {
  return status === 'behind-default' || status === 'incompatible';
}

export interface VersionDrift {
  installed: string;
  default?: string;
  latest?: string;
  status: VersionDriftStatus;
  /** How many compatible versions are newer than the installed one. */
  newerVersions: number;
}

export function addonVersionDrift(
  installed: string,
  entry: AddonCatalogEntry,
  clusterVersion: string,
): VersionDrift {
  const v = compatibleVersions(entry, clusterVersion);
  const newerVersions = v.compatible.filter((c) => compareAddonVersions(c, installed) > 0).length;
  const base = { installed, default: v.default, latest: v.latest, newerVersions };
  if (!v.compatible.includes(installed)) return { ...base, status: 'incompatible' };
  if (newerVersions === 0) return { ...base, status: 'latest' };
  if (v.default !== undefined) {
    const d = compareAddonVersions(installed, v.default);
    if (d < 0) return { ...base, status: 'behind-default' };
    if (d === 0) return { ...base, status: 'default' };
  }
  return { ...base, status: 'behind-latest' };
}

/** `1.31` → `1.32`. Undefined for something that is not a Kubernetes minor version. */
export function nextKubernetesVersion(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  return m ? `${m[1]}.${Number(m[2]) + 1}` : undefined;
}

export type ReadinessVerdict =
  /** The installed version is offered for the next Kubernetes version too. */
  | 'ready'
  /** Must move to `requiredVersion` (offered for both versions) before the cluster upgrade. */
  | 'upgrade-first'
  /**
   * No version runs on both Kubernetes versions (kube-proxy's versions follow the Kubernetes
   * minor): update it to `requiredVersion` right after the control plane. Does not block.
   */
  | 'upgrade-after'
  /** No version is offered for the next Kubernetes version: blocks the cluster upgrade. */
  | 'no-compatible-version';

export interface AddonReadiness {
  addonName: string;
  installed: string;
  verdict: ReadinessVerdict;
  requiredVersion?: string;
}

export function addonReadiness(
  addonName: string,
  installed: string,
  entry: AddonCatalogEntry,
  clusterVersion: string,
  targetVersion: string,
): AddonReadiness {
  const next = compatibleVersions(entry, targetVersion);
  if (next.compatible.length === 0)
    return { addonName, installed, verdict: 'no-compatible-version' };
  if (next.compatible.includes(installed)) return { addonName, installed, verdict: 'ready' };
  const now = new Set(compatibleVersions(entry, clusterVersion).compatible);
  // The oldest version newer than the installed one that runs on both: the smallest step.
  const bridge = [...next.compatible]
    .reverse()
    .find((c) => now.has(c) && compareAddonVersions(c, installed) > 0);
  if (bridge) return { addonName, installed, verdict: 'upgrade-first', requiredVersion: bridge };
  return {
    addonName,
    installed,
    verdict: 'upgrade-after',
    requiredVersion: next.default ?? next.latest,
  };
}

/** Whether a verdict keeps the cluster from moving to the next Kubernetes version. */
export function blocksClusterUpgrade(verdict: ReadinessVerdict): boolean {
  return verdict === 'upgrade-first' || verdict === 'no-compatible-version';
}
