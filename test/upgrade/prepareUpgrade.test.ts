import {
  prepareUpgrade,
  runUpgradeLocked,
  UpgradeLock,
  UpgradeLockedError,
  type EksGateway,
  type KubeGateway,
} from '@hyperpod/core';
import { Sandbox, seedClusterAddon } from '@hyperpod/sandbox';
import { gatewaysFor } from '../migrate/support';

/**
 * prepareUpgrade and runUpgradeLocked through the real adapters (AwsSdkEksGateway,
 * ClientNodeKubeGateway) on a sandbox cluster: the plan from what EKS answers (versions for the
 * cluster's Kubernetes version, the target's configuration schema), and the add-on's upgrade lock
 * as a real Lease that the API server validates.
 */
describe('prepareUpgrade and the upgrade lock on the sandbox', () => {
  const CLUSTER = 'ml-upgrade-plan-use1';
  let sb: Sandbox;
  let eks: EksGateway;
  let kube: KubeGateway;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 20 });
    const c = await sb.addCluster({
      account: 'prod',
      region: 'us-east-1',
      name: CLUSTER,
      version: '1.31',
    });
    seedClusterAddon(sb, c, 'vpc-cni', 'v1.18.6-eksbuild.1', {
      configurationValues: JSON.stringify({
        env: { WARM_IP_TARGET: '5' },
        enableNetworkPolicy: 'true',
      }),
    });
    seedClusterAddon(sb, c, 'coredns', 'v1.11.3-eksbuild.2');
    ({ eks, kube } = gatewaysFor(sb, CLUSTER));
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('plans from what EKS answers: versions for the cluster, hops, the target version schema', async () => {
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'latest',
    });
    expect(plan).toMatchObject({
      kubernetesVersion: '1.31',
      from: 'v1.18.6-eksbuild.1',
      to: 'v1.20.0-eksbuild.1',
      hops: ['v1.19.5-eksbuild.3', 'v1.20.0-eksbuild.1'],
      configuration: { valid: true, errors: [] },
      dependenciesFirst: [],
      refusals: [],
    });
    // A version EKS has, but not for 1.31: the full catalog tells it from one that does not exist.
    const old = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'coredns',
      target: 'v1.11.1-eksbuild.13',
    });
    expect(old.refusals).toEqual([
      'coredns v1.11.1-eksbuild.13 is not compatible with Kubernetes 1.31; offered: v1.11.4-eksbuild.14, v1.11.3-eksbuild.2',
    ]);
    const coredns = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'coredns',
      target: 'latest',
      resolveConflicts: 'PRESERVE',
    });
    expect(coredns).toMatchObject({
      to: 'v1.11.4-eksbuild.14',
      hops: ['v1.11.4-eksbuild.14'],
      refusals: [],
      resolveConflicts: 'PRESERVE',
    });
  });

  it('runs under the add-on lease: another run of the same add-on is refused, another add-on is not', async () => {
    const held = await UpgradeLock.acquire(kube, 'coredns', 'alice@laptop', 'alice-run-1');
    try {
      await expect(UpgradeLock.check(kube, 'coredns', 'bob-run-1')).rejects.toBeInstanceOf(
        UpgradeLockedError,
      );
      const plan = await prepareUpgrade(eks, {
        clusterName: CLUSTER,
        addonName: 'coredns',
        target: 'latest',
      });
      const deps = { eks, kube, holder: 'bob@desk', runId: 'bob-run-1', pollMs: 10 };
      const refused = await runUpgradeLocked(plan, deps);
      expect(refused).toMatchObject({
        status: 'refused',
        // The holder is the process that took the lease: its name and a random part.
        heldBy: {
          holder: expect.stringMatching(/^alice@laptop\/[0-9a-f]+$/),
          runId: 'alice-run-1',
        },
        updateIds: [],
      });
      expect((await eks.describeAddon(CLUSTER, 'coredns'))?.addonVersion).toBe(
        'v1.11.3-eksbuild.2',
      );
      // The coredns lease is not in a vpc-cni upgrade's way.
      await UpgradeLock.check(kube, 'vpc-cni', 'bob-run-1');

      await held.release();
      const done = await runUpgradeLocked(plan, deps);
      expect(done.status).toBe('succeeded');
      expect(await eks.describeAddon(CLUSTER, 'coredns')).toMatchObject({
        addonVersion: 'v1.11.4-eksbuild.14',
        status: 'ACTIVE',
      });
      // Released when it ended.
      expect(
        await kube.get({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          namespace: 'kube-system',
          name: 'kubectl-hyperpod-upgrade-coredns',
        }),
      ).toBeUndefined();
    } finally {
      await held.release();
    }
  });

  it('names the lease of a marketplace add-on (vendor_product) so the API server accepts it', async () => {
    const lock = await UpgradeLock.acquire(kube, 'kubecost_kubecost', 'ana@desk', 'run-a');
    try {
      const leases = await kube.list('coordination.k8s.io/v1', 'Lease', {
        namespace: 'kube-system',
      });
      expect(leases.map((l) => l.metadata.name)).toContainEqual(
        expect.stringMatching(/^kubectl-hyperpod-upgrade-kubecost-kubecost-[0-9a-f]{8}$/),
      );
    } finally {
      await lock.release();
    }
  });
});
