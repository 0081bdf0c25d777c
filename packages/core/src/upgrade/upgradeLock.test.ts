import {
  LeaseLock,
  LeaseLockedError,
  MigrationLock,
  MigrationLockedError,
} from '../migrate/migrationLock';
import type { KubeObject, KubeRef } from '../ports/KubeGateway';
import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import { UpgradeLock, UpgradeLockedError, upgradeLeaseName } from './upgradeLock';

const lease = (name: string): KubeRef => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: 'kube-system',
  name,
});
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const specOf = (o: KubeObject | undefined) => o?.['spec'] as Record<string, unknown> | undefined;

describe('upgradeLeaseName', () => {
  it('is kubectl-hyperpod-upgrade-<addon> for AWS add-on names', () => {
    expect(upgradeLeaseName('vpc-cni')).toBe('kubectl-hyperpod-upgrade-vpc-cni');
    expect(upgradeLeaseName('amazon-sagemaker-hyperpod-inference')).toBe(
      'kubectl-hyperpod-upgrade-amazon-sagemaker-hyperpod-inference',
    );
  });

  it('makes marketplace names (vendor_product) DNS names without two add-ons sharing one', () => {
    const market = upgradeLeaseName('kubecost_kubecost');
    expect(market).toMatch(DNS_SUBDOMAIN);
    expect(market).toMatch(/^kubectl-hyperpod-upgrade-kubecost-kubecost-[0-9a-f]{8}$/);
    expect(market).not.toBe(upgradeLeaseName('kubecost-kubecost'));
    expect(upgradeLeaseName('a_b_')).toMatch(DNS_SUBDOMAIN);
    expect(upgradeLeaseName(`x_${'y'.repeat(99)}`).length).toBeLessThanOrEqual(253);
    expect(() => upgradeLeaseName('')).toThrow(/add-on name is required/);
  });
});

