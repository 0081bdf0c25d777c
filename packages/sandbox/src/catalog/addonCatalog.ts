/**
 * The EKS add-ons the sandbox offers: versions, Kubernetes compatibility (one default version per
 * Kubernetes version), configuration schemas and the workloads each applies when ACTIVE. Data,
 * exported so scenarios and tests can name versions without repeating them.
 */
import { compareAddonVersions } from '@hyperpod/core';
import type { KubeObject } from '../kube/types';
import {
  configSchema,
  objectSchema,
  podKeys,
  replicaCount,
  replicas,
  roleArn,
  type JsonSchema,
} from './addonSchemas';
import {
  apiService,
  configAt,
  configMap,
  crd,
  csiDriver,
  daemonSet,
  deployment,
  eksImage,
  labelsFor,
  namespace,
  service,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from './addonWorkloads';

/** Kubernetes minor versions the sandbox's EKS supports. */
export const KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;

export interface PodIdentityConfiguration {
  serviceAccount: string;
  recommendedManagedPolicies: string[];
}

export interface AddonVersionSpec {
  addonVersion: string;
  /** Kubernetes minor versions this add-on version runs on. */
  clusterVersions: string[];
  /** Kubernetes versions for which this is the default version (EKS picks it when none is given). */
  defaultFor: string[];
  requiresConfiguration: boolean;
  requiresIamPermissions: boolean;
  architecture: string[];
  computeTypes: string[];
  configurationSchema: JsonSchema;
  podIdentityConfiguration: PodIdentityConfiguration[];
}

export interface AddonSpec {
  addonName: string;
  type: string;
  owner: string;
  publisher: string;
  marketplaceInformation?: { productId: string; productUrl: string };
  defaultNamespace: string;
  /** Newest first, as DescribeAddonVersions lists them. */
  versions: AddonVersionSpec[];
  /** The objects the add-on puts in the cluster, in apply order. */
  workloads(input: WorkloadInput): KubeObject[];
}

interface VersionDraft {
  v: string;
  k8s: string[];
  schema: JsonSchema;
  requiresConfiguration?: boolean;
}

const ALL = [...KUBERNETES_VERSIONS];
const from = (min: string, max = '1.33') =>
  ALL.filter((k) => cmpMinor(k, min) >= 0 && cmpMinor(k, max) <= 0);

function cmpMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/**
 * Builds an add-on's version list. The default for each Kubernetes version is the newest
 * compatible version, except where `holdBack` keeps a just-released version from being the
 * default (as EKS does for fresh releases).
 */
function versions(
  drafts: VersionDraft[],
  common: {
    requiresIamPermissions: boolean;
    podIdentity?: PodIdentityConfiguration[];
    holdBack?: string[];
  },
): AddonVersionSpec[] {
  const sorted = [...drafts].sort((a, b) => compareAddonVersions(b.v, a.v));
  return sorted.map((d) => ({
    addonVersion: d.v,
    clusterVersions: d.k8s,
    defaultFor: d.k8s.filter(
      (k) => sorted.find((x) => x.k8s.includes(k) && !common.holdBack?.includes(x.v)) === d,
    ),
    requiresConfiguration: d.requiresConfiguration ?? false,
    requiresIamPermissions: common.requiresIamPermissions,
    architecture: ['amd64', 'arm64'],
    computeTypes: ['ec2', 'hyperpod'],
    configurationSchema: d.schema,
    podIdentityConfiguration: common.podIdentity ?? [],
  }));
}

// ---------------------------------------------------------------------------------------------
// amazon-sagemaker-hyperpod-inference

const INFERENCE_NS = 'hyperpod-inference-system';
const INFERENCE_GROUP = 'inference.sagemaker.aws.amazon.com';

/** Where the inference operator's images live, per region (from the public chart's values). */
const INFERENCE_ECR: Record<string, string> = {
  'us-east-1': '557690614651.dkr.ecr.us-east-1.amazonaws.com',
  'us-east-2': '061051259071.dkr.ecr.us-east-2.amazonaws.com',
  'us-west-1': '183295454132.dkr.ecr.us-west-1.amazonaws.com',
  'us-west-2': '861276088053.dkr.ecr.us-west-2.amazonaws.com',
  'eu-west-1': '537124951544.dkr.ecr.eu-west-1.amazonaws.com',
  'eu-west-2': '337909760000.dkr.ecr.eu-west-2.amazonaws.com',
  'eu-central-1': '491085393763.dkr.ecr.eu-central-1.amazonaws.com',
  'eu-north-1': '850995554027.dkr.ecr.eu-north-1.amazonaws.com',
  'ap-northeast-1': '724772091842.dkr.ecr.ap-northeast-1.amazonaws.com',
  'ap-south-1': '522814713546.dkr.ecr.ap-south-1.amazonaws.com',
  'ap-southeast-1': '474668384327.dkr.ecr.ap-southeast-1.amazonaws.com',
  'ap-southeast-2': '147997151819.dkr.ecr.ap-southeast-2.amazonaws.com',
  'sa-east-1': '495599735358.dkr.ecr.sa-east-1.amazonaws.com',
};

const s3BucketName: JsonSchema = {
  type: 'string',
  description: 'Name of the S3 bucket for TLS certificates (bare name, no s3:// prefix)',
  pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
};
const hyperpodClusterArn: JsonSchema = {
  type: 'string',
  pattern: '^arn:aws(-[a-z]+)*:sagemaker:[a-z0-9-]+:[0-9]{12}:cluster/[a-z0-9]+$',
};

function inferenceSchema(generation: 1 | 2 | 3): JsonSchema {
  const props: Record<string, JsonSchema> = {
    executionRoleArn: roleArn('SageMakerHyperPodInference'),
    tlsCertificateS3Bucket: s3BucketName,
    hyperpodClusterArn,
    jumpstartGatedModelDownloadRoleArn: roleArn(),
    alb: objectSchema({
      serviceAccount: objectSchema({ create: { type: 'boolean' }, roleArn: roleArn() }),
    }),
    keda: objectSchema({
      auth: objectSchema({ aws: objectSchema({ irsa: objectSchema({ roleArn: roleArn() }) }) }),
    }),
    tolerations: podKeys['tolerations']!,
    nodeSelector: podKeys['nodeSelector']!,
    affinity: podKeys['affinity']!,
  };
  if (generation >= 2) props['inferenceOperator'] = objectSchema({ enabled: { type: 'boolean' } });
  if (generation >= 3) {
    props['inferenceGateway'] = objectSchema({
      enabled: { type: 'boolean' },
      serviceAccount: objectSchema({ roleArn: roleArn() }),
    });
  }
  return configSchema('amazon-sagemaker-hyperpod-inference configuration', props, [
    'executionRoleArn',
    'tlsCertificateS3Bucket',
    'hyperpodClusterArn',
  ]);
}

function inferenceWorkloads(i: WorkloadInput): KubeObject[] {
  const c = i.config;
  const registry = INFERENCE_ECR[i.region] ?? INFERENCE_ECR['us-west-2']!;
  const l = (component: string) =>
    labelsFor('amazon-sagemaker-hyperpod-inference', component, i.addonVersion);
  const str = (p: string) =>
    typeof configAt(c, p) === 'string' ? (configAt(c, p) as string) : undefined;
  const out: KubeObject[] = [
    namespace(INFERENCE_NS),
    crd(INFERENCE_GROUP, 'InferenceEndpointConfig', 'inferenceendpointconfigs', {
      versions: ['v1alpha1', 'v1'],
    }),
    crd(INFERENCE_GROUP, 'JumpStartModel', 'jumpstartmodels', { versions: ['v1alpha1', 'v1'] }),
    crd(INFERENCE_GROUP, 'SageMakerEndpointRegistration', 'sagemakerendpointregistrations', {
      versions: ['v1alpha1', 'v1'],
    }),
  ];
  if (configAt(c, 'inferenceOperator.enabled') !== false) {
    out.push(
      serviceAccount(
        'hyperpod-inference-controller-manager',
        INFERENCE_NS,
        str('executionRoleArn'),
        l('hyperpod-inference-controller-manager'),
      ),
      deployment('hyperpod-inference-controller-manager', INFERENCE_NS, {
        replicas: 1,
        image: `${registry}/hyperpod-inference-operator:${upstreamTag(i.addonVersion)}`,
        serviceAccountName: 'hyperpod-inference-controller-manager',
        labels: l('hyperpod-inference-controller-manager'),
        args: ['--leader-elect', `--cluster-name=${i.clusterName}`, `--region=${i.region}`],
        config: c,
      }),
    );
  }
  const albRole = str('alb.serviceAccount.roleArn');
  if (configAt(c, 'alb.serviceAccount.create') !== false) {
    out.push(
      serviceAccount(
        'aws-load-balancer-controller',
        INFERENCE_NS,
        albRole,
        l('aws-load-balancer-controller'),
      ),
    );
  }
  out.push(
    deployment('hyperpod-inference-alb', INFERENCE_NS, {
      image: eksImage(i.region, 'amazon/aws-load-balancer-controller', 'v2.13.0'),
      serviceAccountName: 'aws-load-balancer-controller',
      labels: l('hyperpod-inference-alb'),
      container: 'aws-load-balancer-controller',
      args: [`--cluster-name=${i.clusterName}`, '--ingress-class=alb'],
    }),
    serviceAccount(
      'keda-operator',
      INFERENCE_NS,
      str('keda.auth.aws.irsa.roleArn'),
      l('keda-operator'),
    ),
  );
  for (const name of [
    'keda-operator',
    'keda-operator-metrics-apiserver',
    'keda-admission-webhooks',
  ]) {
    out.push(
      deployment(name, INFERENCE_NS, {
        replicas: 1,
        image: `ghcr.io/kedacore/${name.replace('-operator-', '-')}:2.17.1`,
        serviceAccountName: 'keda-operator',
        labels: l(name),
        container: name,
      }),
    );
  }
  if (configAt(c, 'inferenceGateway.enabled') === true) {
    out.push(
      serviceAccount(
        'hyperpod-inference-gateway',
        INFERENCE_NS,
        str('inferenceGateway.serviceAccount.roleArn'),
        l('hyperpod-inference-gateway'),
      ),
      deployment('hyperpod-inference-gateway', INFERENCE_NS, {
        image: `${registry}/hyperpod-inference-gateway:${upstreamTag(i.addonVersion)}`,
        serviceAccountName: 'hyperpod-inference-gateway',
        labels: l('hyperpod-inference-gateway'),
        container: 'gateway',
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The other add-ons

/** Schema of an add-on whose only knobs are the common scheduling / sizing keys. */
const simpleSchema = (name: string, extra: Record<string, JsonSchema> = {}) =>
  configSchema(`${name} configuration`, { ...podKeys, ...extra });

const withReplicas = (name: string, extra: Record<string, JsonSchema> = {}) =>
  simpleSchema(name, { replicaCount, ...extra });

function csiWorkloads(o: {
  addon: string;
  driver: string;
  repo: string;
  node: string;
  controller?: string;
  controllerSa?: string;
  nodeSa?: string;
}): AddonSpec['workloads'] {
  return (i) => {
    const tag = upstreamTag(i.addonVersion);
    const out: KubeObject[] = [];
    if (o.controllerSa)
      out.push(
        serviceAccount(
          o.controllerSa,
          'kube-system',
          i.serviceAccountRoleArn,
          labelsFor(o.addon, o.controllerSa, i.addonVersion),
        ),
      );
    if (o.nodeSa)
      out.push(
        serviceAccount(
          o.nodeSa,
          'kube-system',
          o.controllerSa ? undefined : i.serviceAccountRoleArn,
          labelsFor(o.addon, o.nodeSa, i.addonVersion),
        ),
      );
    if (o.controller) {
      out.push(
        deployment(o.controller, 'kube-system', {
          image: eksImage(i.region, o.repo, tag),
          serviceAccountName: o.controllerSa,
          labels: labelsFor(o.addon, o.controller, i.addonVersion),
          container: 'csi-driver',
          config: i.config,
        }),
      );
    }
    out.push(
      daemonSet(o.node, 'kube-system', {
        image: eksImage(i.region, o.repo, tag),
        serviceAccountName: o.nodeSa,
        labels: labelsFor(o.addon, o.node, i.addonVersion),
        container: o.node.replace(/-node$/, '-plugin'),
        config: i.config,
      }),
      csiDriver(o.driver),
    );
    return out;
  };
}

const CERT_MANAGER_CRDS: [string, string, 'Namespaced' | 'Cluster', string][] = [
  ['Certificate', 'certificates', 'Namespaced', 'cert-manager.io'],
  ['CertificateRequest', 'certificaterequests', 'Namespaced', 'cert-manager.io'],
  ['Issuer', 'issuers', 'Namespaced', 'cert-manager.io'],
  ['ClusterIssuer', 'clusterissuers', 'Cluster', 'cert-manager.io'],
  ['Order', 'orders', 'Namespaced', 'acme.cert-manager.io'],
  ['Challenge', 'challenges', 'Namespaced', 'acme.cert-manager.io'],
];

export const ADDON_CATALOG: readonly AddonSpec[] = [
  {
    addonName: 'amazon-sagemaker-hyperpod-inference',
    type: 'machine-learning',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: INFERENCE_NS,
    versions: versions(
      [
        {
          v: 'v1.0.0-eksbuild.1',
          k8s: from('1.30', '1.32'),
          schema: inferenceSchema(1),
          requiresConfiguration: true,
        },
        {
          v: 'v1.0.1-eksbuild.1',
          k8s: from('1.30', '1.32'),
          schema: inferenceSchema(1),
          requiresConfiguration: true,
        },
        {
          v: 'v1.1.0-eksbuild.1',
          k8s: from('1.30'),
          schema: inferenceSchema(2),
          requiresConfiguration: true,
        },
        {
          v: 'v1.2.0-eksbuild.1',
          k8s: from('1.31'),
          schema: inferenceSchema(3),
          requiresConfiguration: true,
        },
      ],
      {
        requiresIamPermissions: true,
        holdBack: ['v1.2.0-eksbuild.1'],
        podIdentity: [
          {
            serviceAccount: 'hyperpod-inference-controller-manager',
            recommendedManagedPolicies: [
              'arn:aws:iam::aws:policy/AmazonSageMakerHyperPodInferenceAccess',
            ],
          },
        ],
      },
    ),
    workloads: inferenceWorkloads,
  },
  {
    addonName: 'aws-mountpoint-s3-csi-driver',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        {
          v: 'v1.12.0-eksbuild.1',
          k8s: from('1.28', '1.31'),
          schema: simpleSchema('aws-mountpoint-s3-csi-driver'),
        },
        {
          v: 'v1.14.1-eksbuild.1',
          k8s: from('1.28', '1.32'),
          schema: simpleSchema('aws-mountpoint-s3-csi-driver'),
        },
        {
          v: 'v1.15.0-eksbuild.1',
          k8s: from('1.29'),
          schema: simpleSchema('aws-mountpoint-s3-csi-driver'),
        },
        {
          v: 'v2.0.0-eksbuild.1',
          k8s: from('1.30'),
          schema: simpleSchema('aws-mountpoint-s3-csi-driver', {
            node: {
              type: 'object',
              properties: { tolerateAllTaints: { type: 'boolean' } },
              additionalProperties: false,
            },
          }),
        },
      ],
      {
        requiresIamPermissions: true,
        holdBack: ['v2.0.0-eksbuild.1'],
        podIdentity: [
          {
            serviceAccount: 's3-csi-driver-sa',
            recommendedManagedPolicies: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'],
          },
        ],
      },
    ),
    workloads: csiWorkloads({
      addon: 'aws-mountpoint-s3-csi-driver',
      driver: 's3.csi.aws.com',
      repo: 'eks/mountpoint-s3-csi-driver',
      node: 's3-csi-node',
      nodeSa: 's3-csi-driver-sa',
    }),
  },
  {
    addonName: 'aws-fsx-csi-driver',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        {
          v: 'v1.5.0-eksbuild.1',
          k8s: from('1.28', '1.31'),
          schema: withReplicas('aws-fsx-csi-driver'),
        },
        { v: 'v1.6.0-eksbuild.1', k8s: from('1.28'), schema: withReplicas('aws-fsx-csi-driver') },
        { v: 'v1.7.0-eksbuild.1', k8s: from('1.30'), schema: withReplicas('aws-fsx-csi-driver') },
      ],
      {
        requiresIamPermissions: true,
        podIdentity: [
          {
            serviceAccount: 'fsx-csi-controller-sa',
            recommendedManagedPolicies: ['arn:aws:iam::aws:policy/AmazonFSxFullAccess'],
          },
        ],
      },
    ),
    workloads: csiWorkloads({
      addon: 'aws-fsx-csi-driver',
      driver: 'fsx.csi.aws.com',
      repo: 'eks/aws-fsx-csi-driver',
      node: 'fsx-csi-node',
      controller: 'fsx-csi-controller',
      controllerSa: 'fsx-csi-controller-sa',
      nodeSa: 'fsx-csi-node-sa',
    }),
  },
  {
    addonName: 'cert-manager',
    type: 'security',
    owner: 'community',
    publisher: 'eks',
    defaultNamespace: 'cert-manager',
    versions: versions(
      [
        {
          v: 'v1.17.2-eksbuild.1',
          k8s: from('1.28', '1.32'),
          schema: withReplicas('cert-manager'),
        },
        { v: 'v1.18.2-eksbuild.2', k8s: from('1.29'), schema: withReplicas('cert-manager') },
        {
          v: 'v1.19.1-eksbuild.1',
          k8s: from('1.30'),
          schema: withReplicas('cert-manager', {
            webhook: objectSchema({ replicaCount }),
            cainjector: objectSchema({ replicaCount }),
          }),
        },
      ],
      { requiresIamPermissions: false },
    ),
    workloads: (i) => {
      const tag = upstreamTag(i.addonVersion);
      const l = (n: string) => labelsFor('cert-manager', n, i.addonVersion);
      return [
        namespace('cert-manager'),
        ...CERT_MANAGER_CRDS.map(([kind, plural, scope, group]) =>
          crd(group, kind, plural, { scope }),
        ),
        ...['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'].flatMap((n) => [
          serviceAccount(n, 'cert-manager', undefined, l(n)),
          deployment(n, 'cert-manager', {
            replicas: 1,
            image: `quay.io/jetstack/${n === 'cert-manager' ? 'cert-manager-controller' : n}:${tag}`,
            serviceAccountName: n,
            labels: l(n),
            container: n,
            config: n === 'cert-manager' ? i.config : undefined,
          }),
        ]),
        service('cert-manager-webhook', 'cert-manager', l('cert-manager-webhook'), 443, 10250),
      ];
    },
  },
  {
    addonName: 'metrics-server',
    type: 'observability',
    owner: 'community',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        {
          v: 'v0.7.2-eksbuild.1',
          k8s: from('1.28', '1.32'),
          schema: simpleSchema('metrics-server', { replicas }),
        },
        {
          v: 'v0.7.2-eksbuild.4',
          k8s: from('1.28'),
          schema: simpleSchema('metrics-server', { replicas }),
        },
        {
          v: 'v0.8.0-eksbuild.1',
          k8s: from('1.30'),
          schema: simpleSchema('metrics-server', {
            replicas,
            args: { type: 'array', items: { type: 'string' } },
          }),
        },
      ],
      { requiresIamPermissions: false, holdBack: ['v0.8.0-eksbuild.1'] },
    ),
    workloads: (i) => {
      const l = labelsFor('metrics-server', 'metrics-server', i.addonVersion);
      return [
        serviceAccount('metrics-server', 'kube-system', undefined, l),
        deployment('metrics-server', 'kube-system', {
          image: eksImage(i.region, 'eks/metrics-server', upstreamTag(i.addonVersion)),
          serviceAccountName: 'metrics-server',
          labels: l,
          container: 'metrics-server',
          args: [
            '--secure-port=10251',
            '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
          ],
          config: i.config,
          replicasKey: 'replicas',
        }),
        service('metrics-server', 'kube-system', l, 443, 10251),
        apiService('v1beta1.metrics.k8s.io', 'metrics-server', 'kube-system'),
      ];
    },
  },
  {
    addonName: 'vpc-cni',
    type: 'networking',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        { v: 'v1.18.6-eksbuild.1', k8s: from('1.28', '1.31'), schema: vpcCniSchema() },
        { v: 'v1.19.2-eksbuild.1', k8s: from('1.28'), schema: vpcCniSchema() },
        { v: 'v1.19.5-eksbuild.3', k8s: from('1.29'), schema: vpcCniSchema() },
        { v: 'v1.20.0-eksbuild.1', k8s: from('1.30'), schema: vpcCniSchema() },
      ],
      {
        requiresIamPermissions: true,
        holdBack: ['v1.20.0-eksbuild.1'],
        podIdentity: [
          {
            serviceAccount: 'aws-node',
            recommendedManagedPolicies: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'],
          },
        ],
      },
    ),
    workloads: (i) => {
      const l = labelsFor('vpc-cni', 'aws-node', i.addonVersion);
      const env = configAt(i.config, 'env');
      return [
        serviceAccount('aws-node', 'kube-system', i.serviceAccountRoleArn, l),
        configMap('amazon-vpc-cni', 'kube-system', {
          'enable-network-policy-controller': String(
            configAt(i.config, 'enableNetworkPolicy') === 'true',
          ),
          ...(typeof env === 'object' && env
            ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))
            : {}),
        }),
        daemonSet('aws-node', 'kube-system', {
          image: eksImage(i.region, 'amazon-k8s-cni', upstreamTag(i.addonVersion)),
          serviceAccountName: 'aws-node',
          labels: l,
          container: 'aws-node',
          config: i.config,
        }),
      ];
    },
  },
  {
    addonName: 'coredns',
    type: 'networking',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        { v: 'v1.10.1-eksbuild.18', k8s: ['1.28'], schema: corednsSchema() },
        { v: 'v1.11.1-eksbuild.13', k8s: ['1.29', '1.30'], schema: corednsSchema() },
        { v: 'v1.11.3-eksbuild.2', k8s: from('1.29', '1.31'), schema: corednsSchema() },
        { v: 'v1.11.4-eksbuild.14', k8s: from('1.31'), schema: corednsSchema() },
        { v: 'v1.12.1-eksbuild.2', k8s: from('1.32'), schema: corednsSchema() },
      ],
      { requiresIamPermissions: false },
    ),
    workloads: (i) => {
      const l = { ...labelsFor('coredns', 'coredns', i.addonVersion), 'k8s-app': 'kube-dns' };
      const corefile =
        typeof i.config['corefile'] === 'string'
          ? (i.config['corefile'] as string)
          : DEFAULT_COREFILE;
      return [
        serviceAccount('coredns', 'kube-system', undefined, l),
        configMap('coredns', 'kube-system', { Corefile: corefile }),
        deployment('coredns', 'kube-system', {
          image: eksImage(i.region, 'eks/coredns', upstreamTag(i.addonVersion) + '-eksbuild.1'),
          serviceAccountName: 'coredns',
          labels: l,
          container: 'coredns',
          args: ['-conf', '/etc/coredns/Corefile'],
          config: i.config,
        }),
        {
          ...service('kube-dns', 'kube-system', l, 53),
          spec: {
            selector: { 'k8s-app': 'kube-dns' },
            clusterIP: '10.100.0.10',
            ports: [
              { name: 'dns', port: 53, protocol: 'UDP' },
              { name: 'dns-tcp', port: 53, protocol: 'TCP' },
            ],
          },
        },
      ];
    },
  },
  {
    addonName: 'kube-proxy',
    type: 'networking',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      ALL.flatMap((k, n) => {
        const patch = [15, 10, 6, 3, 0, 0][n]!;
        return [
          { v: `v${k}.${patch}-eksbuild.4`, k8s: [k], schema: kubeProxySchema() },
          { v: `v${k}.${patch + 2}-eksbuild.2`, k8s: [k], schema: kubeProxySchema() },
        ];
      }),
      { requiresIamPermissions: false },
    ),
    workloads: (i) => {
      const l = {
        ...labelsFor('kube-proxy', 'kube-proxy', i.addonVersion),
        'k8s-app': 'kube-proxy',
      };
      return [
        serviceAccount('kube-proxy', 'kube-system', undefined, l),
        configMap('kube-proxy-config', 'kube-system', {
          config: `kind: KubeProxyConfiguration\nmode: "${String(i.config['mode'] ?? 'iptables')}"\n`,
        }),
        daemonSet('kube-proxy', 'kube-system', {
          image: eksImage(
            i.region,
            'eks/kube-proxy',
            `${upstreamTag(i.addonVersion)}-minimal-eksbuild.2`,
          ),
          serviceAccountName: 'kube-proxy',
          labels: l,
          container: 'kube-proxy',
          config: i.config,
        }),
      ];
    },
  },
  {
    addonName: 'aws-ebs-csi-driver',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        { v: 'v1.35.0-eksbuild.2', k8s: from('1.28', '1.31'), schema: ebsSchema() },
        { v: 'v1.38.1-eksbuild.2', k8s: from('1.28'), schema: ebsSchema() },
        { v: 'v1.41.0-eksbuild.1', k8s: from('1.29'), schema: ebsSchema() },
        { v: 'v1.44.0-eksbuild.1', k8s: from('1.30'), schema: ebsSchema() },
      ],
      {
        requiresIamPermissions: true,
        podIdentity: [
          {
            serviceAccount: 'ebs-csi-controller-sa',
            recommendedManagedPolicies: [
              'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
            ],
          },
        ],
      },
    ),
    workloads: csiWorkloads({
      addon: 'aws-ebs-csi-driver',
      driver: 'ebs.csi.aws.com',
      repo: 'eks/aws-ebs-csi-driver',
      node: 'ebs-csi-node',
      controller: 'ebs-csi-controller',
      controllerSa: 'ebs-csi-controller-sa',
      nodeSa: 'ebs-csi-node-sa',
    }),
  },
  {
    addonName: 'eks-pod-identity-agent',
    type: 'security',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        {
          v: 'v1.3.4-eksbuild.1',
          k8s: from('1.28', '1.32'),
          schema: simpleSchema('eks-pod-identity-agent'),
        },
        {
          v: 'v1.3.5-eksbuild.2',
          k8s: from('1.28'),
          schema: simpleSchema('eks-pod-identity-agent'),
        },
        {
          v: 'v1.3.7-eksbuild.2',
          k8s: from('1.29'),
          schema: simpleSchema('eks-pod-identity-agent', {
            agent: objectSchema({
              additionalArgs: { type: 'object', additionalProperties: { type: 'string' } },
            }),
          }),
        },
      ],
      { requiresIamPermissions: false },
    ),
    workloads: (i) => [
      daemonSet('eks-pod-identity-agent', 'kube-system', {
        image: eksImage(i.region, 'eks/eks-pod-identity-agent', upstreamTag(i.addonVersion)),
        labels: labelsFor('eks-pod-identity-agent', 'eks-pod-identity-agent', i.addonVersion),
        container: 'eks-pod-identity-agent',
        config: i.config,
      }),
    ],
  },
  {
    addonName: 'amazon-cloudwatch-observability',
    type: 'observability',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'amazon-cloudwatch',
    versions: versions(
      [
        { v: 'v2.6.0-eksbuild.1', k8s: from('1.28', '1.31'), schema: cloudwatchSchema() },
        { v: 'v3.6.0-eksbuild.2', k8s: from('1.28'), schema: cloudwatchSchema() },
        { v: 'v4.1.0-eksbuild.1', k8s: from('1.29'), schema: cloudwatchSchema() },
      ],
      {
        requiresIamPermissions: true,
        podIdentity: [
          {
            serviceAccount: 'cloudwatch-agent',
            recommendedManagedPolicies: [
              'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
              'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
            ],
          },
        ],
      },
    ),
    workloads: (i) => {
      const ns = 'amazon-cloudwatch';
      const l = (n: string) => labelsFor('amazon-cloudwatch-observability', n, i.addonVersion);
      return [
        namespace(ns),
        crd('cloudwatch.aws.amazon.com', 'AmazonCloudWatchAgent', 'amazoncloudwatchagents', {
          versions: ['v1alpha1'],
        }),
        serviceAccount(
          'amazon-cloudwatch-observability-controller-manager',
          ns,
          undefined,
          l('amazon-cloudwatch-observability-controller-manager'),
        ),
        deployment('amazon-cloudwatch-observability-controller-manager', ns, {
          replicas: 1,
          image: eksImage(i.region, 'cloudwatch-agent-operator', upstreamTag(i.addonVersion)),
          serviceAccountName: 'amazon-cloudwatch-observability-controller-manager',
          labels: l('amazon-cloudwatch-observability-controller-manager'),
        }),
        serviceAccount('cloudwatch-agent', ns, i.serviceAccountRoleArn, l('cloudwatch-agent')),
        daemonSet('cloudwatch-agent', ns, {
          image: eksImage(i.region, 'cloudwatch-agent', '1.300057.0b1161'),
          serviceAccountName: 'cloudwatch-agent',
          labels: l('cloudwatch-agent'),
          container: 'otc-container',
          config: i.config,
        }),
      ];
    },
  },
  {
    addonName: 'aws-efs-csi-driver',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        {
          v: 'v2.0.9-eksbuild.1',
          k8s: from('1.28', '1.31'),
          schema: withReplicas('aws-efs-csi-driver'),
        },
        { v: 'v2.1.4-eksbuild.1', k8s: from('1.28'), schema: withReplicas('aws-efs-csi-driver') },
        { v: 'v2.1.8-eksbuild.1', k8s: from('1.30'), schema: withReplicas('aws-efs-csi-driver') },
      ],
      {
        requiresIamPermissions: true,
        podIdentity: [
          {
            serviceAccount: 'efs-csi-controller-sa',
            recommendedManagedPolicies: [
              'arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy',
            ],
          },
        ],
      },
    ),
    workloads: csiWorkloads({
      addon: 'aws-efs-csi-driver',
      driver: 'efs.csi.aws.com',
      repo: 'eks/aws-efs-csi-driver',
      node: 'efs-csi-node',
      controller: 'efs-csi-controller',
      controllerSa: 'efs-csi-controller-sa',
      nodeSa: 'efs-csi-node-sa',
    }),
  },
  {
    // Its versions stop at Kubernetes 1.32: upgrading a cluster that runs it to 1.33 leaves it with no compatible version.
    addonName: 'adot',
    type: 'observability',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'opentelemetry-operator-system',
    versions: versions(
      [
        {
          v: 'v0.102.1-eksbuild.1',
          k8s: from('1.28', '1.31'),
          schema: withReplicas('adot', { collector: { type: 'object' } }),
        },
        {
          v: 'v0.109.0-eksbuild.2',
          k8s: from('1.28', '1.32'),
          schema: withReplicas('adot', { collector: { type: 'object' } }),
        },
      ],
      { requiresIamPermissions: false },
    ),
    workloads: (i) => {
      const ns = 'opentelemetry-operator-system';
      const l = labelsFor('adot', 'opentelemetry-operator', i.addonVersion);
      return [
        namespace(ns),
        crd('opentelemetry.io', 'OpenTelemetryCollector', 'opentelemetrycollectors', {
          versions: ['v1alpha1', 'v1beta1'],
          shortNames: ['otelcol'],
        }),
        crd('opentelemetry.io', 'Instrumentation', 'instrumentations', {
          versions: ['v1alpha1'],
          shortNames: ['otelinst'],
        }),
        serviceAccount('opentelemetry-operator', ns, undefined, l),
        deployment('opentelemetry-operator', ns, {
          replicas: 1,
          image: eksImage(i.region, 'eks/opentelemetry-operator', upstreamTag(i.addonVersion)),
          serviceAccountName: 'opentelemetry-operator',
          labels: l,
          config: i.config,
        }),
      ];
    },
  },
  {
    addonName: 'snapshot-controller',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: versions(
      [
        // An old release offered for one Kubernetes version only: it must move before the cluster does.
        { v: 'v6.3.2-eksbuild.1', k8s: ['1.28'], schema: withReplicas('snapshot-controller') },
        {
          v: 'v8.0.0-eksbuild.1',
          k8s: from('1.28', '1.31'),
          schema: withReplicas('snapshot-controller'),
        },
        { v: 'v8.1.0-eksbuild.2', k8s: from('1.28'), schema: withReplicas('snapshot-controller') },
        { v: 'v8.2.0-eksbuild.1', k8s: from('1.29'), schema: withReplicas('snapshot-controller') },
      ],
      { requiresIamPermissions: false },
    ),
    workloads: (i) => {
      const l = labelsFor('snapshot-controller', 'snapshot-controller', i.addonVersion);
      return [
        crd('snapshot.storage.k8s.io', 'VolumeSnapshot', 'volumesnapshots', { shortNames: ['vs'] }),
        crd('snapshot.storage.k8s.io', 'VolumeSnapshotContent', 'volumesnapshotcontents', {
          scope: 'Cluster',
          shortNames: ['vsc'],
        }),
        crd('snapshot.storage.k8s.io', 'VolumeSnapshotClass', 'volumesnapshotclasses', {
          scope: 'Cluster',
          shortNames: ['vsclass'],
        }),
        serviceAccount('snapshot-controller', 'kube-system', undefined, l),
        deployment('snapshot-controller', 'kube-system', {
          image: eksImage(
            i.region,
            'eks/csi-snapshotter/snapshot-controller',
            upstreamTag(i.addonVersion),
          ),
          serviceAccountName: 'snapshot-controller',
          labels: l,
          config: i.config,
        }),
      ];
    },
  },
];

