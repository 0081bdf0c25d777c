import type { ClusterTarget, MigrationGateways } from '@hyperpod/core';
import type { CommandLine } from '../CommandLine';
import { awsGateways } from './awsGateways';
import { requiredKubeGatewayFor } from './kubeGatewayFor';

/** What a migration or an upgrade needs to reach one cluster. */
export interface MigrationWiringOptions {
  /** Time one AWS or Kubernetes request may take. */
  timeoutMs: number;
}

/**
 * The gateways `discoverMigration` and the executor use for one resolved target: EKS, IAM, S3,
 * ELBv2, ACM and STS for its account, region and profile (the AwsClients path the scan uses), and
 * the scan's client-node gateway on its kubeconfig context. A target without a context cannot be
 * migrated: the run reads Helm releases and changes objects in the cluster.
 */
export async function migrationGatewaysFor(
  target: ClusterTarget,
  opts: MigrationWiringOptions,
  cl: CommandLine,
): Promise<MigrationGateways> {
  const kube = await requiredKubeGatewayFor(
    target,
    opts.timeoutMs,
    'a migration reads and changes objects in the cluster',
    cl,
  );
  const { eks, iam, s3, elbv2, acm, sts } = await awsGateways(target, opts.timeoutMs);
  return { eks, iam, s3, elbv2, acm, sts, kube };
}
