/**
 * The HyperPod inference operator chart, rendered in TypeScript: what `helm template` of the
 * fixture chart (test/fixtures/charts/hyperpod-inference-operator) gives for the same values, so
 * seeded releases and releases installed by real helm in tests look alike. A test compares the two.
 */
import type { HelmValues } from '@hyperpod/core';
import type { KubeObject } from '../kube/types';
import { coalesce, valueText as str } from './coalesce';
import type { RenderedTemplate } from './helmManifest';
import {
  INFERENCE_OPERATOR_CHART,
  INFERENCE_OPERATOR_CHART_VERSIONS,
  SUB_CHARTS,
  inferenceOperatorDefaultValues,
  subChartEnabled,
} from './inferenceOperatorChart';
import { renderSubChart } from './renderSubChart';

export interface InferenceOperatorRenderOptions {
  chartVersion?: string;
  releaseName?: string;
  /** Release namespace: the sub-charts' workloads land here (kube-system for HyperPod installs). */
  releaseNamespace?: string;
  /** Set when the chart is a sub-chart of an umbrella (e.g. `hyperpod-dependencies`): paths get `charts/<this>/` prefixed. */
  pathPrefix?: string;
}

/** `helm template` of the fixture chart for these user values. Throws Helm's `fail` messages for missing required values. */
export function renderInferenceOperatorChart(
  userValues: HelmValues,
  opts: InferenceOperatorRenderOptions = {},
): RenderedTemplate[] {
  const chartVersion = opts.chartVersion ?? '2.2.2';
  const release = opts.releaseName ?? INFERENCE_OPERATOR_CHART;
  const namespace = opts.releaseNamespace ?? 'kube-system';
  const prefix = opts.pathPrefix ?? '';
  const v = coalesce(inferenceOperatorDefaultValues(chartVersion), userValues);
  validateRequiredValues(v);
  const appVersion = INFERENCE_OPERATOR_CHART_VERSIONS[chartVersion]!.appVersion;
  const namePrefix = str(v['namePrefix']);
  const system = `${str(v['shortPrefix'])}-system`;
  const image = v['image'] as HelmValues;
  const crd = (kind: string, plural: string): KubeObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      annotations: { 'controller-gen.kubebuilder.io/version': 'v0.16.4' },
      name: `${plural}.inference.sagemaker.aws.amazon.com`,
    },
    spec: {
      group: 'inference.sagemaker.aws.amazon.com',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          schema: {
            openAPIV3Schema: {
              description: `${kind} is the Schema for the ${plural} API (trimmed test copy).`,
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
          served: true,
          storage: true,
          subresources: { status: {} },
        },
      ],
    },
  });
  const nameLabel = { 'app.kubernetes.io/name': namePrefix };
  const saSubject = [
    { kind: 'ServiceAccount', name: `${namePrefix}-controller-manager`, namespace: system },
  ];
  const components = v['components'] as Record<string, { enabled?: boolean }>;
  const main: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        labels: {
          'app.kubernetes.io/managed-by': 'kustomize',
          ...nameLabel,
          'control-plane': `${namePrefix}-controller-manager`,
        },
        name: system,
      },
    },
  ];
  // Components in key order, files in path order, as `range` over a map and Files.Glob give them.
  if (components['crd']?.enabled) {
    main.push(
      crd('InferenceEndpointConfig', 'inferenceendpointconfigs'),
      crd('JumpStartModel', 'jumpstartmodels'),
      crd('SageMakerEndpointRegistration', 'sagemakerendpointregistrations'),
    );
  }
  if (components['manager']?.enabled) {
    main.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `${namePrefix}-controller-manager`,
        namespace: system,
        labels: { 'control-plane': `${namePrefix}-controller-manager`, ...nameLabel },
      },
      spec: {
        selector: { matchLabels: { 'control-plane': `${namePrefix}-controller-manager` } },
        replicas: 1,
        template: {
          metadata: {
            annotations: { 'kubectl.kubernetes.io/default-container': 'manager' },
            labels: { 'control-plane': `${namePrefix}-controller-manager` },
          },
          spec: {
            containers: [
              {
                name: 'manager',
                command: ['/hyperpod-inference-manager'],
                args: [
                  '--metrics-bind-address=:8443',
                  '--leader-elect',
                  '--health-probe-bind-address=:8081',
                ],
                image: `${str(image['repository'])}/hyperpod-inference-operator:${str(image['tag'])}`,
                imagePullPolicy: str(image['pullPolicy']),
                env: [
                  { name: 'AWS_REGION', value: str(v['region']) },
                  { name: 'EXECUTION_ROLE_ARN', value: str(v['executionRoleArn']) },
                  {
                    name: 'JUMPSTART_GATED_MODEL_DOWNLOAD_ARN',
                    value: str(v['jumpstartGatedModelDownloadRoleArn']),
                  },
                  { name: 'EKS_CLUSTER_NAME', value: str(v['eksClusterName']) },
                  { name: 'TLS_CERTIFICATE_OUTPUT_S3URI', value: str(v['tlsCertificateS3Bucket']) },
                  { name: 'HYPERPOD_CLUSTER_ARN', value: str(v['hyperpodClusterArn']) },
                  { name: 'CHART_VERSION', value: chartVersion },
                  { name: 'APP_VERSION', value: appVersion },
                ],
              },
            ],
            serviceAccountName: `${namePrefix}-controller-manager`,
            terminationGracePeriodSeconds: 10,
          },
        },
      },
    });
  }
  if (components['rbac']?.enabled) {
    main.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: {
          labels: nameLabel,
          name: `${namePrefix}-leader-election-role`,
          namespace: system,
        },
        rules: [
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: {
          labels: nameLabel,
          name: `${namePrefix}-leader-election-rolebinding`,
          namespace: system,
        },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: `${namePrefix}-leader-election-role`,
        },
        subjects: saSubject,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: `${namePrefix}-manager-role` },
        rules: [
          {
            apiGroups: ['inference.sagemaker.aws.amazon.com'],
            resources: [
              'inferenceendpointconfigs',
              'jumpstartmodels',
              'sagemakerendpointregistrations',
            ],
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          },
          {
            apiGroups: ['apps'],
            resources: ['deployments'],
            verbs: ['create', 'get', 'list', 'patch', 'watch'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { labels: nameLabel, name: `${namePrefix}-manager-rolebinding` },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: `${namePrefix}-manager-role`,
        },
        subjects: saSubject,
      },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          labels: nameLabel,
          name: `${namePrefix}-controller-manager`,
          namespace: system,
          annotations: { 'eks.amazonaws.com/role-arn': str(v['executionRoleArn']) },
        },
      },
    );
  }
  const templates: RenderedTemplate[] = [
    { path: `${prefix}templates/default.yaml`, objects: main },
  ];
  for (const sub of SUB_CHARTS) {
    if (!subChartEnabled(sub, v)) continue;
    const sv = coalesce(sub.defaults, (v[sub.alias] as HelmValues | undefined) ?? {});
    for (const [file, objects] of Object.entries(renderSubChart(sub, sv, release, namespace))) {
      if (objects.length > 0)
        templates.push({ path: `${prefix}charts/${sub.alias}/templates/${file}`, objects });
    }
  }
  return templates;
}

