/**
 * The EKS add-ons the sandbox offers: versions, Kubernetes compatibility (one default version per
 * Kubernetes version), configuration schemas and the workloads each applies when ACTIVE. Data,
 * exported so scenarios and tests can name versions without repeating them; the builders it names
 * live in addonVersions, addonSchemas and workloads/.
 */
import { KUBERNETES_VERSIONS, type AddonSpec } from './AddonSpec';
import {
  cloudwatchSchema,
  corednsSchema,
  ebsSchema,
  inferenceSchema,
  kubeProxySchema,
  objectSchema,
  replicaCount,
  replicas,
  simpleSchema,
  vpcCniSchema,
  withReplicas,
} from './addonSchemas';
import { addonVersions, from } from './addonVersions';
import { INFERENCE_NS, inferenceWorkloads } from './workloads/inferenceWorkloads';
import {
  corednsWorkloads,
  kubeProxyWorkloads,
  vpcCniWorkloads,
} from './workloads/networkingWorkloads';
import {
  adotWorkloads,
  cloudwatchWorkloads,
  metricsServerWorkloads,
} from './workloads/observabilityWorkloads';
import { certManagerWorkloads, podIdentityAgentWorkloads } from './workloads/securityWorkloads';
import { csiWorkloads, snapshotControllerWorkloads } from './workloads/storageWorkloads';

export const ADDON_CATALOG: readonly AddonSpec[] = [
  {
    addonName: 'amazon-sagemaker-hyperpod-inference',
    type: 'machine-learning',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: INFERENCE_NS,
    versions: addonVersions(
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
    versions: addonVersions(
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
    versions: addonVersions(
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
    versions: addonVersions(
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
    workloads: certManagerWorkloads,
  },
  {
    addonName: 'metrics-server',
    type: 'observability',
    owner: 'community',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
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
    workloads: metricsServerWorkloads,
  },
  {
    addonName: 'vpc-cni',
    type: 'networking',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
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
    workloads: vpcCniWorkloads,
  },
  {
    addonName: 'coredns',
    type: 'networking',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
      [
        { v: 'v1.10.1-eksbuild.18', k8s: ['1.28'], schema: corednsSchema() },
        { v: 'v1.11.1-eksbuild.13', k8s: ['1.29', '1.30'], schema: corednsSchema() },
        { v: 'v1.11.3-eksbuild.2', k8s: from('1.29', '1.31'), schema: corednsSchema() },
        { v: 'v1.11.4-eksbuild.14', k8s: from('1.31'), schema: corednsSchema() },
        { v: 'v1.12.1-eksbuild.2', k8s: from('1.32'), schema: corednsSchema() },
      ],
      { requiresIamPermissions: false },
    ),
    workloads: corednsWorkloads,
  },
  {
    addonName: 'kube-proxy',
    type: 'networking',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
      KUBERNETES_VERSIONS.flatMap((k, n) => {
        const patch = [15, 10, 6, 3, 0, 0][n]!;
        return [
          { v: `v${k}.${patch}-eksbuild.4`, k8s: [k], schema: kubeProxySchema() },
          { v: `v${k}.${patch + 2}-eksbuild.2`, k8s: [k], schema: kubeProxySchema() },
        ];
      }),
      { requiresIamPermissions: false },
    ),
    workloads: kubeProxyWorkloads,
  },
  {
    addonName: 'aws-ebs-csi-driver',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
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
    versions: addonVersions(
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
    workloads: podIdentityAgentWorkloads,
  },
  {
    addonName: 'amazon-cloudwatch-observability',
    type: 'observability',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'amazon-cloudwatch',
    versions: addonVersions(
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
    workloads: cloudwatchWorkloads,
  },
  {
    addonName: 'aws-efs-csi-driver',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
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
    versions: addonVersions(
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
    workloads: adotWorkloads,
  },
  {
    addonName: 'snapshot-controller',
    type: 'storage',
    owner: 'aws',
    publisher: 'eks',
    defaultNamespace: 'kube-system',
    versions: addonVersions(
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
    workloads: snapshotControllerWorkloads,
  },
];
