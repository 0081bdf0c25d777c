import { seedClusterAddon, type Sandbox, type SandboxCluster } from '@hyperpod/sandbox';

/**
 * What an upgrade test starts from: a Kubernetes 1.31 cluster `name` (account prod, us-east-1)
 * running vpc-cni `version` as an EKS add-on, with `configurationValues` and the IRSA role
 * `roleName`, as a user's cluster has them.
 */
export async function vpcCniCluster(
  sb: Sandbox,
  name: string,
  opts: { version: string; configurationValues: string; roleName: string },
): Promise<{ cluster: SandboxCluster; roleArn: string }> {
  const cluster = await sb.addCluster({
    account: 'prod',
    region: 'us-east-1',
    name,
    version: '1.31',
  });
  const roleArn = `arn:aws:iam::${cluster.accountId}:role/${opts.roleName}`;
  seedClusterAddon(sb, cluster, 'vpc-cni', opts.version, {
    configurationValues: opts.configurationValues,
    serviceAccountRoleArn: roleArn,
  });
  return { cluster, roleArn };
}
