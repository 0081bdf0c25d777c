/**
 * The HyperPod inference operator chart, rendered in TypeScript: what `helm template` of the
 * fixture chart (test/fixtures/charts/hyperpod-inference-operator) gives for the same values, so
 * seeded releases and releases installed by real helm in tests look alike. A test compares the two.
 */
import type { HelmChartDependency, HelmReleaseStatus, HelmValues } from '@hyperpod/core';
import type { KubeObject } from '../kube/types';
import type { HelmChartSeed, HelmReleaseSeed, HelmRevisionSeed } from './buildHelmRelease';
import type { RenderedTemplate } from './helmManifest';
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

interface SubChart {
  alias: string;
  name: string;
  version: string;
  appVersion: string;
  repository: string;
  condition?: string;
  defaults: HelmValues;
}

const SUB_CHARTS: SubChart[] = [
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
  if (chartVersion === '2.2.2') return inferenceOperatorValues222();
  return {
    namePrefix: 'hyperpod-inference-operator',
    shortPrefix: 'hyperpod-inference',
    region: '',
    eksClusterName: '',
    ...(chartVersion === '2.1.0' ? {} : { isAddOn: false }),
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
    hyperpodClusterArn: null,
    executionRoleArn: null,
    jumpstartGatedModelDownloadRoleArn: '',
    stage: 'prod',
    tlsCertificateS3Bucket: null,
    enableWebhooks: true,
    enableCustomServiceAccounts: false,
    s3: { enabled: true, serviceAccountRoleArn: '' },
    fsx: { enabled: true },
    alb: {
      enabled: true,
      enableServiceMutatorWebhook: false,
      clusterName: '',
      region: '',
      vpcId: '',
      serviceAccount: { create: false, name: 'aws-load-balancer-controller', roleArn: '' },
    },
    'cert-manager': { enabled: true, namespace: 'cert-manager', crds: { enabled: true } },
    keda: {
      enabled: true,
      namespace: 'keda',
      podIdentity: { aws: { irsa: { enabled: true, roleArn: '' } } },
    },
    components: {
      crd: { enabled: true, path: 'config/crd' },
      rbac: { enabled: true, path: 'config/rbac' },
      manager: { enabled: true, path: 'config/manager' },
    },
  };
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

function renderSubChart(
  sub: SubChart,
  v: HelmValues,
  release: string,
  namespace: string,
): Record<string, KubeObject[]> {
  const labels = {
    'helm.sh/chart': `${sub.alias}-${sub.version}`,
    'app.kubernetes.io/name': sub.alias,
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/version': sub.appVersion,
    'app.kubernetes.io/managed-by': 'Helm',
  };
  const deployment = (
    name: string,
    ns: string,
    sa: string,
    image: string,
    replicas = 1,
  ): KubeObject[] => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas,
        selector: {
          matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release },
        },
        template: {
          metadata: {
            labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release },
          },
          spec: { serviceAccountName: sa, containers: [{ name, image }] },
        },
      },
    },
  ];
  const daemonSet = (name: string, sa: string, image: string): KubeObject[] => [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, 'app.kubernetes.io/instance': release } },
          spec: { serviceAccountName: sa, containers: [{ name, image }] },
        },
      },
    },
  ];
  const serviceAccount = (name: string, ns: string, roleArn?: unknown): KubeObject[] => [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name,
        namespace: ns,
        labels,
        ...(roleArn ? { annotations: { 'eks.amazonaws.com/role-arn': str(roleArn) } } : {}),
      },
    },
  ];
  const csiDriver = (name: string): KubeObject[] => [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name, labels },
      spec: { attachRequired: false, podInfoOnMount: true },
    },
  ];
  const replicas = (typeof v['replicaCount'] === 'number' && v['replicaCount']) || 1;
  switch (sub.alias) {
    case 'alb': {
      const sa = v['serviceAccount'] as HelmValues;
      return {
        'deployment.yaml': deployment(
          `${release}-alb`,
          namespace,
          str(sa['name']),
          `public.ecr.aws/eks/aws-load-balancer-controller:${sub.appVersion}`,
          replicas,
        ),
        'serviceaccount.yaml': sa['create']
          ? serviceAccount(str(sa['name']), namespace, sa['roleArn'])
          : [],
      };
    }
    case 'keda': {
      const irsa = ((v['podIdentity'] as HelmValues)['aws'] as HelmValues)['irsa'] as HelmValues;
      const image = (n: string) => `ghcr.io/kedacore/${n}:${sub.appVersion}`;
      return {
        'admission-webhooks.yaml': deployment(
          'keda-admission-webhooks',
          namespace,
          'keda-webhook',
          image('keda-admission-webhooks'),
        ),
        'metrics-apiserver.yaml': deployment(
          'keda-operator-metrics-apiserver',
          namespace,
          'keda-operator',
          image('keda-metrics-apiserver'),
        ),
        'operator.yaml': deployment('keda-operator', namespace, 'keda-operator', image('keda')),
        'serviceaccount.yaml': serviceAccount(
          'keda-operator',
          namespace,
          irsa['enabled'] ? irsa['roleArn'] : undefined,
        ),
        'webhook-serviceaccount.yaml': serviceAccount('keda-webhook', namespace),
      };
    }
    case 's3':
      return {
        'csidriver.yaml': csiDriver('s3.csi.aws.com'),
        'node.yaml': daemonSet(
          's3-csi-node',
          's3-csi-driver-sa',
          `public.ecr.aws/mountpoint-s3-csi-driver/aws-mountpoint-s3-csi-driver:v${sub.appVersion}`,
        ),
        'serviceaccount.yaml': serviceAccount(
          's3-csi-driver-sa',
          namespace,
          v['serviceAccountRoleArn'],
        ),
      };
    case 'fsx':
      return {
        'controller-serviceaccount.yaml': serviceAccount(
          'fsx-csi-controller-sa',
          namespace,
          ((v['controller'] as HelmValues)['serviceAccount'] as HelmValues)['roleArn'],
        ),
        'csidriver.yaml': csiDriver('fsx.csi.aws.com'),
        'node-serviceaccount.yaml': serviceAccount('fsx-csi-node-sa', namespace),
        'node.yaml': daemonSet(
          'fsx-csi-node',
          'fsx-csi-node-sa',
          `public.ecr.aws/fsx-csi-driver/aws-fsx-csi-driver:v${sub.appVersion}`,
        ),
      };
    case 'metrics': {
      const name = `${release}-metrics`;
      return {
        'deployment.yaml': deployment(
          name,
          namespace,
          name,
          `registry.k8s.io/metrics-server/metrics-server:v${sub.appVersion}`,
          replicas,
        ),
        'serviceaccount.yaml': serviceAccount(name, namespace),
      };
    }
    case 'cert-manager': {
      const ns = str(v['namespace']) || namespace;
      const out: Record<string, KubeObject[]> = {};
      for (const name of ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']) {
        out[`${name}.yaml`] = deployment(
          name,
          ns,
          name,
          `quay.io/jetstack/${name}:${sub.appVersion}`,
          replicas,
        );
        out[`${name}-serviceaccount.yaml`] = serviceAccount(name, ns);
      }
      // The published chart's templates/crds.yaml (generated by cert-manager's release tool):
      // every CRD, kept when the release goes (crds.keep). The `cert-manager` namespace is not
      // the chart's: it must exist before the install.
      const crds = v['crds'] as HelmValues;
      out['crds.yaml'] = crds['enabled']
        ? CERT_MANAGER_CRDS.map(([group, plural, kind, scope]) => ({
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            metadata: {
              name: `${plural}.${group}`,
              ...(crds['keep'] ? { annotations: { 'helm.sh/resource-policy': 'keep' } } : {}),
              labels,
            },
            spec: {
              group,
              names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
              scope,
              versions: [
                {
                  name: 'v1',
                  schema: {
                    openAPIV3Schema: {
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
          }))
        : [];
      return out;
    }
    default:
      return {};
  }
}

/** cert-manager's CRDs: group, plural, kind, scope (in its crds.yaml order). */
const CERT_MANAGER_CRDS: [string, string, string, string][] = [
  ['acme.cert-manager.io', 'challenges', 'Challenge', 'Namespaced'],
  ['acme.cert-manager.io', 'orders', 'Order', 'Namespaced'],
  ['cert-manager.io', 'certificaterequests', 'CertificateRequest', 'Namespaced'],
  ['cert-manager.io', 'certificates', 'Certificate', 'Namespaced'],
  ['cert-manager.io', 'clusterissuers', 'ClusterIssuer', 'Cluster'],
  ['cert-manager.io', 'issuers', 'Issuer', 'Namespaced'],
];

function subChartEnabled(sub: SubChart, values: HelmValues): boolean {
  if (!sub.condition) return true;
  const [alias, key] = sub.condition.split('.') as [string, string];
  return (values[alias] as HelmValues | undefined)?.[key] !== false;
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

/** Helm's value coalescing: user values over defaults, maps merged deeply, `null` deletes a key. */
export function coalesce(defaults: HelmValues, overrides: HelmValues): HelmValues {
  const out: HelmValues = structuredClone(defaults);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) {
      delete out[key];
    } else if (isMap(value) && isMap(out[key])) {
      out[key] = coalesce(out[key] as HelmValues, value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

function isMap(value: unknown): value is HelmValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export interface InferenceOperatorRevision {
  status: HelmReleaseStatus;
  chartVersion?: string;
  values: HelmValues;
  description?: string;
  deployedAt?: Date;
}

/**
 * A seed for `seedHelmRelease`: the inference operator release with the given revision history
 * (e.g. 2.1.0 superseded, then 2.2.2 deployed; or a third revision stuck in pending-upgrade).
 */
export function inferenceOperatorReleaseSeed(opts: {
  releaseName?: string;
  namespace?: string;
  revisions: InferenceOperatorRevision[];
  now?: Date;
}): HelmReleaseSeed {
  const releaseName = opts.releaseName ?? INFERENCE_OPERATOR_CHART;
  const namespace = opts.namespace ?? 'kube-system';
  const revisions: HelmRevisionSeed[] = opts.revisions.map((r) => {
    const chartVersion = r.chartVersion ?? '2.2.2';
    return {
      status: r.status,
      values: r.values,
      chart: inferenceOperatorChart(chartVersion, r.values),
      templates: renderInferenceOperatorChart(r.values, {
        chartVersion,
        releaseName,
        releaseNamespace: namespace,
      }),
      notes: `HyperPod inference operator ${INFERENCE_OPERATOR_CHART_VERSIONS[chartVersion]!.appVersion} installed in hyperpod-inference-system.\n`,
      ...(r.description ? { description: r.description } : {}),
      ...(r.deployedAt ? { deployedAt: r.deployedAt } : {}),
    };
  });
  const last = revisions[revisions.length - 1]!;
  return {
    name: releaseName,
    namespace,
    chart: last.chart!,
    revisions,
    ...(opts.now ? { now: opts.now } : {}),
  };
}

/** Realistic user values for an install in `account`/`region` (what a HyperPod console install passes). */
export function inferenceOperatorValues(opts: {
  accountId: string;
  region: string;
  clusterName: string;
  hyperpodClusterId?: string;
}): HelmValues {
  const { accountId, region, clusterName } = opts;
  const id = opts.hyperpodClusterId ?? 'abcd1234efgh';
  return {
    region,
    eksClusterName: clusterName,
    hyperpodClusterArn: `arn:aws:sagemaker:${region}:${accountId}:cluster/${id}`,
    executionRoleArn: `arn:aws:iam::${accountId}:role/HyperpodInferenceRole-${clusterName}`,
    tlsCertificateS3Bucket: `s3://hyperpod-tls-${accountId}-${region}`,
    jumpstartGatedModelDownloadRoleArn: `arn:aws:iam::${accountId}:role/JumpstartGatedRole-${clusterName}`,
    s3: { serviceAccountRoleArn: `arn:aws:iam::${accountId}:role/S3CsiDriverRole-${clusterName}` },
    alb: {
      clusterName,
      region,
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      serviceAccount: {
        create: true,
        roleArn: `arn:aws:iam::${accountId}:role/HyperpodInferenceALBRole-${clusterName}`,
      },
    },
    keda: {
      podIdentity: {
        aws: {
          irsa: {
            roleArn: `arn:aws:iam::${accountId}:role/HyperpodInferenceKEDARole-${clusterName}`,
          },
        },
      },
    },
  };
}

/**
 * A seed for the umbrella release `hyperpod-dependencies` carrying the inference operator as a
 * sub-chart (as the HyperPod CLI installs it): user values nest under the sub-chart's name and
 * template paths under `charts/hyperpod-inference-operator/`.
 */
export function dependenciesReleaseSeed(opts: {
  inferenceOperatorChartVersion?: string;
  values: HelmValues;
  releaseName?: string;
  namespace?: string;
  now?: Date;
}): HelmReleaseSeed {
  const chartVersion = opts.inferenceOperatorChartVersion ?? '2.2.2';
  const releaseName = opts.releaseName ?? 'hyperpod-dependencies';
  const namespace = opts.namespace ?? 'kube-system';
  const userValues: HelmValues = { [INFERENCE_OPERATOR_CHART]: opts.values };
  const chart: HelmChartSeed = {
    name: 'hyperpod-dependencies',
    version: '0.1.0',
    appVersion: '1.0',
    apiVersion: 'v2',
    type: 'application',
    description: 'Umbrella chart of SageMaker HyperPod cluster dependencies.',
    dependencies: [
      {
        name: INFERENCE_OPERATOR_CHART,
        version: chartVersion,
        repository: 'file://charts/inference-operator',
        condition: 'inferenceOperators.enabled',
        enabled: true,
      },
    ],
    values: { inferenceOperators: { enabled: true }, [INFERENCE_OPERATOR_CHART]: {} },
  };
  return {
    name: releaseName,
    namespace,
    chart,
    revisions: [
      {
        status: 'deployed',
        values: userValues,
        templates: renderInferenceOperatorChart(opts.values, {
          chartVersion,
          releaseName,
          releaseNamespace: namespace,
          pathPrefix: `charts/${INFERENCE_OPERATOR_CHART}/`,
        }),
        description: 'Install complete',
      },
    ],
    ...(opts.now ? { now: opts.now } : {}),
  };
}