describe('UpgradeLock', () => {
  let kube: InMemoryKubeGateway;
  const held: LeaseLock[] = [];
  beforeEach(() => {
    kube = new InMemoryKubeGateway();
  });
  afterEach(async () => {
    for (const l of held.splice(0)) l.abandon();
  });
  const take = async <L extends LeaseLock>(p: Promise<L>): Promise<L> => {
    const l = await p;
    held.push(l);
    return l;
  };

  it('holds Lease kube-system/kubectl-hyperpod-upgrade-<addon> naming the holder and run', async () => {
    const lock = await take(UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a'));
    expect(lock.leaseName).toBe('kube-system/kubectl-hyperpod-upgrade-vpc-cni');
    const obj = await kube.get(lease('kubectl-hyperpod-upgrade-vpc-cni'));
    expect(obj?.metadata.annotations).toEqual({ 'kubectl-hyperpod.io/run': 'run-a' });
    expect(specOf(obj)).toMatchObject({
      holderIdentity: lock.holderIdentity,
      leaseDurationSeconds: 60,
    });
    expect(lock.holderIdentity).toMatch(/^ana@desk\/[0-9a-f]{12}$/);
  });

  it('refuses a second upgrade of the same add-on with who holds it, since when and when it lapses', async () => {
    const now = () => new Date('2026-11-21T10:00:00.000Z');
    const first = await take(UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a', { now }));
    const second = UpgradeLock.acquire(kube, 'vpc-cni', 'bob@laptop', 'run-b', { now });
    await expect(second).rejects.toBeInstanceOf(UpgradeLockedError);
    const e = (await second.catch((x: unknown) => x)) as UpgradeLockedError;
    expect(e).toBeInstanceOf(LeaseLockedError);
    expect(e.name).toBe('UpgradeLockedError');
    expect(e.addonName).toBe('vpc-cni');
    expect(e.message).toBe(
      `another upgrade of vpc-cni holds this cluster: ${first.holderIdentity} (run run-a) since 2026-11-21T10:00:00.000000Z; the lock expires at 2026-11-21T10:01:00.000Z unless renewed`,
    );
    expect({ holder: e.holder, runId: e.runId }).toEqual({
      holder: first.holderIdentity,
      runId: 'run-a',
    });
    // The refused run did not touch the holder's lease.
    expect(specOf(await kube.get(lease('kubectl-hyperpod-upgrade-vpc-cni')))).toMatchObject({
      holderIdentity: first.holderIdentity,
    });
  });

  it('does not block upgrades of other add-ons, nor migrations', async () => {
    await take(UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a'));
    await take(UpgradeLock.acquire(kube, 'coredns', 'bob@laptop', 'run-b'));
    await take(MigrationLock.acquire(kube, 'carol@ci', 'run-c'));
    const names = (await kube.list('coordination.k8s.io/v1', 'Lease')).map((l) => l.metadata.name);
    expect(names.sort()).toEqual([
      'kubectl-hyperpod-migration',
      'kubectl-hyperpod-upgrade-coredns',
      'kubectl-hyperpod-upgrade-vpc-cni',
    ]);
  });

  it('is free again once released; never shared with another process, even on the same run', async () => {
    const a = await take(UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a'));
    await expect(UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a')).rejects.toBeInstanceOf(
      UpgradeLockedError,
    );
    await a.release();
    expect(await kube.get(lease('kubectl-hyperpod-upgrade-vpc-cni'))).toBeUndefined();
    await take(UpgradeLock.acquire(kube, 'vpc-cni', 'bob@laptop', 'run-b'));
  });

  it('lets another run take a lease its holder stopped renewing once it lapses', async () => {
    let t = Date.parse('2026-11-21T10:00:00Z');
    const now = () => new Date(t);
    const a = await take(
      UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a', { now, durationSeconds: 30 }),
    );
    a.abandon();
    t += 29_000;
    await expect(UpgradeLock.check(kube, 'vpc-cni', 'run-b', { now })).rejects.toBeInstanceOf(
      UpgradeLockedError,
    );
    t += 2_000;
    await UpgradeLock.check(kube, 'vpc-cni', 'run-b', { now });
    await take(UpgradeLock.acquire(kube, 'vpc-cni', 'bob@laptop', 'run-b', { now }));
    const spec = specOf(await kube.get(lease('kubectl-hyperpod-upgrade-vpc-cni')));
    expect(spec).toMatchObject({ leaseTransitions: 1 });
    expect(spec?.['holderIdentity']).toMatch(/^bob@laptop\//);
  });

  it('check changes nothing', async () => {
    await UpgradeLock.check(kube, 'vpc-cni', 'run-a');
    expect(kube.writes).toEqual([]);
  });

  it('records lost when the lease is deleted under the run', async () => {
    const a = await take(UpgradeLock.acquire(kube, 'vpc-cni', 'ana@desk', 'run-a'));
    kube.remove(lease('kubectl-hyperpod-upgrade-vpc-cni'));
    await a.renew();
    expect(a.lost).toBe(
      'the vpc-cni upgrade lock kube-system/kubectl-hyperpod-upgrade-vpc-cni was deleted while this process held it',
    );
  });
});

describe('MigrationLock on LeaseLock', () => {
  it('keeps its lease name, its error class and its message', async () => {
    const kube = new InMemoryKubeGateway();
    const a = await MigrationLock.acquire(kube, 'ana@desk', 'run-a');
    try {
      expect(a.leaseName).toBe('kube-system/kubectl-hyperpod-migration');
      const e = (await MigrationLock.acquire(kube, 'bob@laptop', 'run-b').catch(
        (x: unknown) => x,
      )) as MigrationLockedError;
      expect(e).toBeInstanceOf(MigrationLockedError);
      expect(e).toBeInstanceOf(LeaseLockedError);
      expect(e.name).toBe('MigrationLockedError');
      expect(e.message).toMatch(
        /^another migration holds this cluster: ana@desk\/[0-9a-f]{12} \(run run-a\) since \S+; the lock expires at \S+ unless renewed$/,
      );
      await expect(MigrationLock.check(kube, 'run-b')).rejects.toBeInstanceOf(MigrationLockedError);
      // An upgrade lock does not stand in a migration's way, nor the reverse.
      const u = await UpgradeLock.acquire(kube, 'vpc-cni', 'bob@laptop', 'run-b');
      await u.release();
    } finally {
      await a.release();
    }
    expect(await kube.list('coordination.k8s.io/v1', 'Lease')).toEqual([]);
  });
});
