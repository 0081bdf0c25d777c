import type { Sandbox, SandboxCluster } from '@hyperpod/sandbox';

/** An add-on installed on a sandbox cluster at `addonVersion`, ACTIVE, as EKS would report it. */
export function seedAddon(
  sb: Sandbox,
  cluster: Pick<SandboxCluster, 'accountId' | 'region' | 'name'>,
  addonName: string,
  addonVersion: string,
  opts: { configurationValues?: string; serviceAccountRoleArn?: string } = {},
): void {
  sb.services.eks.seedAddon({
    accountId: cluster.accountId,
    region: cluster.region,
    clusterName: cluster.name,
    addonName,
    addonVersion,
    ...opts,
  });
}
