import type { KubeObject, KubeRef } from '../ports/KubeGateway';
import { InMemoryEksGateway } from '../testing/InMemoryEksGateway';
import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import { simulatedClock } from '../testing/simulatedClock';
import { planResolveConflicts } from './planResolveConflicts';
import { runResolveConflicts, type ResolveConflictsDeps } from './runResolveConflicts';
import { UpgradeLock } from './upgradeLock';
import { COREDNS_UPGRADE_LEASE } from './fixtures/corednsUpgradeLease';

const CLUSTER = 'ml-batch-use1';
const VERSION = 'v1.11.4-eksbuild.14';
const CONFLICT = {
  code: 'ConfigurationConflict',
  message:
    'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile',
  resourceIds: ['kube-system/coredns'],
};
const CM: KubeRef = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'kube-system',
  name: 'coredns',
};
const LEASE = COREDNS_UPGRADE_LEASE;

function setup() {
  const clock = simulatedClock('2026-12-06T08:00:00Z');
  const now = clock.now;
  const eks = new InMemoryEksGateway({
    clusters: [{ name: CLUSTER, version: '1.31' }],
    addons: [
      {
        clusterName: CLUSTER,
        addonName: 'coredns',
        addonVersion: VERSION,
        status: 'DEGRADED',
        issues: [CONFLICT],
      },
    ],
    catalog: [
      {
        addonName: 'coredns',
        versions: [
          {
            addonVersion: VERSION,
            compatibilities: [{ clusterVersion: '1.31', defaultVersion: true }],
          },
        ],
      },
    ],
    transitionMs: 10_000,
    now,
  });
  const kube = new InMemoryKubeGateway();
  const edited: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: { Corefile: 'forward . 10.20.0.2' },
  };
  kube.put(edited);
  const deps: ResolveConflictsDeps = {
    eks,
    kube,
    holder: 'ana@desk/pid-1',
    runId: 'run-r',
    ...clock,
    pollMs: 5_000,
  };
  const plan = async () =>
    planResolveConflicts({
      clusterName: CLUSTER,
      addonName: 'coredns',
      addon: await eks.describeAddon(CLUSTER, 'coredns'),
      objects: [(await kube.get(CM))!],
    });
  return { eks, kube, deps, plan };
}

describe('runResolveConflicts', () => {
  it('re-applies the installed version with OVERWRITE (nothing else) under the add-on lease, to ACTIVE', async () => {
    const { eks, kube, deps, plan } = setup();
    const update = jest.spyOn(eks, 'updateAddon');
    const out = await runResolveConflicts(await plan(), deps);
    expect(out).toMatchObject({ status: 'succeeded', takenOver: 1, addonVersion: VERSION });
    expect(update.mock.calls).toEqual([
      [
        {
          clusterName: CLUSTER,
          addonName: 'coredns',
          addonVersion: VERSION,
          resolveConflicts: 'OVERWRITE',
        },
      ],
    ]);
    expect(await eks.describeAddon(CLUSTER, 'coredns')).toMatchObject({ status: 'ACTIVE' });
    expect(await kube.get(LEASE)).toBeUndefined();
  });

  it('refuses, changing nothing, while another process holds the add-on (an upgrade of it)', async () => {
    const { eks, kube, deps, plan } = setup();
    const other = await UpgradeLock.acquire(
      kube,
      'coredns',
      'bob@ci/pid-9',
      'upgrade-run',
      deps.lease,
    );
    try {
      const update = jest.spyOn(eks, 'updateAddon');
      const out = await runResolveConflicts(await plan(), deps);
      expect(out.status).toBe('refused');
      expect(out.heldBy).toMatchObject({ holder: other.holderIdentity, runId: 'upgrade-run' });
      expect(update).not.toHaveBeenCalled();
    } finally {
      await other.release();
    }
  });

  it('writes the saved objects back when the update fails', async () => {
    const { eks, kube, deps, plan } = setup();
    const p = await plan();
    jest.spyOn(eks, 'describeUpdate').mockImplementation(async (_c, id) => ({
      id,
      status: 'Failed',
      type: 'AddonUpdate',
      params: [],
      errors: [{ errorCode: 'AdmissionRequestDenied', errorMessage: 'denied by policy' }],
    }));
    // What OVERWRITE did before it failed.
    jest.spyOn(eks, 'updateAddon').mockImplementationOnce(async () => {
      const live = (await kube.get(CM))!;
      await kube.replace({ ...live, data: { Corefile: 'forward . /etc/resolv.conf' } });
      return { id: 'u-1', status: 'InProgress', type: 'AddonUpdate', params: [], errors: [] };
    });
    const out = await runResolveConflicts(p, deps);
    expect(out).toMatchObject({
      status: 'rolled-back',
      issueCodes: ['AdmissionRequestDenied', 'ConfigurationConflict'],
      rollbackErrors: [],
    });
    expect((await kube.get(CM))!['data']).toEqual({ Corefile: 'forward . 10.20.0.2' });
    expect(out.events.map((e) => e.type)).toContain('rollback-done');
  });

  it('fenced: a lease taken over while waiting stops it without writing anything back', async () => {
    const { eks, kube, deps, plan } = setup();
    const p = await plan();
    const restore = jest.spyOn(kube, 'replace');
    let polls = 0;
    jest.spyOn(eks, 'describeUpdate').mockImplementation(async (_c, id) => {
      if (polls++ === 0) {
        const live = (await kube.get(LEASE))!;
        await kube.replace({
          ...live,
          spec: { ...(live['spec'] as object), holderIdentity: 'bob/x' },
        });
      }
      return { id, status: 'InProgress', type: 'AddonUpdate', params: [], errors: [] };
    });
    // Renewals run every 20 s of the injected clock's sleeps; each poll sleeps 5 s.
    const out = await runResolveConflicts(p, { ...deps, timeoutMs: 120_000 });
    expect(out.status).toBe('failed');
    expect(out.issueCodes).toEqual(['LockLost']);
    // The only writes: the lease (take-over by bob) - no ConfigMap restored.
    expect(restore.mock.calls.every(([o]) => o.kind === 'Lease')).toBe(true);
    expect((await kube.get(LEASE))?.['spec']).toMatchObject({ holderIdentity: 'bob/x' });
  });
});
