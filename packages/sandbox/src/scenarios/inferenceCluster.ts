/**
 * One EKS cluster with the AWS side the inference operator's chart values name, as a customer has
 * it before installing the real charts: the core add-ons, a HyperPod cluster on it, the TLS bucket,
 * and IRSA roles trusted through the cluster's OIDC issuer on demand.
 */
import type { Sandbox, SandboxCluster } from '../Sandbox';
import { oidcTrust } from './seedHyperPodEnvironment';
import { seedCoreAddons } from './seedClusterAddons';

export interface InferenceCluster {
  cluster: SandboxCluster;
  hyperpodClusterArn: string;
  /** Bucket name (without `s3://`). */
  tlsBucket: string;
  /** IRSA role `name` trusted by `serviceAccount` (`ns:name`); returns its ARN. */
  seedRole(name: string, serviceAccount: string): string;
}

export async function addInferenceCluster(
  sb: Sandbox,
  clusterName: string,
  opts: { account?: string; region?: string; version?: string } = {},
): Promise<InferenceCluster> {
  const cluster = await sb.addCluster({
    account: opts.account ?? 'prod',
    region: opts.region ?? 'us-east-1',
    name: clusterName,
    version: opts.version ?? '1.31',
  });
  const { accountId, region } = cluster;
  seedCoreAddons(sb, cluster);
  const hyperpodClusterArn = sb.services.sagemaker.seedHyperPodCluster({
    accountId,
    region,
    name: `hp-${clusterName}`,
    eksClusterArn: cluster.arn,
  });
  const tlsBucket = `hyperpod-tls-${accountId}-${clusterName}`;
  sb.services.s3.seedBucket({ accountId, region, name: tlsBucket });
  const issuer = sb.services.eks.describeClusterSeed(accountId, region, clusterName).oidcIssuer;
  return {
    cluster,
    hyperpodClusterArn,
    tlsBucket,
    seedRole: (name, serviceAccount) =>
      sb.services.iam.seedRole({
        accountId,
        name,
        trustPolicy: oidcTrust(accountId, issuer, serviceAccount),
        attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'],
        tags: { team: 'ml-platform' },
      }).arn,
  };
}
