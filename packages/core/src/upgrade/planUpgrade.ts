/**
 * Plans an EKS add-on upgrade before anything changes: resolves the target version for the
 * cluster's Kubernetes version, refuses what EKS would refuse (or what would break), lays out a
 * multi-hop path for add-ons that move one minor version at a time, checks the current
 * configuration against the target version's schema, and lists dependency add-ons that must
 * move first (refusing when they are known to fall short). Pure: the inputs are what
 * DescribeAddon, DescribeAddonVersions, DescribeAddonConfiguration and ListAddons returned
 * (prepareUpgrade reads them).
 */
import { compatibleVersions, type AddonCatalogEntry } from '../addons/addonDrift';
import type { ResolveConflicts } from '../ports/EksGateway';
import { compareAddonVersions, parseAddonVersion } from '../addons/addonVersion';
import { INFERENCE_ADDON, INFERENCE_PREREQUISITES } from '../components/addonComponents';
import { parseConfigurationValues } from '../scan/configDrift';
import { validateConfiguration, type ConfigurationCheck } from './validateConfiguration';

export const UPGRADE_PLAN_SCHEMA_VERSION = 1;

/**
 * Add-ons AWS says to update one minor version at a time (Amazon VPC CNI); others may jump.
 */
export const STEPWISE_ADDONS: readonly string[] = ['vpc-cni'];

/** Minimum versions of other add-ons an add-on needs (the inference add-on's documented dependencies). */
export const ADDON_DEPENDENCIES: Readonly<
  Record<string, readonly { addonName: string; minVersion: string }[]>
> = {
  [INFERENCE_ADDON]: INFERENCE_PREREQUISITES.dependencyAddons,
};

export type UpgradeTarget = 'default' | 'latest' | string;

export interface PlanUpgradeInput {
  clusterName: string;
  kubernetesVersion: string;
  addon: { addonName: string; addonVersion: string; configurationValues?: string };
  target: UpgradeTarget;
  /** DescribeAddonVersions for this add-on. */
  catalog: AddonCatalogEntry;
  /** DescribeAddonConfiguration's schema text per add-on version (at least the target's). */
  schemas: Readonly<Record<string, string | undefined>>;
  /**
   * Installed add-on versions of the cluster, by name (for dependencies). Given, a dependency
   * below its minimum refuses the plan; unset, dependencies are only listed.
   */
  installed?: Readonly<Record<string, string>>;
  /** Sent with every UpdateAddon of the plan (and its rollback); unset = EKS's default. */
  resolveConflicts?: ResolveConflicts;
}

export interface UpgradePlan {
  schemaVersion: typeof UPGRADE_PLAN_SCHEMA_VERSION;
  clusterName: string;
  kubernetesVersion: string;
  addonName: string;
  from: string;
  /** Undefined when the target could not be resolved. */
  to?: string;
  /** Versions to update to, in order; the last is `to`. Empty when already there or refused. */
  hops: string[];
  /** The current configuration checked against the target version's schema. */
  configuration: ConfigurationCheck;
  /** Dependency add-ons below their minimum: upgrade (or install) them first. */
  dependenciesFirst: { addonName: string; minVersion: string; installed?: string }[];
  /** Why the plan cannot run as is; empty when it can. */
  refusals: string[];
  resolveConflicts?: ResolveConflicts;
}

/**
 * The version `target` names for a cluster on Kubernetes `kubernetesVersion`: `default` and
 * `latest` as DescribeAddonVersions says for that version, anything else as given (unchecked).
 */
export function resolveUpgradeTarget(
  catalog: AddonCatalogEntry,
  kubernetesVersion: string,
  target: UpgradeTarget,
): string | undefined {
  if (target !== 'default' && target !== 'latest') return target;
  const offered = compatibleVersions(catalog, kubernetesVersion);
  return target === 'default' ? offered.default : offered.latest;
}

