/**
 * buildClusterReport on the demo states installed with Helm: standalone, as a sub-chart of an
 * umbrella, stuck in pending-upgrade, and missing the CSI driver the operator needs.
 */
import { buildClusterReport, manifestCharts } from '@hyperpod/core';
import {
  inferenceOperatorChart,
  inferenceOperatorReleaseSeed,
  renderInferenceOperatorChart,
} from '@hyperpod/sandbox';
import {
  defaultVersion,
  INFERENCE,
  PROD,
  DEV,
  cluster,
  coreAddons,
  observation,
  helmRelease,
  valuesFor,
  byName,
} from './clusterObservation';

describe('buildClusterReport on every demo state', () => {
  it('Helm standalone (ml-prod-use1): the operator and its sub-charts are Helm installs, migration candidates, healthy', () => {
    const c = cluster('ml-prod-use1', PROD, 'us-east-1', '1.31');
    const values = valuesFor(c);
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [
          { status: 'superseded', chartVersion: '2.1.0', values },
          { status: 'deployed', chartVersion: '2.2.2', values },
        ],
      }),
    );
    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );

    expect(r.addons.map((a) => a.name)).toEqual([
      INFERENCE,
      'aws-fsx-csi-driver',
      'aws-mountpoint-s3-csi-driver',
      'cert-manager',
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'metrics-server',
      'vpc-cni',
    ]);
    const op = byName(r, INFERENCE);
    expect(op).toMatchObject({
      installedVia: 'helm',
      health: 'Healthy',
      migrationCandidate: true,
      helm: {
        release: 'hyperpod-inference-operator',
        namespace: 'kube-system',
        revision: 2,
        status: 'deployed',
        chart: 'hyperpod-inference-operator',
        chartVersion: '2.2.2',
        appVersion: '3.2',
      },
    });
    expect(op.helm?.subchartOf).toBeUndefined();
    expect(op.findings.find((f) => f.code === 'migration-target')?.message).toContain(
      `${INFERENCE} ${defaultVersion(INFERENCE, '1.31')} (the default for Kubernetes 1.31)`,
    );
    expect(op.findings.find((f) => f.code === 'moves-into-addon')?.message).toContain('alb, keda');
    // The operator's app versions (3.x) do not follow its add-on versions (1.x): no equivalent.
    expect(op.migrationTarget).toEqual({
      addonVersion: defaultVersion(INFERENCE, '1.31'),
      basis: 'default',
    });
    // Sub-chart versions vs the add-on versions that carry the same software.
    const s3 = byName(r, 'aws-mountpoint-s3-csi-driver');
    expect(s3).toMatchObject({
      installedVia: 'helm',
      migrationCandidate: true,
      helm: {
        chart: 'aws-mountpoint-s3-csi-driver',
        chartVersion: '1.14.1',
        subchartOf: 'hyperpod-inference-operator',
      },
    });
    expect(s3.drift).toMatchObject({
      installed: 'v1.14.1-eksbuild.1',
      default: defaultVersion('aws-mountpoint-s3-csi-driver', '1.31'),
    });
    expect(s3.migrationTarget).toEqual({
      addonVersion: defaultVersion('aws-mountpoint-s3-csi-driver', '1.31'),
      basis: 'default',
      equivalentAddonVersion: 'v1.14.1-eksbuild.1',
    });
    expect(byName(r, 'metrics-server')).toMatchObject({
      helm: { chartVersion: '3.12.2', appVersion: '0.7.2' },
      drift: { installed: 'v0.7.2-eksbuild.4' },
    });
    expect(byName(r, 'cert-manager').drift?.installed).toBe('v1.18.2-eksbuild.2');
    expect(byName(r, 'aws-fsx-csi-driver').helm?.appVersion).toBe('1.3.0');
    expect(byName(r, 'coredns')).toMatchObject({
      installedVia: 'addon',
      health: 'Healthy',
      migrationCandidate: false,
      drift: { status: expect.stringMatching(/^(default|latest)$/) },
    });
    expect(r.health).toBe('Healthy');
    expect(r.cluster).toEqual({
      name: c.name,
      arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
      accountId: c.accountId,
      region: c.region,
      context: c.name,
      kubernetesVersion: '1.31',
    });
  });

  it('Helm sub-chart of hyperpod-dependencies (ml-dev-use1): found inside the umbrella, nested sub-charts read from the manifest', () => {
    const c = cluster('ml-dev-use1', DEV, 'us-east-1', '1.30');
    const values = valuesFor(c);
    const operator = inferenceOperatorChart('2.1.0', values);
    const { release, objects } = helmRelease({
      name: 'hyperpod-dependencies',
      namespace: 'kube-system',
      chart: {
        name: 'hyperpod-dependencies',
        version: '0.1.0',
        appVersion: '1.0',
        apiVersion: 'v2',
        type: 'application',
        dependencies: [
          {
            name: 'hyperpod-inference-operator',
            version: '2.1.0',
            repository: 'file://charts/inference-operator',
            condition: 'inferenceOperators.enabled',
            enabled: true,
          },
        ],
      },
      revisions: [
        {
          status: 'deployed',
          values: { 'hyperpod-inference-operator': values },
          templates: renderInferenceOperatorChart(values, {
            chartVersion: '2.1.0',
            releaseName: 'hyperpod-dependencies',
            pathPrefix: 'charts/hyperpod-inference-operator/',
          }),
        },
      ],
    });
    expect(operator.version).toBe('2.1.0');
    expect(manifestCharts(release.manifest).map((m) => m.path.join('/'))).toContain(
      'hyperpod-dependencies/hyperpod-inference-operator/s3',
    );

    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );
    expect(byName(r, INFERENCE)).toMatchObject({
      installedVia: 'helm',
      health: 'Healthy',
      migrationCandidate: true,
      helm: {
        release: 'hyperpod-dependencies',
        chart: 'hyperpod-inference-operator',
        chartVersion: '2.1.0',
        subchartOf: 'hyperpod-dependencies',
      },
    });
    expect(byName(r, 'aws-mountpoint-s3-csi-driver')).toMatchObject({
      installedVia: 'helm',
      helm: {
        release: 'hyperpod-dependencies',
        chartVersion: '1.14.1',
        subchartOf: 'hyperpod-inference-operator',
      },
    });
    expect(byName(r, 'metrics-server').helm).toMatchObject({
      chartVersion: '3.12.2',
      appVersion: '0.7.2',
    });
    expect(r.health).toBe('Healthy');
  });

  it('Helm release stuck in pending-upgrade (ml-canary-usw2): Degraded, says it blocks Helm, fix names the rollback revision', () => {
    const c = cluster('ml-canary-usw2', PROD, 'us-west-2', '1.31');
    const values = valuesFor(c);
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [
          { status: 'superseded', chartVersion: '2.1.0', values },
          {
            status: 'deployed',
            chartVersion: '2.1.0',
            values: { ...values, metrics: { enabled: true } },
          },
          {
            status: 'pending-upgrade',
            chartVersion: '2.2.2',
            values: { ...values, metrics: { enabled: true } },
          },
        ],
      }),
    );
    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );
    const op = byName(r, INFERENCE);
    expect(op).toMatchObject({
      installedVia: 'helm',
      health: 'Degraded',
      helm: { status: 'pending-upgrade', revision: 3 },
    });
    const pending = op.findings.find((f) => f.code === 'helm-pending')!;
    expect(pending.message).toContain('blocks every other Helm operation');
    expect(pending.fix).toContain('helm history hyperpod-inference-operator -n kube-system');
    expect(pending.fix).toContain('helm rollback hyperpod-inference-operator 2 -n kube-system');
    expect(op.reason).toBe(pending.message);
    // The same release carries the sub-charts: they are stuck with it.
    expect(byName(r, 'aws-mountpoint-s3-csi-driver').health).toBe('Degraded');
    expect(r.health).toBe('Degraded');
  });

  it('missing CSI driver prerequisite: the inference operator is Missing with the command that installs the driver', () => {
    const c = cluster('ml-prod-use1', PROD, 'us-east-1', '1.31');
    const values = { ...valuesFor(c), s3: { enabled: false } };
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [{ status: 'deployed', chartVersion: '2.2.2', values }],
      }),
    );
    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );
    const op = byName(r, INFERENCE);
    expect(op.health).toBe('Missing');
    expect(op.findings).toContainEqual({
      code: 'csi-driver-missing',
      health: 'Missing',
      message: 'CSIDriver s3.csi.aws.com is missing: the inference operator needs it',
      fix: 'aws eks create-addon --cluster-name ml-prod-use1 --addon-name aws-mountpoint-s3-csi-driver --region us-east-1',
    });
    expect(r.addons.map((a) => a.name)).not.toContain('aws-mountpoint-s3-csi-driver');
    expect(r.health).toBe('Missing');
  });
});
