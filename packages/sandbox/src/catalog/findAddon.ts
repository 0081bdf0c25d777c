/** Lookups in the add-on catalog: an add-on, a version, the default, newest and oldest version for a Kubernetes version. */
import { ADDON_CATALOG } from './addonCatalog';
import type { AddonSpec, AddonVersionSpec } from './AddonSpec';

export function findAddon(addonName: string): AddonSpec | undefined {
  return ADDON_CATALOG.find((a) => a.addonName === addonName);
}

export function findAddonVersion(
  addonName: string,
  addonVersion: string,
): AddonVersionSpec | undefined {
  return findAddon(addonName)?.versions.find((v) => v.addonVersion === addonVersion);
}

/** The version EKS installs on a cluster of `kubernetesVersion` when CreateAddon names none. */
export function defaultAddonVersion(
  addonName: string,
  kubernetesVersion: string,
): string | undefined {
  return findAddon(addonName)?.versions.find((v) => v.defaultFor.includes(kubernetesVersion))
    ?.addonVersion;
}

/** The newest version of an add-on compatible with `kubernetesVersion`. */
export function latestAddonVersion(
  addonName: string,
  kubernetesVersion: string,
): string | undefined {
  return findAddon(addonName)?.versions.find((v) => v.clusterVersions.includes(kubernetesVersion))
    ?.addonVersion;
}

/** The oldest version of an add-on offered for `kubernetesVersion` (versions are listed newest first). */
export function oldestAddonVersion(
  addonName: string,
  kubernetesVersion: string,
): string | undefined {
  return findAddon(addonName)
    ?.versions.filter((v) => v.clusterVersions.includes(kubernetesVersion))
    .at(-1)?.addonVersion;
}
