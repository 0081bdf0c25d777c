/** A scenario cluster where the inference operator is the EKS add-on, with its dependencies. */
import type { AddonIssue } from '../aws/eks/EksService';
import { latestAddonVersion } from '../catalog/findAddon';
import { INFERENCE_NS } from '../catalog/workloads/inferenceWorkloads';
import type { Sandbox, SandboxCluster } from '../Sandbox';
import { seedClusterAddon, seedCoreAddons } from './seedClusterAddons';
import { oidcTrust, roleName, seedHyperPodCluster, tlsBucket } from './seedHyperPodEnvironment';

export const INFERENCE_ADDON = 'amazon-sagemaker-hyperpod-inference';

/** The add-ons the inference add-on relies on, at their newest versions. */
const DEPENDENCIES = [
  'aws-mountpoint-s3-csi-driver',
  'aws-fsx-csi-driver',
  'cert-manager',
  'metrics-server',
];

/** A cluster where the inference operator is already the EKS add-on. */
export async function addonCluster(
  sb: Sandbox,
  spec: { account: string; region: string; name: string; version: string },
  inference: { version: string; status?: 'ACTIVE' | 'DEGRADED'; issues?: AddonIssue[] },
): Promise<SandboxCluster> {
  const c = await sb.addCluster(spec);
  seedCoreAddons(sb, c);
  for (const addonName of DEPENDENCIES)
    seedClusterAddon(sb, c, addonName, latestAddonVersion(addonName, c.kubernetesVersion)!);
  const hyperpodClusterArn = seedHyperPodCluster(sb, c);
  const id8 = hyperpodClusterArn.slice(hyperpodClusterArn.lastIndexOf('/') + 1).slice(0, 8);
  const executionRoleArn = `arn:aws:iam::${c.accountId}:role/SageMakerHyperPodInference-${id8}-execution-role`;
  const issuer = sb.services.eks.describeClusterSeed(c.accountId, c.region, c.name).oidcIssuer;
  sb.services.iam.seedRole({
    accountId: c.accountId,
    name: roleName(executionRoleArn),
    trustPolicy: oidcTrust(
      c.accountId,
      issuer,
      `${INFERENCE_NS}:hyperpod-inference-controller-manager`,
    ),
    attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'],
  });
  const bucket = tlsBucket(c);
  sb.services.s3.seedBucket({ accountId: c.accountId, region: c.region, name: bucket });
  seedClusterAddon(sb, c, INFERENCE_ADDON, inference.version, {
    status: inference.status ?? 'ACTIVE',
    health: inference.issues,
    configurationValues: JSON.stringify({
      executionRoleArn,
      tlsCertificateS3Bucket: bucket,
      hyperpodClusterArn,
    }),
  });
  return c;
}
