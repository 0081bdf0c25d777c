import type { ClusterTarget } from '@hyperpod/core';
import { ADDON_VERSIONS_SCHEMA_VERSION, type AddonVersionsReport } from '../AddonVersionsReport';
import { CliError, configError } from '../CliError';
import type { CommandLine } from '../CommandLine';
import { closest } from '../validateNames';
import { eksGateways } from './awsGateways';
import { core } from './loadModules';
import { pacerFor } from './pacerFor';
import type { ScanOptions } from './scanTargets';

/**
 * For `addons versions NAME`: per target, the cluster's Kubernetes version (DescribeCluster),
 * the installed version (DescribeAddon) and every offered version (DescribeAddonVersions).
 * A name EKS does not offer at all is a configuration error listing the add-ons it does offer.
 */
export async function listAddonVersions(
  targets: ClusterTarget[],
  addonName: string,
  opts: ScanOptions,
  cl: CommandLine,
): Promise<AddonVersionsReport[]> {
  const { addonVersionsOffered, GatewayError, PacedEksGateway, pacingScope } = await core();
  // A few calls per cluster outside the scan loop: the SDK's retries are their one retry layer,
  // the same pacer as a scan spaces them.
  const [gateways, pacer] = await Promise.all([
    eksGateways(opts.timeoutMs, true),
    pacerFor(opts.rateLimit),
  ]);
  const one = async (t: ClusterTarget): Promise<AddonVersionsReport> => {
    const eks = new PacedEksGateway(gateways.eksFor(t), pacer, pacingScope(t));
    const base: AddonVersionsReport = {
      schemaVersion: ADDON_VERSIONS_SCHEMA_VERSION,
      cluster: {
        name: t.name,
        arn: t.arn,
        accountId: t.accountId,
        region: t.region,
        context: t.context,
      },
      addonName,
      versions: [],
      errors: [],
    };
    let step = 'describe cluster';
    try {
      const cluster = await eks.describeCluster(t.name);
      base.cluster = {
        ...base.cluster,
        arn: cluster.arn,
        accountId: cluster.accountId,
        kubernetesVersion: cluster.version,
      };
      base.kubernetesVersion = cluster.version;
      step = 'describe add-on versions';
      const entries = await eks.describeAddonVersions({ addonName });
      step = 'describe add-on';
      const installed = await eks.describeAddon(t.name, addonName);
      const entry = entries.find((e) => e.addonName === addonName);
      if (!entry || entry.versions.length === 0) {
        const offered = (await eks.describeAddonVersions({ kubernetesVersion: cluster.version }))
          .map((e) => e.addonName)
          .sort();
        const guess = closest(addonName, offered);
        throw configError(
          `add-on "${addonName}" is not offered by EKS in ${t.region}${offered.length ? ` (known: ${offered.join(', ')})` : ''}`,
          guess
            ? cl.withArgument(addonName, guess)
            : 'aws eks describe-addon-versions --query "addons[].addonName"',
        );
      }
      const offered = addonVersionsOffered(entry, cluster.version, installed?.addonVersion);
      base.installed = offered.installed;
      base.default = offered.default;
      base.latest = offered.latest;
      base.versions = offered.versions;
    } catch (e) {
      if (e instanceof CliError) throw e;
      if (e instanceof GatewayError) base.errors.push({ ...e.toJSON(), step });
      else throw e;
    }
    return base;
  };
  const out: AddonVersionsReport[] = [];
  try {
    for (let i = 0; i < targets.length; i += opts.concurrency) {
      out.push(...(await Promise.all(targets.slice(i, i + opts.concurrency).map(one))));
    }
  } finally {
    await pacer.close();
  }
  return out;
}
