import {
  buildClusterReport,
  CachingAddonCatalog,
  observeCluster,
  scanFleet,
  type ClusterReport,
} from '@hyperpod/core';
import { AwsClients, ClientNodeKubeGateway, fleetTargets } from '@hyperpod/core-node';
import { KubeConfig } from '@kubernetes/client-node';
import { Sandbox } from '@hyperpod/sandbox';

/**
 * The scan pipeline end to end on the sandbox's demo fleet, through the real AWS SDK and
 * client-node: discovery → observeCluster → buildClusterReport, every cluster's state checked.
 */
describe('scan of the demo fleet', () => {
  let sb: Sandbox;
  const reports = new Map<string, ClusterReport>();
  const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
  const addon = (cluster: string, name: string) =>
    reports.get(cluster)!.addons.find((a) => a.name === name)!;

  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
    const clients = new AwsClients({ maxAttempts: 1 });
    const gatewaysFor = async (s: { accountId?: string; region: string }) => {
      const g = clients.gateways({
        ...sb.sdkConfig(s.accountId!, s.region),
        accountId: s.accountId,
      });
      return { eks: g.eks, sagemaker: g.sagemaker };
    };
    const { targets, errors } = await fleetTargets(
      {
        clusters: [],
        discover: sb.accounts.map((a) => ({
          accountId: a.accountId,
          regions: ['us-east-1', 'us-west-2'],
        })),
      },
      gatewaysFor,
    );
    expect(errors).toEqual([]);
    const catalog = new CachingAddonCatalog();
    for await (const r of scanFleet(
      targets.map((t) => ({ ...t, context: t.name })),
      async (t, ctx) => {
        const kc = new KubeConfig();
        kc.loadFromString(sb.kubeconfig(t.context));
        const { eks } = await gatewaysFor(t as { accountId: string; region: string });
        const obs = await observeCluster(t, {
          eks,
          kube: new ClientNodeKubeGateway(kc),
          catalog,
          isCancelled: ctx.isCancelled,
        });
        return buildClusterReport(obs);
      },
      { concurrencyPerRegion: 2, timeoutMs: 30_000 },
    )) {
      reports.set(r.cluster.name, r);
    }
    // DescribeAddonVersions once per add-on for the whole fleet.
    expect(catalog.calls).toBeLessThanOrEqual(14);
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('scans all 7 clusters without errors, each mapped to its HyperPod cluster when it has one', () => {
    expect([...reports.keys()].sort()).toEqual(sb.clusters.map((c) => c.name).sort());
    for (const r of reports.values()) expect(r.errors).toEqual([]);
    expect(reports.get('ml-prod-use1')!.cluster.hyperpodClusterArn).toMatch(
      /^arn:aws:sagemaker:us-east-1:111111111111:cluster\//,
    );
    expect(reports.get('ml-legacy-use1')!.cluster.hyperpodClusterArn).toBeUndefined();
  });

  it('ml-prod-use1: Helm chart 2.2.2, healthy, a migration candidate with its sub-charts', () => {
    expect(reports.get('ml-prod-use1')!.health).toBe('Healthy');
    expect(addon('ml-prod-use1', INFERENCE)).toMatchObject({
      installedVia: 'helm',
      health: 'Healthy',
      migrationCandidate: true,
      helm: { chartVersion: '2.2.2', status: 'deployed' },
    });
    expect(addon('ml-prod-use1', 'aws-mountpoint-s3-csi-driver')).toMatchObject({
      installedVia: 'helm',
      helm: { subchartOf: 'hyperpod-inference-operator' },
    });
  });

  it('ml-dev-use1: the operator found inside hyperpod-dependencies', () => {
    expect(addon('ml-dev-use1', INFERENCE)).toMatchObject({
      installedVia: 'helm',
      migrationCandidate: true,
      helm: {
        release: 'hyperpod-dependencies',
        subchartOf: 'hyperpod-dependencies',
        chartVersion: '2.1.0',
      },
    });
  });

  it('ml-research-usw2: the add-on at the newest version, healthy', () => {
    expect(addon('ml-research-usw2', INFERENCE)).toMatchObject({
      installedVia: 'addon',
      health: 'Healthy',
      drift: { status: 'latest' },
    });
    expect(reports.get('ml-research-usw2')!.health).toBe('Healthy');
  });

  it('ml-staging-usw2: the add-on behind the default version', () => {
    expect(addon('ml-staging-usw2', INFERENCE)).toMatchObject({
      installedVia: 'addon',
      drift: { installed: 'v1.0.0-eksbuild.1', status: 'behind-default' },
    });
  });

  it('ml-batch-use1: Degraded, replicas issue and the coredns conflict parsed', () => {
    expect(reports.get('ml-batch-use1')!.health).toBe('Degraded');
    expect(addon('ml-batch-use1', INFERENCE)).toMatchObject({
      health: 'Degraded',
      addon: { status: 'DEGRADED', issues: [{ code: 'InsufficientNumberOfReplicas' }] },
    });
    expect(addon('ml-batch-use1', 'coredns').addon?.issues[0]?.conflicts?.[0]).toEqual({
      resource: 'ConfigMap',
      name: 'coredns',
      field: '.data.Corefile',
    });
  });

  it('ml-canary-usw2: the pending-upgrade release is Degraded with the rollback fix', () => {
    const op = addon('ml-canary-usw2', INFERENCE);
    expect(op).toMatchObject({
      installedVia: 'helm',
      health: 'Degraded',
      helm: { status: 'pending-upgrade', revision: 3 },
    });
    expect(op.findings.find((f) => f.code === 'helm-pending')?.fix).toContain(
      'helm rollback hyperpod-inference-operator 2 -n kube-system',
    );
  });

  it('ml-legacy-use1: Kubernetes 1.28, readiness for 1.29 computed for every add-on', () => {
    const r = reports.get('ml-legacy-use1')!;
    expect(r.cluster.kubernetesVersion).toBe('1.28');
    expect(r.readiness?.targetVersion).toBe('1.29');
    expect(r.readiness!.addons.map((a) => a.addonName)).toEqual(
      r.addons.filter((a) => a.addon).map((a) => a.name),
    );
  });
});
