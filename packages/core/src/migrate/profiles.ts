/**
 * Migration profiles: what moving one Helm-installed component to its EKS add-on means, as data.
 * The flagship `hyperpod-inference` profile moves the HyperPod inference operator (chart
 * `hyperpod-inference-operator`, alone or as a sub-chart of `hyperpod-dependencies`); the others
 * move components that are also its dependencies and can be migrated on their own.
 *
 * Facts from the public chart's values.yaml and the add-on's configuration schema (see
 * docs/migration.md for the table).
 */
import {
  INFERENCE_ADDON,
  INFERENCE_OPERATOR_CHART,
  INFERENCE_PREREQUISITES,
  UMBRELLA_CHARTS,
} from '../components/addonComponents';
import { formatValuesPath } from './manifest';

/** An IAM role a Helm value names that the add-on needs under other rules (name prefix, service account). */
export interface RoleRule {
  /** Name of the role the migration creates when the current one does not fit; `{id8}` = the first 8 characters of the HyperPod cluster id. */
  name: string;
  /** The add-on requires role names with this prefix. */
  requiredPrefix?: string;
  /** `namespace:name` of the service account the add-on runs this under: the role's trust must allow it. */
  serviceAccount: string;
}

export interface ValueMapping {
  /** Path in the component's Helm values (dot-separated; a dot inside a key written `\\.`, see formatValuesPath). */
  from: string;
  /** Path in the add-on's configurationValues. Undefined when `serviceAccountRoleOf` is set. */
  to?: string;
  /** `s3-bucket-name`: `s3://bucket/prefix` → `bucket`. */
  transform?: 's3-bucket-name';
  /** The value is a role ARN that must satisfy this rule (a new role is made when it does not). */
  role?: RoleRule;
  /** The value becomes the `serviceAccountRoleArn` of this add-on (a dependency or the target itself). */
  serviceAccountRoleOf?: string;
  /** Extra configuration set when this value is mapped. */
  alsoSet?: Record<string, unknown>;
}

export interface DependencySpec {
  /** Profile id of the dependency (its add-on name). */
  profile: string;
  /** Lowest add-on version the target needs. */
  minVersion: string;
}

export interface MigrationProfile {
  /** What users type: `kubectl hyperpod migrate <id>`. */
  id: string;
  description: string;
  addonName: string;
  /** Charts that install the component on their own (a release whose chart is one of these). */
  charts: string[];
  /** Names of the component as a sub-chart (alias or chart name) inside another release. */
  subchartNames: string[];
  /** Umbrella charts that carry `charts` as a sub-chart. */
  umbrellaCharts: string[];
  /** Helm values → add-on configuration. */
  mappings: ValueMapping[];
  /**
   * Helm values the add-on takes care of itself (the cluster name, the region, enabling the
   * components it always runs): not carried over, never reported as dropped. `*` matches one key.
   */
  consumed: string[];
  /**
   * Flags turning on a sub-chart the add-on always runs (`fsx.enabled`): `true` is what the add-on
   * does anyway, `false` cannot be kept and is a drop.
   */
  componentFlags?: string[];
  /** Sub-charts of this chart that are other profiles (dependencies migrated with it). */
  dependencies: DependencySpec[];
  /** Sub-charts the add-on runs itself (their objects are this component's). */
  absorbedSubcharts: string[];
  /** Deployments scaled to zero before the add-on is created (two controllers must not run at once); names may use `{release}`. */
  scaleDown: string[];
  /** Whether the add-on's in-cluster objects carry the same names as the Helm ones (adopted in place, no scale-down gap). */
  adoptsInPlace: boolean;
  /** Look for TLS buckets, certificates and load balancers to tag `CreatedBy=HyperPodInference`. */
  tagsInferenceResources: boolean;
}

export const CREATED_BY_TAG = { key: 'CreatedBy', value: 'HyperPodInference' } as const;

const INFERENCE_NS = 'hyperpod-inference-system';

const minVersion = (addonName: string): string => {
  const d = INFERENCE_PREREQUISITES.dependencyAddons.find((x) => x.addonName === addonName);
  if (!d) throw new Error(`no minimum version for ${addonName}`);
  return d.minVersion;
};

/** Flags of sub-charts the add-on always runs (see `componentFlags`). */
/** The IRSA annotation of a chart's service account (`<keys>.serviceAccount.annotations`). */
const irsa = (...keys: string[]): string =>
  formatValuesPath([...keys, 'serviceAccount', 'annotations', 'eks.amazonaws.com/role-arn']);

