/**
 * The versions of one add-on EKS offers for a cluster's Kubernetes version, as `addons versions`
 * and the portal's version picker show them: newest first, the default and the installed one
 * marked, each with every Kubernetes version it supports.
 */
import { compatibleVersions, type AddonCatalogEntry } from './addonDrift';

export interface AddonVersionRow {
  version: string;
  /** EKS installs this version when none is given. */
  default: boolean;
  installed: boolean;
  /** Every Kubernetes version this add-on version supports, ascending. */
  kubernetesVersions: string[];
}

export interface AddonVersionsOffered {
  installed?: string;
  default?: string;
  latest?: string;
  /** Newest first. */
  versions: AddonVersionRow[];
}

export function addonVersionsOffered(
  entry: AddonCatalogEntry,
  kubernetesVersion: string,
  installed: string | undefined,
): AddonVersionsOffered {
  const v = compatibleVersions(entry, kubernetesVersion);
  return {
    ...(installed !== undefined ? { installed } : {}),
    ...(v.default !== undefined ? { default: v.default } : {}),
    ...(v.latest !== undefined ? { latest: v.latest } : {}),
    versions: v.compatible.map((version) => {
      const info = entry.versions.find((x) => x.addonVersion === version);
      const k8s = [...new Set((info?.compatibilities ?? []).map((c) => c.clusterVersion))].sort(
        (a, b) => a.localeCompare(b, 'en', { numeric: true }),
      );
      return {
        version,
        default: version === v.default,
        installed: version === installed,
        kubernetesVersions: k8s,
      };
    }),
  };
}
