/**
 * The demo fleet: every state the product must show, over two accounts and two regions.
 *
 * | cluster          | account | region    | Kubernetes | state                                                       |
 * |------------------|---------|-----------|------------|-------------------------------------------------------------|
 * | ml-prod-use1     | prod    | us-east-1 | 1.31       | inference operator by Helm, chart 2.2.2 (upgraded from 2.1.0) |
 * | ml-dev-use1      | dev     | us-east-1 | 1.30       | inference operator as a sub-chart of `hyperpod-dependencies`, chart 2.1.0 |
 * | ml-research-usw2 | prod    | us-west-2 | 1.32       | add-on, newest version, dependencies as add-ons              |
 * | ml-staging-usw2  | dev     | us-west-2 | 1.31       | add-on, outdated version                                    |
 * | ml-batch-use1    | dev     | us-east-1 | 1.31       | add-on DEGRADED (replicas), coredns ConfigurationConflict   |
 * | ml-canary-usw2   | prod    | us-west-2 | 1.31       | Helm release stuck in pending-upgrade                       |
 * | ml-legacy-use1   | prod    | us-east-1 | 1.28       | oldest Kubernetes; snapshot-controller must move before 1.29 |
 */
import type { HelmValues } from '@hyperpod/core';
import type { Sandbox, SandboxCluster } from '../Sandbox';
import { defaultAddonVersion, latestAddonVersion } from '../catalog';
import {
  dependenciesReleaseSeed,
  inferenceOperatorReleaseSeed,
  inferenceOperatorValues,
} from '../helm/inferenceOperatorRelease';
import { seedHelmRelease } from '../helm/seedHelmRelease';
import { loadBalancerControllerCrds } from '../kube/loadBalancerControllerCrds';
import type { Scenario } from './index';

export const INFERENCE_ADDON = 'amazon-sagemaker-hyperpod-inference';
const INFERENCE_NS = 'hyperpod-inference-system';
const GROUP = 'inference.sagemaker.aws.amazon.com';

/** The trust policy of an IRSA role: `serviceAccount` (`ns:name`) of the cluster whose OIDC issuer this is. */
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

const roleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

interface HyperPodEnvironment {
  hyperpodClusterArn: string;
  /** First 8 characters of the HyperPod cluster id, used in role names by the migration. */
  id8: string;
  bucket: string;
  certificateArn: string;
  loadBalancerDns: string;
}

/**
 * The AWS side a HyperPod inference install relies on: the HyperPod cluster, its TLS bucket with a
 * certificate object, an ALB and an ACM certificate (each with tags of their own), and the IAM
 * roles named in `roles`.
 */
/** Bucket names are global: one per cluster. */
const tlsBucket = (c: SandboxCluster) => `hyperpod-tls-${c.accountId}-${c.name}`;

function seedHyperPodEnvironment(
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

/** Models served through the operator: a JumpStartModel, an InferenceEndpointConfig and the Ingress the ALB controller made. */
function seedInferenceWorkloads(sb: Sandbox, c: SandboxCluster, env: HyperPodEnvironment): void {
  const kube = sb.kube(c.name);
  const tlsStatus = {
    certificateARN: env.certificateArn,
    tlsCertificateOutputS3Bucket: env.bucket,
    tlsCertificateS3Keys: [`certs/${c.name}/llama-3-8b/tls.pem`],
  };
  kube.create(
    {
      apiVersion: `${GROUP}/v1`,
      kind: 'JumpStartModel',
      metadata: { name: 'llama-3-8b', namespace: 'default' },
      spec: {
        model: {
          modelHubName: 'SageMakerPublicHub',
          modelId: 'meta-textgeneration-llama-3-8b',
          modelVersion: '2.8.0',
        },
        server: { instanceType: 'ml.g5.8xlarge' },
        sageMakerEndpoint: { name: 'llama-3-8b' },
        tlsConfig: { tlsCertificateOutputS3Uri: `s3://${env.bucket}/certs/${c.name}/llama-3-8b/` },
      },
      status: { state: 'DeploymentComplete', tlsCertificate: tlsStatus },
    },
    'hyperpod-inference-operator',
  );
  kube.create(
    {
      apiVersion: `${GROUP}/v1`,
      kind: 'InferenceEndpointConfig',
      metadata: { name: 'mistral-7b', namespace: 'default' },
      spec: {
        modelName: 'mistral-7b',
        endpointName: 'mistral-7b',
        instanceType: 'ml.g5.2xlarge',
        tlsConfig: { tlsCertificateOutputS3Uri: `s3://${env.bucket}/certs/${c.name}/mistral-7b/` },
      },
      status: {
        state: 'DeploymentComplete',
        tlsCertificate: { ...tlsStatus, tlsCertificateS3Keys: [] },
      },
    },
    'hyperpod-inference-operator',
  );
  kube.create(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'alb-llama-3-8b',
        namespace: 'default',
        annotations: {
          'alb.ingress.kubernetes.io/certificate-arn': env.certificateArn,
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'llama-3-8b', port: { number: 8443 } } },
                },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ hostname: env.loadBalancerDns }] } },
    },
    'hyperpod-inference-operator',
  );
}

