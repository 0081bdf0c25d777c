/** A scenario cluster running the inference operator from a Helm release. */
import type { HelmValues } from '@hyperpod/core';
import { INFERENCE_NS } from '../catalog/workloads/inferenceWorkloads';
import { inferenceOperatorValues } from '../helm/inferenceOperatorRelease';
import { seedHelmRelease } from '../helm/seedHelmRelease';
import { loadBalancerControllerCrds } from '../kube/loadBalancerControllerCrds';
import type { Sandbox } from '../Sandbox';
import { seedCoreAddons } from './seedClusterAddons';
import { seedHyperPodCluster, seedHyperPodEnvironment, tlsBucket } from './seedHyperPodEnvironment';
import { seedInferenceWorkloads } from './seedInferenceWorkloads';

/** Service account (`namespace:name`) → IAM role ARN, as the Helm values name them. */
function inferenceRoles(values: HelmValues): Record<string, string> {
  const v = values as {
    executionRoleArn: string;
    jumpstartGatedModelDownloadRoleArn: string;
    s3: { serviceAccountRoleArn: string };
    alb: { serviceAccount: { roleArn: string } };
    keda: { podIdentity: { aws: { irsa: { roleArn: string } } } };
  };
  return {
    [`${INFERENCE_NS}:hyperpod-inference-operator-controller-manager`]: v.executionRoleArn,
    [`${INFERENCE_NS}:jumpstart-gated-model-download`]: v.jumpstartGatedModelDownloadRoleArn,
    'kube-system:s3-csi-driver-sa': v.s3.serviceAccountRoleArn,
    'kube-system:aws-load-balancer-controller': v.alb.serviceAccount.roleArn,
    'kube-system:keda-operator': v.keda.podIdentity.aws.irsa.roleArn,
  };
}

/**
 * A cluster where the inference operator runs from a Helm release, with everything it relies on
 * (HyperPod cluster, IRSA roles, TLS bucket and object, certificate, load balancer, models).
 * Exported for tests that need one such cluster on a sandbox of their own.
 */
export async function helmCluster(
  sb: Sandbox,
  spec: { account: string; region: string; name: string; version: string },
  release: (values: HelmValues) => Parameters<typeof seedHelmRelease>[1],
): Promise<void> {
  const c = await sb.addCluster(spec);
  seedCoreAddons(sb, c);
  // The HyperPod cluster comes first: its id is in the Helm values.
  const hyperpodClusterArn = seedHyperPodCluster(sb, c);
  const values = {
    ...inferenceOperatorValues({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      hyperpodClusterId: hyperpodClusterArn.slice(hyperpodClusterArn.lastIndexOf('/') + 1),
    }),
    tlsCertificateS3Bucket: `s3://${tlsBucket(c)}`,
  };
  const env = seedHyperPodEnvironment(sb, c, hyperpodClusterArn, inferenceRoles(values));
  // What `helm install` took from the load balancer controller sub-chart's crds/ directory:
  // created by helm, kept out of the release manifest, needed by any later upgrade.
  for (const crd of loadBalancerControllerCrds()) sb.kube(c.name).create(crd, 'helm');
  seedHelmRelease(sb.kube(c.name), release(values));
  seedInferenceWorkloads(sb, c, env);
}
