import type { AddonCatalogEntry } from '../addons/addonDrift';
import { InMemoryEksGateway } from '../testing/InMemoryEksGateway';
import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import { simulatedClock } from '../testing/simulatedClock';
import type { UpgradeEvent } from './UpgradeOutcome';
import { planUpgrade } from './planUpgrade';
import { runUpgradeLocked, type RunUpgradeDeps } from './runUpgradeLocked';
import { UpgradeLock } from './upgradeLock';
import { COREDNS_UPGRADE_LEASE } from './fixtures/corednsUpgradeLease';

const CLUSTER = 'ml-staging-usw2';
const compat = (versions: string[], def?: string) =>
  versions.map((clusterVersion) => ({ clusterVersion, defaultVersion: clusterVersion === def }));
const coredns: AddonCatalogEntry = {
  addonName: 'coredns',
  versions: [
    { addonVersion: 'v1.11.4-eksbuild.2', compatibilities: compat(['1.31'], '1.31') },
    { addonVersion: 'v1.11.3-eksbuild.1', compatibilities: compat(['1.31']) },
  ],
};
const LEASE = COREDNS_UPGRADE_LEASE;

function setup() {
  const clock = simulatedClock('2026-11-21T10:00:00Z');
  const now = clock.now;
  const eks = new InMemoryEksGateway({
    clusters: [{ name: CLUSTER, version: '1.31' }],
    addons: [{ clusterName: CLUSTER, addonName: 'coredns', addonVersion: 'v1.11.3-eksbuild.1' }],
    catalog: [coredns],
    transitionMs: 10_000,
    now,
  });
  const kube = new InMemoryKubeGateway();
  const events: UpgradeEvent[] = [];
  const deps: RunUpgradeDeps = {
    eks,
    kube,
    holder: 'ana@desk',
    runId: 'run-a',
    ...clock,
    pollMs: 5_000,
    onEvent: (e) => events.push(e),
  };
  const plan = planUpgrade({
    clusterName: CLUSTER,
    kubernetesVersion: '1.31',
    addon: { addonName: 'coredns', addonVersion: 'v1.11.3-eksbuild.1' },
    target: 'latest',
    catalog: coredns,
    schemas: { 'v1.11.4-eksbuild.2': '{"type":"object"}' },
  });
  return { eks, kube, deps, plan, events };
}