export function planUpgrade(input: PlanUpgradeInput): UpgradePlan {
  const { addon, kubernetesVersion: k8s } = input;
  const offered = compatibleVersions(input.catalog, k8s);
  const refusals: string[] = [];
  const base = {
    schemaVersion: UPGRADE_PLAN_SCHEMA_VERSION,
    clusterName: input.clusterName,
    kubernetesVersion: k8s,
    addonName: addon.addonName,
    from: addon.addonVersion,
  } as const;

  const to = resolveUpgradeTarget(input.catalog, k8s, input.target);
  if (to === undefined) {
    refusals.push(`${addon.addonName} offers no ${input.target} version for Kubernetes ${k8s}`);
  } else if (!input.catalog.versions.some((v) => v.addonVersion === to)) {
    refusals.push(
      `${addon.addonName} has no version ${to}; offered for Kubernetes ${k8s}: ${offered.compatible.join(', ') || 'none'}`,
    );
  } else if (!offered.compatible.includes(to)) {
    refusals.push(
      `${addon.addonName} ${to} is not compatible with Kubernetes ${k8s}; offered: ${offered.compatible.join(', ') || 'none'}`,
    );
  } else if (compareAddonVersions(to, addon.addonVersion) < 0) {
    refusals.push(
      `${to} is older than the installed ${addon.addonVersion}: EKS add-ons are not downgraded by an upgrade`,
    );
  }

  const hops =
    refusals.length === 0 && to !== undefined && to !== addon.addonVersion
      ? path(addon.addonName, addon.addonVersion, to, offered.compatible)
      : [];

  // parseConfigurationValues hands back the text itself when it is not JSON.
  const values = parseConfigurationValues(addon.configurationValues) ?? {};
  const configuration: ConfigurationCheck =
    typeof values === 'string'
      ? { valid: false, errors: ['configurationValues is not valid JSON'] }
      : to !== undefined && refusals.length === 0
        ? validateConfiguration(values, input.schemas[to])
        : { valid: true, errors: [] };
  if (!configuration.valid && to !== undefined) {
    refusals.push(
      `the current configuration does not fit ${to}'s schema: ${configuration.errors.join('; ')}`,
    );
  }

  const dependenciesFirst: UpgradePlan['dependenciesFirst'] = (
    ADDON_DEPENDENCIES[addon.addonName] ?? []
  )
    .map((d) => ({ ...d, installed: input.installed?.[d.addonName] }))
    .filter((d) => d.installed === undefined || compareAddonVersions(d.installed, d.minVersion) < 0)
    .map((d) =>
      d.installed === undefined ? { addonName: d.addonName, minVersion: d.minVersion } : d,
    );

  // Only when the caller said what is installed: without that, the list is a reminder.
  if (input.installed !== undefined && dependenciesFirst.length > 0 && hops.length > 0) {
    refusals.push(
      `${addon.addonName} needs these add-ons first: ${dependenciesFirst
        .map(
          (d) =>
            `${d.addonName} ${d.minVersion} or newer (${d.installed ? `installed ${d.installed}` : 'not installed'})`,
        )
        .join(', ')}`,
    );
  }

  return {
    ...base,
    ...(to !== undefined ? { to } : {}),
    hops,
    configuration,
    dependenciesFirst,
    refusals,
    ...(input.resolveConflicts ? { resolveConflicts: input.resolveConflicts } : {}),
  };
}

/** One minor version at a time for step-wise add-ons (the newest build of each minor); else one hop. */
function path(
  addonName: string,
  from: string,
  to: string,
  compatible: readonly string[],
): string[] {
  if (!STEPWISE_ADDONS.includes(addonName)) return [to];
  const f = parseAddonVersion(from);
  const t = parseAddonVersion(to);
  if (!f || !t || f.major !== t.major) return [to];
  const hops: string[] = [];
  for (let minor = f.minor + 1; minor < t.minor; minor++) {
    const newestOfMinor = compatible
      .filter((v) => {
        const p = parseAddonVersion(v);
        return p !== undefined && p.major === f.major && p.minor === minor;
      })
      .sort(compareAddonVersions)
      .pop();
    if (newestOfMinor) hops.push(newestOfMinor);
  }
  hops.push(to);
  return hops;
}
