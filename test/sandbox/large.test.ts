import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  paginateListClusters,
} from '@aws-sdk/client-eks';
import { Sandbox } from '@hyperpod/sandbox';

/**
 * The `large` scenario (what `npm run bench:pages` and `npm start -- --scenario large` show): the
 * demo fleet grown to 200 clusters, read through the real AWS SDK, with its varied states.
 */
describe('large scenario', () => {
  let sb: Sandbox;
  const eks = (account: string, region: string) =>
    new EKSClient({ ...sb.sdkConfig(account, region), maxAttempts: 1 });
  const addon = async (cluster: string, addonName: string) => {
    const c = sb.cluster(cluster);
    return (
      await eks(c.accountId, c.region).send(
        new DescribeAddonCommand({ clusterName: cluster, addonName }),
      )
    ).addon!;
  };

  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'large', addonTransitionMs: 50 });
  }, 120_000);
  afterAll(async () => {
    await sb?.stop();
  });

  it('serves 200 clusters over both accounts and regions, the demo clusters among them', async () => {
    const names: string[] = [];
    for (const account of sb.accounts)
      for (const region of ['us-east-1', 'us-west-2'])
        for await (const page of paginateListClusters(
          { client: eks(account.accountId, region) },
          {},
        ))
          names.push(...(page.clusters ?? []));
    expect(names).toHaveLength(200);
    expect(new Set(names).size).toBe(200);
    for (const demo of ['ml-prod-use1', 'ml-canary-usw2', 'ml-legacy-use1'])
      expect(names).toContain(demo);
    const perAccount = sb.accounts.map(
      (a) => sb.clusters.filter((c) => c.accountId === a.accountId).length,
    );
    expect(Math.min(...perAccount)).toBeGreaterThan(90);
  });

  it('varies the generated clusters: outdated coredns, degraded kube-proxy, metrics-server', async () => {
    const generated = sb.clusters.filter((c) => c.name.startsWith('fleet-'));
    expect(generated).toHaveLength(193);
    const [first] = generated;
    const cluster = (
      await eks(first!.accountId, first!.region).send(
        new DescribeClusterCommand({ name: first!.name }),
      )
    ).cluster!;
    expect(cluster.version).toBe(first!.kubernetesVersion);

    // fleet-<region>-NNN: NNN is the cluster's index in the fleet, which picks its variations.
    const byIndex = (i: number) =>
      generated.find((c) => c.name.endsWith(`-${String(i).padStart(3, '0')}`))!;
    const degraded = await addon(byIndex(9).name, 'kube-proxy');
    expect(degraded.status).toBe('DEGRADED');
    expect(degraded.health?.issues?.[0]?.code).toBe('InsufficientNumberOfReplicas');
    expect((await addon(byIndex(10).name, 'kube-proxy')).status).toBe('ACTIVE');

    // 12 and 15 both run Kubernetes 1.30; every 6th runs the oldest coredns offered there.
    expect(byIndex(12).kubernetesVersion).toBe(byIndex(15).kubernetesVersion);
    const outdated = await addon(byIndex(12).name, 'coredns');
    const current = await addon(byIndex(15).name, 'coredns');
    expect(outdated.addonVersion).not.toBe(current.addonVersion);
    expect((await addon(byIndex(8).name, 'metrics-server')).status).toBe('ACTIVE');
    await expect(addon(byIndex(9).name, 'metrics-server')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