/** The core add-ons every EKS cluster has, at the default version for its Kubernetes version. */
export function seedCoreAddons(
  sb: Sandbox,
  c: SandboxCluster,
  overrides: Record<string, string> = {},
): void {
  for (const addonName of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent']) {
    const addonVersion =
      overrides[addonName] ?? defaultAddonVersion(addonName, c.kubernetesVersion);
    if (!addonVersion)
      throw new Error(`demo: no default ${addonName} for Kubernetes ${c.kubernetesVersion}`);
    sb.services.eks.seedAddon({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      addonName,
      addonVersion,
    });
  }
}

/**
 * What the ConfigurationConflict above reports, done as `kubectl edit` does it (an Update with
 * field manager `kubectl-edit`): the Corefile forwards to a corporate resolver and the image is a
 * patched build, so those fields belong to kubectl-edit and EKS's apply (NONE) stops at them.
 */
function handEditCoreDns(sb: Sandbox, c: SandboxCluster): void {
  const kube = sb.kube(c.name);
  const ref = (apiVersion: string, kind: string) => ({
    apiVersion,
    kind,
    namespace: 'kube-system',
    name: 'coredns',
  });
  const cm = kube.get(ref('v1', 'ConfigMap'))!;
  const data = cm['data'] as Record<string, string>;
  kube.update(
    {
      ...cm,
      data: {
        ...data,
        Corefile: data['Corefile']!.replace('forward . /etc/resolv.conf', 'forward . 10.20.0.2'),
      },
    },
    'kubectl-edit',
  );
  const deploy = kube.get(ref('apps/v1', 'Deployment'))!;
  const spec = JSON.parse(JSON.stringify(deploy['spec'])) as {
    template: { spec: { containers: { name: string; image: string }[] } };
  };
  const container = spec.template.spec.containers.find((x) => x.name === 'coredns')!;
  container.image = container.image.replace(/:[^:]+$/, ':v1.11.4-patched');
  kube.update({ ...deploy, spec }, 'kubectl-edit');
}

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
  const hyperpodClusterArn = sb.services.sagemaker.seedHyperPodCluster({
    accountId: c.accountId,
    region: c.region,
    name: `hp-${c.name}`,
    eksClusterArn: c.arn,
  });
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

