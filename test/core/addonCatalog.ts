import type { AddonCatalogEntry } from '@hyperpod/core';
import { ADDON_CATALOG, type AddonSpec } from '@hyperpod/sandbox';

/** The sandbox catalog's add-on `name` (real version lines). */
export const addonSpec = (name: string): AddonSpec =>
  ADDON_CATALOG.find((a) => a.addonName === name)!;

/** DescribeAddonVersions' answer (all Kubernetes versions) in domain form, from the sandbox's catalog. */
export const catalogEntry = (spec: AddonSpec): AddonCatalogEntry => ({
  addonName: spec.addonName,
  versions: spec.versions.map((v) => ({
    addonVersion: v.addonVersion,
    compatibilities: v.clusterVersions.map((k) => ({
      clusterVersion: k,
      defaultVersion: v.defaultFor.includes(k),
    })),
  })),
});
