/** The sandbox's add-on catalog in the port's domain form, to seed fakes with the same catalog. */
import type { AddonCatalogEntry } from '@hyperpod/core';

interface CatalogSpec {
  addonName: string;
  versions: {
    addonVersion: string;
    clusterVersions: string[];
    defaultFor: string[];
    configurationSchema?: unknown;
  }[];
}

export function toCatalogEntries(specs: readonly CatalogSpec[]): AddonCatalogEntry[] {
  return specs.map((a) => ({
    addonName: a.addonName,
    versions: a.versions.map((v) => ({
      addonVersion: v.addonVersion,
      compatibilities: v.clusterVersions.map((clusterVersion) => ({
        clusterVersion,
        defaultVersion: v.defaultFor.includes(clusterVersion),
      })),
    })),
  }));
}

export function toConfigurationSchemas(specs: readonly CatalogSpec[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of specs)
    for (const v of a.versions)
      if (v.configurationSchema !== undefined)
        out[`${a.addonName}@${v.addonVersion}`] = JSON.stringify(v.configurationSchema);
  return out;
}
