import type { ClusterTarget, EksGateway, KubeGateway } from '@hyperpod/core';
import type { CommandLine } from '../CommandLine';
import { awsGateways } from './awsGateways';
import { requiredKubeGatewayFor } from './kubeGatewayFor';
import type { MigrationWiringOptions } from './migrationGatewaysFor';

/** What an upgrade needs for one cluster: EKS for its account and region, and (to run) Kubernetes. */
export interface UpgradeGateways {
  eks: EksGateway;
  /** The cluster's API, where the upgrade lock (a Lease) lives; undefined when not asked for. */
  kube?: KubeGateway;
}

/**
 * The gateways `prepareUpgrade` and `runUpgradeLocked` use for one resolved target: EKS for its
 * account, region and profile, and with `kube` the client-node gateway on its kubeconfig context.
 * A plan only reads EKS; a run takes the add-on's upgrade lock in the cluster, so a target
 * without a context cannot be upgraded.
 */
export async function upgradeGatewaysFor(
  target: ClusterTarget,
  opts: MigrationWiringOptions & { kube: boolean },
  cl: CommandLine,
): Promise<UpgradeGateways> {
  const kube = opts.kube
    ? await requiredKubeGatewayFor(
        target,
        opts.timeoutMs,
        'an upgrade holds a lock (a Lease) in the cluster while it runs',
        cl,
      )
    : undefined;
  const { eks } = await awsGateways(target, opts.timeoutMs);
  return { eks, ...(kube ? { kube } : {}) };
}
