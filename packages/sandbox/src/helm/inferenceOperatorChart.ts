/**
 * The HyperPod inference operator chart as the sandbox knows it: its versions, its sub-charts,
 * its values.yaml, and the chart record Helm stores in a release.
 */
import type { HelmChartDependency, HelmValues } from '@hyperpod/core';
import type { HelmChartSeed } from './buildHelmRelease';
import { coalesce } from './coalesce';
import { inferenceOperatorValues222 } from './inferenceOperatorValues';

export const INFERENCE_OPERATOR_CHART = 'hyperpod-inference-operator';

/** Chart versions the fixture ships; appVersion follows the operator image's MAJOR.MINOR. */
export const INFERENCE_OPERATOR_CHART_VERSIONS: Record<
  string,
  { appVersion: string; imageTag: string }
> = {
  '2.1.0': { appVersion: '3.1', imageTag: 'v3.1' },
  '2.2.2': { appVersion: '3.2', imageTag: 'v3.2' },
};

const REPOSITORIES = {
  s3: 'https://awslabs.github.io/mountpoint-s3-csi-driver/',
  metrics: 'https://kubernetes-sigs.github.io/metrics-server/',
  fsx: 'https://kubernetes-sigs.github.io/aws-fsx-csi-driver',
  alb: 'https://aws.github.io/eks-charts',
  certManager: 'https://charts.jetstack.io',
  keda: 'https://kedacore.github.io/charts',
};

export interface SubChart {
  alias: string;
  name: string;
  version: string;
  appVersion: string;
  repository: string;
  condition?: string;
  defaults: HelmValues;
}

export const SUB_CHARTS: SubChart[] = [
  {
    alias: 's3',
    name: 'aws-mountpoint-s3-csi-driver',
    version: '1.14.1',
    appVersion: '1.14.1',
    repository: REPOSITORIES.s3,
    condition: 's3.enabled',
    defaults: { serviceAccountRoleArn: '' },
  },
  {
    alias: 'metrics',
    name: 'metrics-server',
    version: '3.12.2',
    appVersion: '0.7.2',
    repository: REPOSITORIES.metrics,
    defaults: { replicas: 1 },
  },
  {
    alias: 'fsx',
    name: 'aws-fsx-csi-driver',
    version: '1.11.0',
    appVersion: '1.3.0',
    repository: REPOSITORIES.fsx,
    condition: 'fsx.enabled',
    defaults: { controller: { serviceAccount: { roleArn: '' } } },
  },
  {
    alias: 'alb',
    name: 'aws-load-balancer-controller',
    version: '1.13.2',
    appVersion: 'v2.13.2',
    repository: REPOSITORIES.alb,
    condition: 'alb.enabled',
    defaults: {
      replicaCount: 2,
      clusterName: '',
      region: '',
      vpcId: '',
      enableServiceMutatorWebhook: true,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller', roleArn: '' },
    },
  },
  {
    alias: 'cert-manager',
    name: 'cert-manager',
    version: 'v1.18.2',
    appVersion: 'v1.18.2',
    repository: REPOSITORIES.certManager,
    condition: 'cert-manager.enabled',
    defaults: { namespace: '', crds: { enabled: false, keep: true } },
  },
  {
    alias: 'keda',
    name: 'keda',
    version: '2.17.1',
    appVersion: '2.17.1',
    repository: REPOSITORIES.keda,
    condition: 'keda.enabled',
    defaults: { podIdentity: { aws: { irsa: { enabled: false, roleArn: '' } } } },
  },
];

/**
 * The chart's values.yaml: for 2.2.2 the published chart's in full (what a release stores and
 * `--reuse-values` renders the next chart with); for 2.1.0 the fixture chart's (no `isAddOn`, the
 * v3.1 image).
 */
export function inferenceOperatorDefaultValues(chartVersion = '2.2.2'): HelmValues {
  const known = INFERENCE_OPERATOR_CHART_VERSIONS[chartVersion];
  if (!known) throw new Error(`unknown ${INFERENCE_OPERATOR_CHART} chart version ${chartVersion}`);
  const published = inferenceOperatorValues222();
  if (chartVersion === '2.2.2') return published;
  // The fixture chart's values are the published chart's without what 2.2.0 added (the arch
  // affinity, the persistent volume, the metrics service and webhook components, isAddOn).
  return {
    ...pick(published, ['namePrefix', 'shortPrefix', 'region', 'eksClusterName']),
    image: {
      repositoryDomainMap: {
        'us-east-1': '557690614651.dkr.ecr.us-east-1.amazonaws.com',
        'us-east-2': '061051259071.dkr.ecr.us-east-2.amazonaws.com',
        'us-west-2': '861276088053.dkr.ecr.us-west-2.amazonaws.com',
        'eu-west-1': '537124951544.dkr.ecr.eu-west-1.amazonaws.com',
      },
      tag: known.imageTag,
      pullPolicy: 'Always',
      repository: null,
    },
    ...pick(published, [
      'hyperpodClusterArn',
      'executionRoleArn',
      'jumpstartGatedModelDownloadRoleArn',
      'stage',
      'tlsCertificateS3Bucket',
      'enableWebhooks',
      'enableCustomServiceAccounts',
    ]),
    s3: { enabled: true, serviceAccountRoleArn: '' },
    ...pick(published, ['fsx', 'alb', 'cert-manager', 'keda']),
    components: pick(published['components'] as HelmValues, ['crd', 'rbac', 'manager']),
  };
}

function pick(values: HelmValues, keys: string[]): HelmValues {
  return Object.fromEntries(keys.map((k) => [k, values[k]]));
}

/** The chart as Helm stores it in the release (dependencies marked enabled as Helm marks them). */
export function inferenceOperatorChart(
  chartVersion = '2.2.2',
  values: HelmValues = {},
): HelmChartSeed {
  const known = INFERENCE_OPERATOR_CHART_VERSIONS[chartVersion];
  if (!known) throw new Error(`unknown ${INFERENCE_OPERATOR_CHART} chart version ${chartVersion}`);
  const effective = coalesce(inferenceOperatorDefaultValues(chartVersion), values);
  const dependencies: HelmChartDependency[] = SUB_CHARTS.map((s) => ({
    name: s.name,
    version: s.version,
    repository: s.repository,
    ...(s.condition ? { condition: s.condition } : {}),
    ...(subChartEnabled(s, effective) ? { enabled: true } : {}),
    alias: s.alias,
  }));
  return {
    name: INFERENCE_OPERATOR_CHART,
    version: chartVersion,
    appVersion: known.appVersion,
    description: 'A Helm chart for Kubernetes',
    apiVersion: 'v2',
    type: 'application',
    dependencies,
    lock: {
      generated: '2025-10-27T17:20:29.746399171Z',
      digest: 'sha256:f54ece80a00cb4da98440551765d9c660a0704d6b59f4f9030a5a9e86eab4eea',
      dependencies: SUB_CHARTS.map((s) => ({
        name: s.name,
        version: s.version,
        repository: s.repository,
      })),
    },
    values: inferenceOperatorDefaultValues(chartVersion),
  };
}

/** Whether a sub-chart renders: its condition (`<alias>.enabled`) is not false. */
export function subChartEnabled(sub: SubChart, values: HelmValues): boolean {
  if (!sub.condition) return true;
  const [alias, key] = sub.condition.split('.') as [string, string];
  return (values[alias] as HelmValues | undefined)?.[key] !== false;
}