function validateRequiredValues(v: HelmValues): void {
  const fail = (message: string): never => {
    throw new Error(
      `execution error at (hyperpod-inference-operator/templates/default.yaml:1:12): ${message}`,
    );
  };
  const s3 = v['s3'] as HelmValues;
  const keda = v['keda'] as HelmValues;
  const alb = v['alb'] as HelmValues;
  const image = v['image'] as HelmValues;
  if (s3['enabled'] && !s3['serviceAccountRoleArn'])
    fail(
      'A valid role for the Mountpoint for s3 CSI driver must be set via the --set s3.serviceAccountRoleArn=<arn> flag.',
    );
  if (!v['executionRoleArn'])
    fail('executionRoleArn must be set via the --set executionRoleArn=<arn> flag');
  if (
    v['isAddOn'] &&
    !str(v['executionRoleArn']).split('/').pop()!.startsWith('SageMakerHyperPodInference')
  ) {
    fail("executionRoleArn must have a role name with prefix 'SageMakerHyperPodInference'");
  }
  if (!v['tlsCertificateS3Bucket'])
    fail(
      'tlsCertificateS3Bucket must be set via the --set tlsCertificateS3Bucket=<s3 Bucket> flag',
    );
  if (!str(v['tlsCertificateS3Bucket']).startsWith('s3://'))
    v['tlsCertificateS3Bucket'] = `s3://${str(v['tlsCertificateS3Bucket'])}`;
  if (!v['region']) fail('A valid region is required!');
  if (!v['eksClusterName']) fail('An EKS cluster name is required!');
  const irsa = ((keda['podIdentity'] as HelmValues)['aws'] as HelmValues)['irsa'] as HelmValues;
  if (keda['enabled'] && !irsa['roleArn'])
    fail(
      'A valid role for the KEDA operator must be set via the --set keda.podIdentity.aws.irsa.roleArn=<arn> flag.',
    );
  const albSa = alb['serviceAccount'] as HelmValues;
  if (alb['enabled'] && albSa['create'] && !albSa['roleArn'])
    fail(
      'A valid role for the AWS Load Balancer Controller must be set via the --set alb.serviceAccount.roleArn=<arn> flag.',
    );
  const domains = image['repositoryDomainMap'] as HelmValues;
  if (!(str(v['region']) in domains)) fail('Unsupported AWS Region');
  if (!image['repository']) image['repository'] = domains[str(v['region'])];
}
