/**
 * The EKS add-on version that carries the same upstream software as a Helm chart: what a
 * migration keeps the cluster on, and what "Helm chart vs add-on version" drift compares.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import { compareAddonVersions, parseAddonVersion } from '../addons/addonVersion';

/**
 * The newest add-on version (highest eksbuild) whose `vX.Y.Z` is `appVersion` (`1.14.1`,
 * `v1.18.2`), or undefined when the catalog has none.
 */
export function equivalentAddonVersion(
  appVersion: string,
  entry: AddonCatalogEntry,
): string | undefined {
  const app = parseAddonVersion(appVersion);
  if (!app) return undefined;
  return entry.versions
    .map((v) => v.addonVersion)
    .filter((v) => {
      const p = parseAddonVersion(v);
      return (
        p !== undefined && p.major === app.major && p.minor === app.minor && p.patch === app.patch
      );
    })
    .sort((a, b) => compareAddonVersions(b, a))[0];
}