const DEFAULT_COREFILE = `.:53 {
    errors
    health {
        lameduck 5s
      }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

function vpcCniSchema(): JsonSchema {
  return configSchema('vpc-cni configuration', {
    ...podKeys,
    env: { type: 'object', additionalProperties: { type: 'string' } },
    enableNetworkPolicy: { type: 'string', enum: ['true', 'false'] },
    enableWindowsIpam: { type: 'string', enum: ['true', 'false'] },
  });
}

function corednsSchema(): JsonSchema {
  return configSchema('coredns configuration', {
    ...podKeys,
    replicaCount,
    corefile: { type: 'string' },
    autoScaling: objectSchema({
      enabled: { type: 'boolean' },
      minReplicas: { type: 'integer', minimum: 2 },
      maxReplicas: { type: 'integer', maximum: 1000 },
    }),
  });
}

function kubeProxySchema(): JsonSchema {
  return configSchema('kube-proxy configuration', {
    ...podKeys,
    mode: { type: 'string', enum: ['iptables', 'ipvs', 'nftables'] },
  });
}

function ebsSchema(): JsonSchema {
  return configSchema('aws-ebs-csi-driver configuration', {
    defaultStorageClass: objectSchema({ enabled: { type: 'boolean' } }),
    controller: objectSchema({
      ...podKeys,
      replicaCount,
      extraVolumeTags: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    node: objectSchema({ ...podKeys, tolerateAllTaints: { type: 'boolean' } }),
    ...podKeys,
  });
}

function cloudwatchSchema(): JsonSchema {
  return configSchema('amazon-cloudwatch-observability configuration', {
    ...podKeys,
    agent: objectSchema({
      config: { type: 'object' },
      mode: { type: 'string', enum: ['daemonset', 'deployment'] },
    }),
    containerLogs: objectSchema({ enabled: { type: 'boolean' } }),
  });
}

export function findAddon(addonName: string): AddonSpec | undefined {
  return ADDON_CATALOG.find((a) => a.addonName === addonName);
}

export function findAddonVersion(
  addonName: string,
  addonVersion: string,
): AddonVersionSpec | undefined {
  return findAddon(addonName)?.versions.find((v) => v.addonVersion === addonVersion);
}

/** The version EKS installs on a cluster of `kubernetesVersion` when CreateAddon names none. */
export function defaultAddonVersion(
  addonName: string,
  kubernetesVersion: string,
): string | undefined {
  return findAddon(addonName)?.versions.find((v) => v.defaultFor.includes(kubernetesVersion))
    ?.addonVersion;
}

/** The newest version of an add-on compatible with `kubernetesVersion`. */
export function latestAddonVersion(
  addonName: string,
  kubernetesVersion: string,
): string | undefined {
  return findAddon(addonName)?.versions.find((v) => v.clusterVersions.includes(kubernetesVersion))
    ?.addonVersion;
}

/** The oldest version of an add-on offered for `kubernetesVersion` (versions are listed newest first). */
export function oldestAddonVersion(
  addonName: string,
  kubernetesVersion: string,
): string | undefined {
  return findAddon(addonName)
    ?.versions.filter((v) => v.clusterVersions.includes(kubernetesVersion))
    .at(-1)?.addonVersion;
}
