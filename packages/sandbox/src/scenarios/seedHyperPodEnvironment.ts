/** What AWS holds for a HyperPod inference install in a scenario: roles, bucket, certificate, load balancer. */
import type { Sandbox, SandboxCluster } from '../Sandbox';

/** An IRSA trust policy: the cluster's OIDC provider may issue tokens for this service account. */
export const oidcTrust = (accountId: string, issuer: string, serviceAccount: string) => {
  const host = issuer.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${host}:sub`]: `system:serviceaccount:${serviceAccount}`,
            [`${host}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
};

export const roleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export interface HyperPodEnvironment {
  hyperpodClusterArn: string;
  /** First 8 characters of the HyperPod cluster id, used in role names by the migration. */
  id8: string;
  bucket: string;
  certificateArn: string;
  loadBalancerDns: string;
}

/** Bucket names are global: one per cluster. */
export const tlsBucket = (c: SandboxCluster) => `hyperpod-tls-${c.accountId}-${c.name}`;

/**
 * The AWS side a HyperPod inference install relies on: the HyperPod cluster, its TLS bucket with a
 * certificate object, an ALB and an ACM certificate (each with tags of their own), and the IAM
 * roles named in `roles`.
 */
export function seedHyperPodEnvironment(
  sb: Sandbox,
  c: SandboxCluster,
  hyperpodClusterArn: string,
  roles: Record<string, string>,
): HyperPodEnvironment {
  const { accountId, region } = c;
  const id = hyperpodClusterArn.slice(hyperpodClusterArn.lastIndexOf('/') + 1);
  const issuer = sb.services.eks.describeClusterSeed(accountId, region, c.name).oidcIssuer;
  for (const [sa, arn] of Object.entries(roles)) {
    sb.services.iam.seedRole({
      accountId,
      name: roleName(arn),
      trustPolicy: oidcTrust(accountId, issuer, sa),
      attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'],
      inlinePolicies: {
        [`${roleName(arn)}-s3`]: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }],
        },
      },
      tags: { team: 'ml-platform' },
    });
  }
  const bucket = tlsBucket(c);
  sb.services.s3.seedBucket({ accountId, region, name: bucket });
  sb.services.s3.seedObject(bucket, `certs/${c.name}/llama-3-8b/tls.pem`, {
    team: 'ml-platform',
    'cost-center': '4711',
  });
  const certificateArn = sb.services.acm.seedCertificate({
    accountId,
    region,
    domainName: `llama-3-8b.${c.name}.ml.example.com`,
    tags: { Environment: 'production' },
  });
  const lb = sb.services.elbv2.seedLoadBalancer({
    accountId,
    region,
    name: `k8s-default-albllama-${c.name.replace(/[^a-z0-9]/g, '').slice(0, 8)}`,
    tags: { 'elbv2.k8s.aws/cluster': c.name, 'ingress.k8s.aws/stack': 'default/alb-llama-3-8b' },
  });
  return {
    hyperpodClusterArn,
    id8: id.slice(0, 8),
    bucket,
    certificateArn,
    loadBalancerDns: lb.dnsName,
  };
}

/** The HyperPod cluster behind EKS cluster `c` (`hp-<name>`); returns its ARN. */
export function seedHyperPodCluster(sb: Sandbox, c: SandboxCluster): string {
  return sb.services.sagemaker.seedHyperPodCluster({
    accountId: c.accountId,
    region: c.region,
    name: `hp-${c.name}`,
    eksClusterArn: c.arn,
  });
}
