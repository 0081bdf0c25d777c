import { compatibleVersions, type AddonCatalogEntry } from '../addons/addonDrift';
import { compareAddonVersions } from '../addons/addonVersion';

/** The version to install: requested, else the default for the Kubernetes version if it meets `min`, else the newest compatible one. */
export function chooseAddonVersion(
  catalog: AddonCatalogEntry,
  kubernetesVersion: string,
  opts: { requested?: string; min?: string } = {},
): string | undefined {
  const offered = compatibleVersions(catalog, kubernetesVersion);
  if (opts.requested === 'latest') return offered.latest;
  if (opts.requested && opts.requested !== 'default')
    return offered.compatible.includes(opts.requested) ? opts.requested : undefined;
  const ok = (v: string | undefined) =>
    v !== undefined && (!opts.min || compareAddonVersions(v, opts.min) >= 0);
  if (ok(offered.default)) return offered.default;
  return ok(offered.latest) ? offered.latest : undefined;
}