describe('runUpgradeLocked', () => {
  it('holds the add-on lease while the upgrade runs and releases it when it succeeds', async () => {
    const { eks, kube, deps, plan } = setup();
    const holders: unknown[] = [];
    const out = await runUpgradeLocked(plan, {
      ...deps,
      onEvent: (e) => {
        if (e.type === 'hop-started')
          void kube
            .get(LEASE)
            .then((l) =>
              holders.push((l?.['spec'] as { holderIdentity?: string })?.holderIdentity),
            );
      },
    });
    expect(out.status).toBe('succeeded');
    expect(holders).toEqual([expect.stringMatching(/^ana@desk\/[0-9a-f]{12}$/)]);
    expect(await kube.get(LEASE)).toBeUndefined();
    expect(await eks.describeAddon(CLUSTER, 'coredns')).toMatchObject({
      addonVersion: 'v1.11.4-eksbuild.2',
      status: 'ACTIVE',
    });
  });

  it('refuses, changing nothing, while another run upgrades the same add-on, naming it', async () => {
    const { eks, kube, deps, plan, events } = setup();
    const other = await UpgradeLock.acquire(kube, 'coredns', 'bob@laptop', 'run-b', deps.lease);
    try {
      const updates = jest.spyOn(eks, 'updateAddon');
      const out = await runUpgradeLocked(plan, deps);
      expect(out).toMatchObject({
        schemaVersion: 1,
        status: 'refused',
        clusterName: CLUSTER,
        addonName: 'coredns',
        from: 'v1.11.3-eksbuild.1',
        to: 'v1.11.4-eksbuild.2',
        hopsDone: [],
        updateIds: [],
        heldBy: {
          holder: other.holderIdentity,
          runId: 'run-b',
          since: '2026-11-21T10:00:00.000000Z',
          expiresAt: '2026-11-21T10:01:00.000Z',
        },
      });
      expect(out.message).toBe(
        `refused: another upgrade of coredns holds this cluster: ${other.holderIdentity} (run run-b) since 2026-11-21T10:00:00.000000Z; the lock expires at 2026-11-21T10:01:00.000Z unless renewed; nothing was changed`,
      );
      expect(events.map((e) => e.type)).toEqual(['refused']);
      expect(out.events).toEqual(events);
      expect(updates).not.toHaveBeenCalled();
      expect(JSON.parse(JSON.stringify(out))).toEqual(out);
      expect((await kube.get(LEASE))?.metadata.annotations?.['kubectl-hyperpod.io/run']).toBe(
        'run-b',
      );
    } finally {
      await other.release();
    }
  });

  it('is not blocked by an upgrade of another add-on', async () => {
    const { kube, deps, plan } = setup();
    const other = await UpgradeLock.acquire(kube, 'vpc-cni', 'bob@laptop', 'run-b');
    try {
      expect((await runUpgradeLocked(plan, deps)).status).toBe('succeeded');
    } finally {
      await other.release();
    }
  });

  it('releases the lease when the run ends rolled back, and when it throws', async () => {
    const { eks, kube, deps, plan } = setup();
    // The hop is refused by EKS itself: rolled back (nothing had changed).
    jest.spyOn(eks, 'updateAddon').mockRejectedValueOnce(new Error('boom'));
    const out = await runUpgradeLocked(plan, deps);
    expect(out.status).toBe('rolled-back');
    expect(await kube.get(LEASE)).toBeUndefined();

    await expect(
      runUpgradeLocked(plan, {
        ...deps,
        onCaptured: () => Promise.reject(new Error('audit store down')),
      }),
    ).rejects.toThrow('audit store down');
    expect(await kube.get(LEASE)).toBeUndefined();
  });

  it('fenced: a lease taken over before the hop stops the run there, without an update or a rollback', async () => {
    const { eks, kube, deps, plan, events } = setup();
    const updates = jest.spyOn(eks, 'updateAddon');
    const out = await runUpgradeLocked(plan, {
      ...deps,
      // The process stalled past its lease; another took it over (a CAS write naming itself).
      onCaptured: async () => {
        const live = (await kube.get(LEASE))!;
        await kube.replace({
          ...live,
          spec: { ...(live['spec'] as object), holderIdentity: 'bob@laptop/pid-9/0123456789ab' },
        });
      },
    });
    expect(out.status).toBe('failed');
    expect(out.issueCodes).toEqual(['LockLost']);
    expect(out.message).toBe(
      'stopped before the hop to v1.11.4-eksbuild.2: the coredns upgrade lock kube-system/kubectl-hyperpod-upgrade-coredns was taken over by bob@laptop/pid-9/0123456789ab (run run-a); nothing more was changed and nothing was rolled back',
    );
    expect(updates).not.toHaveBeenCalled();
    expect(events.map((e) => e.type)).toEqual(['captured', 'lock-lost']);
    // The new holder's lease is left alone.
    expect((await kube.get(LEASE))?.['spec']).toMatchObject({
      holderIdentity: 'bob@laptop/pid-9/0123456789ab',
    });
    expect(await eks.describeAddon(CLUSTER, 'coredns')).toMatchObject({
      addonVersion: 'v1.11.3-eksbuild.1',
    });
  });

  it('takes no lease for a plan with refusals', async () => {
    const { kube, deps, plan } = setup();
    const out = await runUpgradeLocked({ ...plan, refusals: ['no'] }, deps);
    expect(out.status).toBe('refused');
    expect(kube.writes).toEqual([]);
  });
});
