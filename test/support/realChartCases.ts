/**
 * The real-chart conformance cases: every real chart whose component has a migration profile,
 * installed alone, and the inference umbrella, each with the values a customer sets (the keys the
 * chart's own values.yaml documents for that purpose, nothing invented).
 */
import {
  assembleInferenceUmbrella,
  copyRealChart,
  inferenceCustomerValues,
  REAL_DEPENDENCY_CHARTS,
} from './realCharts';
import { stringify } from 'yaml';
import { certManagerCrds } from '@hyperpod/sandbox';
import type { RealChartSandbox } from './realChartSandbox';

export interface RealChartCase {
  /** Test and summary id. */
  id: string;
  /** Migration profile (`kubectl hyperpod migrate <profile>`). */
  profile: string;
  addonName: string;
  release: string;
  namespace: string;
  chartName: string;
  chartVersion: string;
  /** Undefined when the chart has none (the S3 CSI chart). */
  appVersion?: string;
  /** Copies (or assembles) the chart into a scratch folder and returns its path. */
  chart(): string;
  /** The customer's values; seeds the AWS side they name (IRSA roles) on the sandbox. */
  values(s: RealChartSandbox): Record<string, unknown>;
  /** What the plan must derive from those values for the add-on (matched as a subset). */
  target(values: Record<string, unknown>): {
    configuration?: Record<string, unknown>;
    serviceAccountRoleArn?: string;
  };
  /**
   * Values a dependency's profile lists as taken care of by its add-on (`consumed`) that the
   * plan may still report as drops (a finding the suite records, then accepts to go on).
   */
  consumedByProfile?: string[];
  /** What the customer does on the cluster before `helm install`. */
  prepare?(s: RealChartSandbox): Promise<void>;
  /** Sub-charts expected as migrated dependencies (add-on names) — the umbrella only. */
  dependencyAddons?: string[];
}

const IRSA = 'eks.amazonaws.com/role-arn';

/**
 * cert-manager's six CRDs at v1.18.2 applied with kubectl, as its docs' first install option has
 * it (`kubectl apply -f cert-manager.crds.yaml`): the source chart in REAL_CHARTS_DIR carries no
 * CRD templates (its release tool adds them), and the umbrella's Issuer and Certificate need them
 * on the cluster before helm can map those kinds.
 */
async function applyCertManagerCrds(s: RealChartSandbox): Promise<void> {
  const applied = await s.kubectl(
    ['apply', '-f', '-'],
    certManagerCrds()
      .map((o) => stringify(o))
      .join('---\n'),
  );
  if (applied.code !== 0) throw new Error(`kubectl apply cert-manager CRDs: ${applied.stderr}`);
}

