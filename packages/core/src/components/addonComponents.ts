/**
 * Which Helm charts, sub-charts and workloads are which EKS add-on: the data the scan uses to
 * say "this Helm release is add-on X" and to find an add-on's workloads in the cluster. Facts from
 * the HyperPod inference operator chart (its Chart.yaml dependencies and aliases) and the EKS
 * add-ons that replace it and its dependencies.
 */

export const INFERENCE_ADDON = 'amazon-sagemaker-hyperpod-inference';
export const INFERENCE_OPERATOR_CHART = 'hyperpod-inference-operator';
/** Umbrella charts that may carry the inference operator as a sub-chart. */
export const UMBRELLA_CHARTS: readonly string[] = ['hyperpod-dependencies'];

/** A Deployment or DaemonSet an install of the component runs. `{release}` stands for the Helm release name. */
export interface WorkloadPattern {
  kind: 'Deployment' | 'DaemonSet';
  name: string;
  /** Undefined = any namespace (cert-manager lives where the user put it). */
  namespace?: string;
}

export interface AddonComponent {
  addonName: string;
  /** Charts that install it on their own. */
  charts: string[];
  /** Its names as a sub-chart of the inference operator chart (alias first, then chart name). */
  subchartNames: string[];
  /** Workloads of the add-on and of the Helm install. */
  workloads: WorkloadPattern[];
  /**
   * API groups of the CRDs the add-on applies when it becomes ACTIVE. CRDs of these groups already
   * on the cluster (applied with kubectl before a chart with `crds.enabled=false`) are overwritten.
   */
  crdGroups?: string[];
  /**
   * Chart version → the upstream app version it ships, for charts whose version is not the app's
   * (metrics-server chart 3.12.2 ships metrics-server 0.7.2). Charts not listed version like their app.
   */
  chartAppVersions?: Record<string, string>;
  /** True when the chart version is the app version. */
  chartVersionIsAppVersion?: boolean;
  /**
   * True when the add-on's `vX.Y.Z` is the upstream app version, so a chart's app version names
   * the add-on version carrying the same software. False for the inference operator, whose chart
   * app versions (3.x) and add-on versions (1.x) are numbered apart.
   */
  addonTracksAppVersion: boolean;
}

/**
 * What the inference operator needs in the cluster, whichever way it is installed. The add-on
 * versions are the minimums the add-on documents for its dependency add-ons.
 */
export const INFERENCE_PREREQUISITES = {
  csiDrivers: [
    { name: 's3.csi.aws.com', addonName: 'aws-mountpoint-s3-csi-driver' },
    { name: 'fsx.csi.aws.com', addonName: 'aws-fsx-csi-driver' },
  ],
  crds: [
    { name: 'certificates.cert-manager.io', addonName: 'cert-manager' },
    { name: 'certificaterequests.cert-manager.io', addonName: 'cert-manager' },
  ],
  dependencyAddons: [
    { addonName: 'aws-mountpoint-s3-csi-driver', minVersion: 'v1.14.1-eksbuild.1' },
    { addonName: 'aws-fsx-csi-driver', minVersion: 'v1.6.0-eksbuild.1' },
    { addonName: 'cert-manager', minVersion: 'v1.18.2-eksbuild.2' },
    { addonName: 'metrics-server', minVersion: 'v0.7.2-eksbuild.4' },
  ],
} as const;

/** Sub-charts of the inference operator chart that have no add-on of their own: the inference add-on runs them. */
export const ABSORBED_SUBCHARTS: Readonly<Record<string, string>> = {
  alb: 'AWS Load Balancer Controller',
  'aws-load-balancer-controller': 'AWS Load Balancer Controller',
  keda: 'KEDA',
};

