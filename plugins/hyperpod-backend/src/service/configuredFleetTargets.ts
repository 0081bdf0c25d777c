/**
 * The fleet as app-config describes it: the configured clusters, then those found by each
 * `hyperpod.fleet.discover` entry (EKS clusters, HyperPod or not). One discovery's failure is a
 * warning, not a lost fleet: the rest is still returned.
 */
import type { ClusterTarget } from '@hyperpod/core';
import { fleetTargets } from '@hyperpod/core-node';
import type { HyperpodConfig } from './config';
import type { FleetGateways } from './FleetGateways';

export async function configuredFleetTargets(
  config: HyperpodConfig,
  gateways: FleetGateways,
  warn: (message: string) => void,
): Promise<ClusterTarget[]> {
  const result = await fleetTargets(
    {
      clusters: config.clusters,
      discover: config.discover.map((d) => ({
        regions: d.regions,
        ...(d.accountId ? { accountId: d.accountId } : {}),
        ...(d.roleArn ? { roleArn: d.roleArn } : {}),
        ...(d.profile ? { profile: d.profile } : {}),
        ...(d.owner ? { labels: { owner: d.owner } } : {}),
      })),
    },
    gateways.gatewaysFor,
    { hyperpod: false },
  );
  for (const e of result.errors)
    warn(
      `fleet discovery (${e.source} ${e.accountId ?? 'default account'} ${e.region ?? ''}): ${e.error.message}`,
    );
  return result.targets;
}
