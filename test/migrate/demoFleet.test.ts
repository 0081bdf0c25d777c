import {
  discoverMigration,
  InMemoryMigrationStore,
  planMigration,
  startMigration,
} from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { expectMigrated } from './expectMigrated';
import { gatewaysFor, testDeps } from './support';

/**
 * Every Helm scenario of the demo fleet migrates to the add-on: the operator's own release in
 * kube-system (chart 2.2.2 after 2.1.0), a sub-chart of the `hyperpod-dependencies` umbrella,
 * and a release stuck in pending-upgrade.
 */
describe('migrating the demo fleet Helm installs', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 10 });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it.each([
    ['ml-prod-use1', 'hyperpod-inference-operator', ['hyperpod-inference-operator'], 'deployed'],
    [
      'ml-dev-use1',
      'hyperpod-dependencies',
      ['hyperpod-dependencies', 'hyperpod-inference-operator'],
      'deployed',
    ],
    [
      'ml-canary-usw2',
      'hyperpod-inference-operator',
      ['hyperpod-inference-operator'],
      'pending-upgrade',
    ],
  ])('%s (release %s) ends on the add-on', async (cluster, release, chartPath, status) => {
    const g = gatewaysFor(sb, cluster);
    const d = await discoverMigration(g, { clusterName: cluster, profile: 'hyperpod-inference' });
    const pending = status.startsWith('pending');
    const now = '2026-11-21T00:00:00Z';
    // A pending release blocks with the exact rollback; migrated only when a person overrides it.
    if (pending)
      expect(planMigration(d, { now }).blockers).toEqual([
        expect.stringContaining(
          'roll it back to revision 2, the last deployed one: helm rollback hyperpod-inference-operator 2 -n kube-system',
        ),
      ]);
    const plan = planMigration(
      d,
      pending ? { now, allowReleaseStatus: [status], requestedBy: 'tester@test' } : { now },
    );
    expect(plan.blockers).toEqual([]);
    expect(plan.source).toMatchObject({ release, namespace: 'kube-system', chartPath, status });
    if (pending) {
      expect(plan.warnings.join('\n')).toMatch(
        /is pending-upgrade \(revision 3\): migrated from that revision as tester@test allowed with --allow-release-status pending-upgrade/,
      );
      expect(plan.overrides).toEqual([
        expect.objectContaining({
          blocker: 'release-status:pending-upgrade',
          by: 'tester@test',
          at: now,
        }),
      ]);
    }
    // Derived configuration: new execution role (name rule), bare bucket, the HyperPod cluster.
    const c = sb.cluster(cluster);
    expect(plan.target.configuration).toMatchObject({
      executionRoleArn: expect.stringMatching(
        new RegExp(
          `^arn:aws:iam::${c.accountId}:role/SageMakerHyperPodInference-[a-z0-9]{8}-execution-role$`,
        ),
      ),
      tlsCertificateS3Bucket: `hyperpod-tls-${c.accountId}-${cluster}`,
      hyperpodClusterArn: expect.stringMatching(/^arn:aws:sagemaker:.*:cluster\//),
      alb: {
        serviceAccount: { create: true, roleArn: expect.stringContaining('SageMakerHP-ALB-') },
      },
      keda: { auth: { aws: { irsa: { roleArn: expect.stringContaining('SageMakerHP-KEDA-') } } } },
    });
    expect(plan.target.configurationValid).toBe(true);
    expect(plan.dependencies.map((x) => [x.addonName, x.action])).toEqual([
      ['aws-mountpoint-s3-csi-driver', 'migrate'],
      ['aws-fsx-csi-driver', 'migrate'],
      ['cert-manager', 'migrate'],
      ['metrics-server', 'migrate'],
    ]);
    expect(plan.dependencies[0]!.serviceAccountRoleArn).toMatch(/S3CsiDriverRole-/);

    const out = await startMigration(
      plan,
      `demo-${cluster}`,
      testDeps(g, new InMemoryMigrationStore()),
    );
    expect(out).toMatchObject({ status: 'succeeded' });
    await expectMigrated(sb, g, plan);
    // The Helm-era operator is gone and the release no longer shows as deployed.
    expect(
      sb.kube(cluster).get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'hyperpod-inference-system',
        name: 'hyperpod-inference-operator-controller-manager',
      }),
    ).toBeUndefined();
    const secret = sb.kube(cluster).get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'kube-system',
      name: `sh.helm.release.v1.${release}.v${plan.source.revision}`,
    });
    expect(secret?.metadata.labels?.['status']).toBe('uninstalled');
    // And the fleet scan now reads the cluster as on the add-on, not Helm.
    expect(await g.eks.listAddons(cluster)).toEqual(
      expect.arrayContaining([
        'amazon-sagemaker-hyperpod-inference',
        'aws-mountpoint-s3-csi-driver',
        'aws-fsx-csi-driver',
        'cert-manager',
        'metrics-server',
      ]),
    );
  });
});
