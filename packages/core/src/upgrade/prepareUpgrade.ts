/**
 * Reads what planUpgrade needs from EKS and plans: the cluster's Kubernetes version
 * (DescribeCluster), the installed add-on (DescribeAddon), the versions offered for that
 * Kubernetes version (DescribeAddonVersions), the target version's configuration schema
 * (DescribeAddonConfiguration) and the installed versions of the add-on's dependencies
 * (ListAddons, DescribeAddon). Nothing is changed. The CLI and the backend both plan through it.
 */
import { compatibleVersions, type AddonCatalogEntry } from '../addons/addonDrift';
import type { EksGateway, ResolveConflicts } from '../ports/EksGateway';
import {
  ADDON_DEPENDENCIES,
  planUpgrade,
  resolveUpgradeTarget,
  type UpgradePlan,
  type UpgradeTarget,
} from './planUpgrade';

export interface PrepareUpgradeInput {
  clusterName: string;
  addonName: string;
  /** A version, `default` or `latest` (for the cluster's Kubernetes version). */
  target: UpgradeTarget;
  /** Sent with every UpdateAddon of the plan; unset = EKS's default. */
  resolveConflicts?: ResolveConflicts;
}

/** The add-on is not installed on the cluster: there is nothing to upgrade. */
export class AddonNotInstalledError extends Error {
  constructor(
    readonly clusterName: string,
    readonly addonName: string,
  ) {
    super(`${addonName} is not installed on ${clusterName}: there is nothing to upgrade`);
    this.name = 'AddonNotInstalledError';
  }
}

/**
 * The UpgradePlan for `input`, from what EKS says now. Throws AddonNotInstalledError when the
 * add-on is not installed, and the gateway's errors (GatewayError) when a read fails; every other
 * reason not to upgrade is a refusal in the plan.
 */
export async function prepareUpgrade(
  eks: EksGateway,
  input: PrepareUpgradeInput,
): Promise<UpgradePlan> {
  const { clusterName, addonName, target } = input;
  const cluster = await eks.describeCluster(clusterName);
  const k8s = cluster.version;
  const addon = await eks.describeAddon(clusterName, addonName);
  if (!addon) throw new AddonNotInstalledError(clusterName, addonName);

  const [catalog, installed] = await Promise.all([
    catalogFor(eks, addonName, k8s, target),
    installedDependencies(eks, clusterName, addonName),
  ]);

  const to = resolveUpgradeTarget(catalog, k8s, target);
  const schemas: Record<string, string | undefined> = {};
  // Only a version offered for this Kubernetes version can be checked (or installed);
  // planUpgrade says why the others are refused.
  if (to !== undefined && compatibleVersions(catalog, k8s).compatible.includes(to)) {
    schemas[to] = (await eks.describeAddonConfiguration(addonName, to)).configurationSchema;
  }

  return planUpgrade({
    clusterName,
    kubernetesVersion: k8s,
    addon: {
      addonName,
      addonVersion: addon.addonVersion,
      ...(addon.configurationValues !== undefined
        ? { configurationValues: addon.configurationValues }
        : {}),
    },
    target,
    catalog,
    schemas,
    ...(installed ? { installed } : {}),
    ...(input.resolveConflicts ? { resolveConflicts: input.resolveConflicts } : {}),
  });
}

/**
 * DescribeAddonVersions for the cluster's Kubernetes version; when an explicit target is not
 * among those, every version of the add-on, so the plan can tell "not compatible with this
 * Kubernetes version" from "no such version".
 */
async function catalogFor(
  eks: EksGateway,
  addonName: string,
  kubernetesVersion: string,
  target: UpgradeTarget,
): Promise<AddonCatalogEntry> {
  const pick = (entries: AddonCatalogEntry[]): AddonCatalogEntry =>
    entries.find((e) => e.addonName === addonName) ?? { addonName, versions: [] };
  const forCluster = pick(await eks.describeAddonVersions({ addonName, kubernetesVersion }));
  const explicit = target !== 'default' && target !== 'latest';
  if (!explicit || forCluster.versions.some((v) => v.addonVersion === target)) return forCluster;
  return pick(await eks.describeAddonVersions({ addonName }));
}

/** Installed versions of the add-on's dependency add-ons; undefined when it has none. */
async function installedDependencies(
  eks: EksGateway,
  clusterName: string,
  addonName: string,
): Promise<Record<string, string> | undefined> {
  const wanted = (ADDON_DEPENDENCIES[addonName] ?? []).map((d) => d.addonName);
  if (wanted.length === 0) return undefined;
  const names = new Set(await eks.listAddons(clusterName));
  const found = await Promise.all(
    wanted
      .filter((n) => names.has(n))
      .map(async (n) => [n, (await eks.describeAddon(clusterName, n))?.addonVersion] as const),
  );
  const installed: Record<string, string> = {};
  for (const [n, v] of found) if (v !== undefined) installed[n] = v;
  return installed;
}