const enabledFlags = (names: string[]) => names.map((n) => `${n}.enabled`);

export const MIGRATION_PROFILES: readonly MigrationProfile[] = [
  {
    id: 'hyperpod-inference',
    description:
      'SageMaker HyperPod inference operator (Helm) → amazon-sagemaker-hyperpod-inference',
    addonName: INFERENCE_ADDON,
    charts: [INFERENCE_OPERATOR_CHART],
    subchartNames: [INFERENCE_OPERATOR_CHART, 'inference-operator'],
    umbrellaCharts: [...UMBRELLA_CHARTS],
    mappings: [
      {
        from: 'executionRoleArn',
        to: 'executionRoleArn',
        role: {
          name: 'SageMakerHyperPodInference-{id8}-execution-role',
          requiredPrefix: 'SageMakerHyperPodInference',
          serviceAccount: `${INFERENCE_NS}:hyperpod-inference-controller-manager`,
        },
      },
      { from: 'tlsCertificateS3Bucket', to: 'tlsCertificateS3Bucket', transform: 's3-bucket-name' },
      { from: 'hyperpodClusterArn', to: 'hyperpodClusterArn' },
      { from: 'jumpstartGatedModelDownloadRoleArn', to: 'jumpstartGatedModelDownloadRoleArn' },
      {
        from: 'alb.serviceAccount.roleArn',
        to: 'alb.serviceAccount.roleArn',
        alsoSet: { 'alb.serviceAccount.create': true },
        role: {
          name: 'SageMakerHP-ALB-{id8}-addon',
          serviceAccount: `${INFERENCE_NS}:aws-load-balancer-controller`,
        },
      },
      {
        from: 'keda.podIdentity.aws.irsa.roleArn',
        to: 'keda.auth.aws.irsa.roleArn',
        role: {
          name: 'SageMakerHP-KEDA-{id8}-addon',
          serviceAccount: `${INFERENCE_NS}:keda-operator`,
        },
      },
      // The sub-charts' IRSA, as in their own profiles below (the annotation, last, wins: it is
      // what the driver runs with; the inference chart only checks s3.serviceAccountRoleArn is set).
      { from: 's3.serviceAccountRoleArn', serviceAccountRoleOf: 'aws-mountpoint-s3-csi-driver' },
      { from: irsa('s3', 'node'), serviceAccountRoleOf: 'aws-mountpoint-s3-csi-driver' },
      { from: irsa('fsx', 'controller'), serviceAccountRoleOf: 'aws-fsx-csi-driver' },
      { from: 'tolerations', to: 'tolerations' },
      { from: 'nodeSelector', to: 'nodeSelector' },
      { from: 'affinity', to: 'affinity' },
    ],
    consumed: [
      'region',
      'eksClusterName',
      'namePrefix',
      'shortPrefix',
      'stage',
      'isAddOn',
      'image.repositoryDomainMap',
      'image.pullPolicy',
      'alb.clusterName',
      'alb.region',
      'alb.vpcId',
      'alb.serviceAccount.create',
      'alb.serviceAccount.name',
      'alb.enableServiceMutatorWebhook',
      'keda.podIdentity.aws.irsa.enabled',
    ],
    componentFlags: enabledFlags(['s3', 'fsx', 'alb', 'keda', 'cert-manager', 'metrics']),
    dependencies: [
      {
        profile: 'aws-mountpoint-s3-csi-driver',
        minVersion: minVersion('aws-mountpoint-s3-csi-driver'),
      },
      { profile: 'aws-fsx-csi-driver', minVersion: minVersion('aws-fsx-csi-driver') },
      { profile: 'cert-manager', minVersion: minVersion('cert-manager') },
      { profile: 'metrics-server', minVersion: minVersion('metrics-server') },
    ],
    absorbedSubcharts: ['alb', 'aws-load-balancer-controller', 'keda'],
    scaleDown: [
      `${INFERENCE_NS}/hyperpod-inference-operator-controller-manager`,
      '*/{release}-alb',
      '*/keda-operator',
      '*/keda-operator-metrics-apiserver',
      '*/keda-admission-webhooks',
    ],
    adoptsInPlace: false,
    tagsInferenceResources: true,
  },
  {
    id: 'metrics-server',
    description: 'metrics-server (Helm) → metrics-server add-on',
    addonName: 'metrics-server',
    charts: ['metrics-server'],
    subchartNames: ['metrics', 'metrics-server'],
    umbrellaCharts: [INFERENCE_OPERATOR_CHART, ...UMBRELLA_CHARTS],
    mappings: [
      { from: 'replicas', to: 'replicas' },
      { from: 'tolerations', to: 'tolerations' },
      { from: 'nodeSelector', to: 'nodeSelector' },
      { from: 'affinity', to: 'affinity' },
    ],
    consumed: ['enabled'],
    dependencies: [],
    absorbedSubcharts: [],
    scaleDown: [],
    adoptsInPlace: true,
    tagsInferenceResources: false,
  },
  {
    id: 'cert-manager',
    description: 'cert-manager (Helm) → cert-manager add-on',
    addonName: 'cert-manager',
    charts: ['cert-manager'],
    subchartNames: ['cert-manager'],
    umbrellaCharts: [INFERENCE_OPERATOR_CHART, ...UMBRELLA_CHARTS],
    mappings: [
      { from: 'tolerations', to: 'tolerations' },
      { from: 'nodeSelector', to: 'nodeSelector' },
      { from: 'affinity', to: 'affinity' },
    ],
    consumed: ['enabled', 'namespace', 'crds.enabled', 'installCRDs'],
    dependencies: [],
    absorbedSubcharts: [],
    scaleDown: [],
    adoptsInPlace: true,
    tagsInferenceResources: false,
  },
  {
    id: 'aws-mountpoint-s3-csi-driver',
    description: 'Mountpoint for Amazon S3 CSI driver (Helm) → aws-mountpoint-s3-csi-driver add-on',
    addonName: 'aws-mountpoint-s3-csi-driver',
    charts: ['aws-mountpoint-s3-csi-driver'],
    subchartNames: ['s3', 'aws-mountpoint-s3-csi-driver'],
    umbrellaCharts: [INFERENCE_OPERATOR_CHART, ...UMBRELLA_CHARTS],
    mappings: [
      // The inference chart's key for it (`s3.serviceAccountRoleArn` there), then the chart's own
      // IRSA, the node service account's annotation its values.yaml documents (the add-on's
      // role is that service account's, s3-csi-driver-sa).
      { from: 'serviceAccountRoleArn', serviceAccountRoleOf: 'aws-mountpoint-s3-csi-driver' },
      { from: irsa('node'), serviceAccountRoleOf: 'aws-mountpoint-s3-csi-driver' },
      { from: 'node.tolerations', to: 'tolerations' },
      { from: 'node.nodeSelector', to: 'nodeSelector' },
    ],
    consumed: ['enabled', 'node.serviceAccount.create', 'node.serviceAccount.name'],
    dependencies: [],
    absorbedSubcharts: [],
    scaleDown: [],
    adoptsInPlace: true,
    tagsInferenceResources: false,
  },
  {
    id: 'aws-fsx-csi-driver',
    description: 'Amazon FSx for Lustre CSI driver (Helm) → aws-fsx-csi-driver add-on',
    addonName: 'aws-fsx-csi-driver',
    charts: ['aws-fsx-csi-driver'],
    subchartNames: ['fsx', 'aws-fsx-csi-driver'],
    umbrellaCharts: [INFERENCE_OPERATOR_CHART, ...UMBRELLA_CHARTS],
    mappings: [
      // The chart's IRSA: the controller service account's annotation (values.yaml: "Enable if EKS
      // IAM for SA is used"); the add-on's role is that service account's, fsx-csi-controller-sa.
      { from: irsa('controller'), serviceAccountRoleOf: 'aws-fsx-csi-driver' },
      { from: 'controller.tolerations', to: 'tolerations' },
      { from: 'controller.nodeSelector', to: 'nodeSelector' },
    ],
    consumed: ['enabled', 'controller.serviceAccount.create', 'controller.serviceAccount.name'],
    dependencies: [],
    absorbedSubcharts: [],
    scaleDown: [],
    adoptsInPlace: true,
    tagsInferenceResources: false,
  },
];

/** The profile a migration uses when none is named: the flagship inference operator. */
export const DEFAULT_MIGRATION_PROFILE = 'hyperpod-inference';

export function findProfile(id: string): MigrationProfile | undefined {
  return MIGRATION_PROFILES.find((p) => p.id === id || p.addonName === id);
}

export function profileIds(): string[] {
  return MIGRATION_PROFILES.map((p) => p.id);
}