/** A cluster where the inference operator is already the EKS add-on. */
async function addonCluster(
  sb: Sandbox,
  spec: { account: string; region: string; name: string; version: string },
  inference: {
    version: string;
    status?: 'ACTIVE' | 'DEGRADED';
    issues?: { code: string; message: string; resourceIds?: string[] }[];
  },
): Promise<SandboxCluster> {
  const c = await sb.addCluster(spec);
  seedCoreAddons(sb, c);
  const dependencies = [
    'aws-mountpoint-s3-csi-driver',
    'aws-fsx-csi-driver',
    'cert-manager',
    'metrics-server',
  ];
  for (const addonName of dependencies) {
    const addonVersion = latestAddonVersion(addonName, c.kubernetesVersion)!;
    sb.services.eks.seedAddon({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      addonName,
      addonVersion,
    });
  }
  const hyperpodClusterArn = sb.services.sagemaker.seedHyperPodCluster({
    accountId: c.accountId,
    region: c.region,
    name: `hp-${c.name}`,
    eksClusterArn: c.arn,
  });
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
  sb.services.eks.seedAddon({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
    addonName: INFERENCE_ADDON,
    addonVersion: inference.version,
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

/**
 * One account, one cluster running the inference operator from Helm (chart 2.2.2 after 2.1.0, in
 * kube-system), as ml-prod-use1 of the demo: the subject of migration tests and benchmarks.
 */
export function helmInferenceScenario(clusterName: string, kubernetesVersion = '1.31'): Scenario {
  return {
    name: 'one-helm-cluster',
    description: `${clusterName}: the inference operator from Helm`,
    async seed(sb) {
      sb.addAccount('prod', '111111111111');
      await helmCluster(
        sb,
        { account: 'prod', region: 'us-east-1', name: clusterName, version: kubernetesVersion },
        (values) =>
          inferenceOperatorReleaseSeed({
            revisions: [
              {
                status: 'superseded',
                chartVersion: '2.1.0',
                values,
                description: 'Install complete',
              },
              {
                status: 'deployed',
                chartVersion: '2.2.2',
                values,
                description: 'Upgrade complete',
              },
            ],
          }),
      );
    },
  };
}

export const demoScenario: Scenario = {
  name: 'demo',
  description:
    '7 clusters, 2 accounts, 2 regions: Helm installs, add-ons current / outdated / degraded, a stuck Helm release, an old Kubernetes version',
  async seed(sb) {
    sb.addAccount('prod', '111111111111');
    sb.addAccount('dev', '222222222222');

    await helmCluster(
      sb,
      { account: 'prod', region: 'us-east-1', name: 'ml-prod-use1', version: '1.31' },
      (values) =>
        inferenceOperatorReleaseSeed({
          revisions: [
            {
              status: 'superseded',
              chartVersion: '2.1.0',
              values,
              description: 'Install complete',
            },
            { status: 'deployed', chartVersion: '2.2.2', values, description: 'Upgrade complete' },
          ],
        }),
    );

    await helmCluster(
      sb,
      { account: 'dev', region: 'us-east-1', name: 'ml-dev-use1', version: '1.30' },
      (values) => dependenciesReleaseSeed({ inferenceOperatorChartVersion: '2.1.0', values }),
    );

    await addonCluster(
      sb,
      { account: 'prod', region: 'us-west-2', name: 'ml-research-usw2', version: '1.32' },
      {
        version: latestAddonVersion(INFERENCE_ADDON, '1.32')!,
      },
    );

    await addonCluster(
      sb,
      { account: 'dev', region: 'us-west-2', name: 'ml-staging-usw2', version: '1.31' },
      {
        version: 'v1.0.0-eksbuild.1',
      },
    );

    const batch = await addonCluster(
      sb,
      { account: 'dev', region: 'us-east-1', name: 'ml-batch-use1', version: '1.31' },
      {
        version: defaultAddonVersion(INFERENCE_ADDON, '1.31')!,
        status: 'DEGRADED',
        issues: [
          {
            code: 'InsufficientNumberOfReplicas',
            message:
              "The add-on is unhealthy because it doesn't have the desired number of replicas.",
            resourceIds: [`${INFERENCE_NS}/hyperpod-inference-controller-manager`],
          },
        ],
      },
    );
    // Someone edited CoreDNS by hand: EKS reports the conflict on the add-on.
    sb.services.eks.seedAddon({
      accountId: batch.accountId,
      region: batch.region,
      clusterName: batch.name,
      addonName: 'coredns',
      addonVersion: defaultAddonVersion('coredns', '1.31')!,
      status: 'DEGRADED',
      applyWorkloads: false,
      health: [
        {
          code: 'ConfigurationConflict',
          message:
            'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile\nDeployment.apps coredns - .spec.template.spec.containers[name="coredns"].image',
          resourceIds: ['kube-system/coredns'],
        },
      ],
    });
    handEditCoreDns(sb, batch);

    await helmCluster(
      sb,
      { account: 'prod', region: 'us-west-2', name: 'ml-canary-usw2', version: '1.31' },
      (values) =>
        inferenceOperatorReleaseSeed({
          revisions: [
            {
              status: 'superseded',
              chartVersion: '2.1.0',
              values,
              description: 'Install complete',
            },
            {
              status: 'deployed',
              chartVersion: '2.1.0',
              values: { ...values, metrics: { enabled: true } },
              description: 'Upgrade complete',
            },
            {
              status: 'pending-upgrade',
              chartVersion: '2.2.2',
              values: { ...values, metrics: { enabled: true } },
              description: 'Preparing upgrade',
            },
          ],
        }),
    );

    const legacy = await sb.addCluster({
      account: 'prod',
      region: 'us-east-1',
      name: 'ml-legacy-use1',
      version: '1.28',
    });
    seedCoreAddons(sb, legacy);
    sb.services.eks.seedAddon({
      accountId: legacy.accountId,
      region: legacy.region,
      clusterName: legacy.name,
      addonName: 'metrics-server',
      addonVersion: defaultAddonVersion('metrics-server', '1.28')!,
    });
    // Offered on 1.28 only: blocks the move to 1.29 until it is upgraded.
    sb.services.eks.seedAddon({
      accountId: legacy.accountId,
      region: legacy.region,
      clusterName: legacy.name,
      addonName: 'snapshot-controller',
      addonVersion: 'v6.3.2-eksbuild.1',
    });
  },
};