export const ADDON_COMPONENTS: readonly AddonComponent[] = [
  {
    addonName: INFERENCE_ADDON,
    charts: [INFERENCE_OPERATOR_CHART],
    subchartNames: [],
    addonTracksAppVersion: false,
    // Its own, and those of the KEDA and load balancer controller it runs in place of the sub-charts.
    crdGroups: [
      'inference.sagemaker.aws.amazon.com',
      'keda.sh',
      'eventing.keda.sh',
      'elbv2.k8s.aws',
    ],
    workloads: [
      {
        kind: 'Deployment',
        namespace: 'hyperpod-inference-system',
        name: 'hyperpod-inference-controller-manager',
      },
      {
        kind: 'Deployment',
        namespace: 'hyperpod-inference-system',
        name: 'hyperpod-inference-operator-controller-manager',
      },
      {
        kind: 'Deployment',
        namespace: 'hyperpod-inference-system',
        name: 'hyperpod-inference-alb',
      },
      { kind: 'Deployment', name: '{release}-alb' },
      { kind: 'Deployment', name: 'keda-operator' },
      { kind: 'Deployment', name: 'keda-operator-metrics-apiserver' },
      { kind: 'Deployment', name: 'keda-admission-webhooks' },
    ],
  },
  {
    addonName: 'aws-mountpoint-s3-csi-driver',
    charts: ['aws-mountpoint-s3-csi-driver'],
    subchartNames: ['s3', 'aws-mountpoint-s3-csi-driver'],
    addonTracksAppVersion: true,
    workloads: [{ kind: 'DaemonSet', namespace: 'kube-system', name: 's3-csi-node' }],
    chartVersionIsAppVersion: true,
  },
  {
    addonName: 'aws-fsx-csi-driver',
    charts: ['aws-fsx-csi-driver'],
    subchartNames: ['fsx', 'aws-fsx-csi-driver'],
    addonTracksAppVersion: true,
    workloads: [
      { kind: 'DaemonSet', namespace: 'kube-system', name: 'fsx-csi-node' },
      { kind: 'Deployment', namespace: 'kube-system', name: 'fsx-csi-controller' },
    ],
    chartAppVersions: { '1.11.0': '1.3.0' },
  },
  {
    addonName: 'cert-manager',
    charts: ['cert-manager'],
    subchartNames: ['cert-manager'],
    addonTracksAppVersion: true,
    crdGroups: ['cert-manager.io', 'acme.cert-manager.io'],
    workloads: [
      { kind: 'Deployment', name: 'cert-manager' },
      { kind: 'Deployment', name: 'cert-manager-cainjector' },
      { kind: 'Deployment', name: 'cert-manager-webhook' },
    ],
    chartVersionIsAppVersion: true,
  },
  {
    addonName: 'metrics-server',
    charts: ['metrics-server'],
    subchartNames: ['metrics', 'metrics-server'],
    addonTracksAppVersion: true,
    workloads: [
      { kind: 'Deployment', namespace: 'kube-system', name: 'metrics-server' },
      { kind: 'Deployment', name: '{release}-metrics' },
    ],
    chartAppVersions: {
      '3.12.0': '0.7.1',
      '3.12.1': '0.7.1',
      '3.12.2': '0.7.2',
      '3.13.0': '0.8.0',
    },
  },
  {
    addonName: 'coredns',
    charts: ['coredns'],
    subchartNames: [],
    addonTracksAppVersion: true,
    workloads: [{ kind: 'Deployment', namespace: 'kube-system', name: 'coredns' }],
  },
  {
    addonName: 'kube-proxy',
    charts: [],
    subchartNames: [],
    addonTracksAppVersion: true,
    workloads: [{ kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy' }],
  },
  {
    addonName: 'vpc-cni',
    charts: ['aws-vpc-cni'],
    subchartNames: [],
    addonTracksAppVersion: true,
    workloads: [{ kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node' }],
  },
  {
    addonName: 'eks-pod-identity-agent',
    charts: [],
    subchartNames: [],
    addonTracksAppVersion: true,
    workloads: [{ kind: 'DaemonSet', namespace: 'kube-system', name: 'eks-pod-identity-agent' }],
  },
];

export function componentForAddon(addonName: string): AddonComponent | undefined {
  return ADDON_COMPONENTS.find((c) => c.addonName === addonName);
}

/** The component a standalone chart installs. */
export function componentForChart(chartName: string): AddonComponent | undefined {
  return ADDON_COMPONENTS.find((c) => c.charts.includes(chartName));
}

/** The component a sub-chart of the inference operator chart is (by alias or chart name). */
export function componentForSubchart(...names: (string | undefined)[]): AddonComponent | undefined {
  return ADDON_COMPONENTS.find((c) =>
    names.some((n) => n !== undefined && c.subchartNames.includes(n)),
  );
}

/** The upstream app version a chart version ships, when known. */
export function chartAppVersion(
  component: AddonComponent,
  chartVersion: string,
  appVersion?: string,
): string | undefined {
  if (appVersion) return appVersion;
  const known =
    component.chartAppVersions?.[chartVersion] ??
    component.chartAppVersions?.[chartVersion.replace(/^v/, '')];
  if (known) return known;
  return component.chartVersionIsAppVersion ? chartVersion : undefined;
}