export const REAL_CHART_CASES: RealChartCase[] = [
  {
    id: 'metrics-server',
    profile: 'metrics-server',
    addonName: 'metrics-server',
    release: 'metrics-server',
    namespace: 'kube-system',
    chartName: 'metrics-server',
    chartVersion: '3.12.2',
    appVersion: '0.7.2',
    chart: () => copyRealChart(REAL_DEPENDENCY_CHARTS['metrics-server']),
    // Pinned to dedicated system nodes, as a production cluster does. (`replicas: 2` would be
    // as common, but the profile maps it to `replicas` while the add-on schema has none.)
    values: () => ({
      nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role': 'system' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
    }),
    target: (v) => ({
      configuration: { nodeSelector: v['nodeSelector'], tolerations: v['tolerations'] },
    }),
  },
  {
    id: 'cert-manager',
    profile: 'cert-manager',
    addonName: 'cert-manager',
    release: 'cert-manager',
    namespace: 'cert-manager',
    chartName: 'cert-manager',
    chartVersion: 'v1.18.2',
    appVersion: 'v1.18.2',
    chart: () => copyRealChart(REAL_DEPENDENCY_CHARTS['cert-manager']),
    // cert-manager's docs, option 1: its CRDs applied with kubectl, then the chart; the
    // controller kept off tainted GPU nodes.
    prepare: applyCertManagerCrds,
    values: () => ({
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
    }),
    target: (v) => ({
      configuration: { nodeSelector: v['nodeSelector'], tolerations: v['tolerations'] },
    }),
  },
  {
    id: 'aws-mountpoint-s3-csi-driver',
    profile: 'aws-mountpoint-s3-csi-driver',
    addonName: 'aws-mountpoint-s3-csi-driver',
    release: 'aws-mountpoint-s3-csi-driver',
    namespace: 'kube-system',
    chartName: 'aws-mountpoint-s3-csi-driver',
    chartVersion: '1.14.1',
    chart: () => copyRealChart(REAL_DEPENDENCY_CHARTS['aws-mountpoint-s3-csi-driver']),
    // values.yaml: "Specify the SA's role ARN if running in EKS" (node.serviceAccount.annotations).
    values: (s) => ({
      node: {
        serviceAccount: {
          annotations: { [IRSA]: s.seedRole('s3-csi-driver-role', 'kube-system:s3-csi-driver-sa') },
        },
      },
    }),
    // The IRSA role goes to the add-on's service account role.
    target: (v) => ({
      serviceAccountRoleArn: (
        v as { node: { serviceAccount: { annotations: Record<string, string> } } }
      ).node.serviceAccount.annotations[IRSA],
    }),
  },
  {
    id: 'aws-fsx-csi-driver',
    profile: 'aws-fsx-csi-driver',
    addonName: 'aws-fsx-csi-driver',
    release: 'aws-fsx-csi-driver',
    namespace: 'kube-system',
    chartName: 'aws-fsx-csi-driver',
    chartVersion: '1.11.0',
    appVersion: '1.4.0',
    chart: () => copyRealChart(REAL_DEPENDENCY_CHARTS['aws-fsx-csi-driver']),
    // values.yaml: "Enable if EKS IAM for SA is used" (controller.serviceAccount.annotations).
    values: (s) => ({
      controller: {
        serviceAccount: {
          annotations: {
            [IRSA]: s.seedRole('fsx-csi-driver-role', 'kube-system:fsx-csi-controller-sa'),
          },
        },
      },
    }),
    target: (v) => ({
      serviceAccountRoleArn: (
        v as { controller: { serviceAccount: { annotations: Record<string, string> } } }
      ).controller.serviceAccount.annotations[IRSA],
    }),
  },
  {
    id: 'umbrella',
    profile: 'hyperpod-inference',
    addonName: 'amazon-sagemaker-hyperpod-inference',
    release: 'hyperpod-inference-operator',
    namespace: 'kube-system',
    chartName: 'hyperpod-inference-operator',
    chartVersion: '2.2.2',
    appVersion: '3.2',
    chart: () => assembleInferenceUmbrella(),
    values: (s) => {
      const c = s.cluster;
      const v = inferenceCustomerValues({
        clusterName: c.name,
        region: c.region,
        accountId: c.accountId,
      }) as {
        executionRoleArn: string;
        s3: { serviceAccountRoleArn: string };
        alb: { serviceAccount: { roleArn: string } };
        keda: { podIdentity: { aws: { irsa: { roleArn: string } } } };
      } & Record<string, unknown>;
      const role = (arn: string, sa: string) => s.seedRole(arn.slice(arn.lastIndexOf('/') + 1), sa);
      role(
        v.executionRoleArn,
        'hyperpod-inference-system:hyperpod-inference-operator-controller-manager',
      );
      role(v.s3.serviceAccountRoleArn, 'kube-system:s3-csi-driver-sa');
      role(v.alb.serviceAccount.roleArn, 'kube-system:aws-load-balancer-controller');
      role(v.keda.podIdentity.aws.irsa.roleArn, 'kube-system:keda-operator');
      // The real HyperPod cluster and TLS bucket of this sandbox; cert-manager's CRDs applied
      // beforehand (see prepare), so the sub-chart does not install them again.
      return {
        ...v,
        hyperpodClusterArn: s.hyperpodClusterArn,
        tlsCertificateS3Bucket: `s3://${s.tlsBucket}`,
        'cert-manager': { crds: { enabled: false } },
      };
    },
    // The reference table (MIGRATION-REFERENCE.md §1): a bare bucket name, new roles where the
    // add-on's rules (name prefix, service accounts in hyperpod-inference-system) need them.
    target: (v) => ({
      configuration: {
        tlsCertificateS3Bucket: String(v['tlsCertificateS3Bucket']).replace(/^s3:\/\//, ''),
        hyperpodClusterArn: v['hyperpodClusterArn'],
        executionRoleArn: expect.stringMatching(
          /:role\/SageMakerHyperPodInference-[a-z0-9]{8}-execution-role$/,
        ),
        alb: {
          serviceAccount: {
            create: true,
            roleArn: expect.stringMatching(/:role\/SageMakerHP-ALB-[a-z0-9]{8}-addon$/),
          },
        },
        keda: {
          auth: {
            aws: {
              irsa: {
                roleArn: expect.stringMatching(/:role\/SageMakerHP-KEDA-[a-z0-9]{8}-addon$/),
              },
            },
          },
        },
      },
    }),
    // cert-manager's CRDs first (see applyCertManagerCrds), and the namespaces the cert-manager
    // and KEDA sub-charts deploy to, which they do not create.
    async prepare(s) {
      await applyCertManagerCrds(s);
      for (const ns of ['cert-manager', 'keda']) {
        const made = await s.kubectl(['create', 'namespace', ns]);
        if (made.code !== 0 && !/AlreadyExists/.test(made.stderr))
          throw new Error(`kubectl create namespace ${ns}: ${made.stderr}`);
      }
    },
    // The cert-manager profile consumes crds.enabled.
    consumedByProfile: ['cert-manager.crds.enabled'],
    dependencyAddons: [
      'aws-mountpoint-s3-csi-driver',
      'aws-fsx-csi-driver',
      'cert-manager',
      'metrics-server',
    ],
  },
];
