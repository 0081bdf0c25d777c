import type { KubeObject, KubeRef } from '../ports/KubeGateway';
import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import {
  LeaseLostError,
  MigrationLock,
  MigrationLockedError,
  MIGRATION_LEASE_NAME,
} from './migrationLock';

const LEASE: KubeRef = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: 'kube-system',
  name: MIGRATION_LEASE_NAME,
};
const specOf = (o: KubeObject | undefined) => o?.['spec'] as Record<string, unknown>;

describe('MigrationLock: the holder is the process, never the run', () => {
  let t: number;
  const now = () => new Date(t);
  let kube: InMemoryKubeGateway;
  const held: MigrationLock[] = [];
  beforeEach(() => {
    t = Date.parse('2026-12-06T07:00:00Z');
    kube = new InMemoryKubeGateway();
  });
  afterEach(() => {
    for (const l of held.splice(0)) l.abandon();
  });
  const take = async (holder: string, runId: string, durationSeconds = 30) => {
    const l = await MigrationLock.acquire(kube, holder, runId, { now, durationSeconds });
    held.push(l);
    return l;
  };

  it('refuses a second process working on the SAME run while the first is alive (a --resume of a running run)', async () => {
    const first = await take('ana@desk/pid-100', 'run-a');
    const second = MigrationLock.acquire(kube, 'ana@desk/pid-200', 'run-a', { now });
    await expect(second).rejects.toBeInstanceOf(MigrationLockedError);
    const e = (await second.catch((x: unknown) => x)) as MigrationLockedError;
    expect(e.holder).toBe(first.holderIdentity);
    expect(e.runId).toBe('run-a');
    expect(e.message).toContain(`another migration holds this cluster: ${first.holderIdentity}`);
    // Not even the same holder name in the same process shares it: each lock is its own holder.
    await expect(
      MigrationLock.acquire(kube, 'ana@desk/pid-100', 'run-a', { now }),
    ).rejects.toBeInstanceOf(MigrationLockedError);
    await expect(MigrationLock.check(kube, 'run-a', { now })).rejects.toBeInstanceOf(
      MigrationLockedError,
    );
    expect(specOf(await kube.get(LEASE))['holderIdentity']).toBe(first.holderIdentity);
  });

  it('names each holder uniquely: <holder>/<12 random hex>', async () => {
    const a = await take('ana@desk/pid-100', 'run-a');
    expect(a.holderIdentity).toMatch(/^ana@desk\/pid-100\/[0-9a-f]{12}$/);
    await a.release();
    const b = await take('ana@desk/pid-100', 'run-a');
    expect(b.holderIdentity).not.toBe(a.holderIdentity);
  });

  it('lets a resume take the lease once the dead holder let it lapse, or at once once released', async () => {
    const a = await take('ana@desk/pid-100', 'run-a');
    a.abandon(); // SIGKILL: no more renewals, no release.
    t += 29_000;
    await expect(
      MigrationLock.acquire(kube, 'ana@desk/pid-200', 'run-a', { now }),
    ).rejects.toBeInstanceOf(MigrationLockedError);
    t += 2_000;
    const b = await take('ana@desk/pid-200', 'run-a');
    expect(specOf(await kube.get(LEASE))).toMatchObject({
      holderIdentity: b.holderIdentity,
      leaseTransitions: 1,
    });
    await b.release();
    expect(await kube.get(LEASE)).toBeUndefined();
    await take('bob@ci/pid-7', 'run-b');
  });
});

describe('MigrationLock fencing', () => {
  let t: number;
  const now = () => new Date(t);
  let kube: InMemoryKubeGateway;
  beforeEach(() => {
    t = Date.parse('2026-12-06T07:00:00Z');
    kube = new InMemoryKubeGateway();
  });

  it('assertHeld renews by compare-and-swap while the lease is ours', async () => {
    const a = await MigrationLock.acquire(kube, 'ana@desk/pid-1', 'run-a', {
      now,
      durationSeconds: 30,
    });
    try {
      const rv = (await kube.get(LEASE))!.metadata.resourceVersion;
      t += 5_000;
      await a.assertHeld();
      const after = await kube.get(LEASE);
      expect(after!.metadata.resourceVersion).not.toBe(rv);
      expect(Date.parse(String(specOf(after)['renewTime']))).toBe(t);
    } finally {
      await a.release();
    }
  });

  it('a lease that lapsed and was taken over fails the fence: LeaseLostError naming the new holder', async () => {
    const a = await MigrationLock.acquire(kube, 'ana@desk/pid-1', 'run-a', {
      now,
      durationSeconds: 30,
    });
    a.abandon(); // renewals stalled (a paused process, a partition)
    t += 31_000;
    const b = await MigrationLock.acquire(kube, 'ana@desk/pid-2', 'run-a', {
      now,
      durationSeconds: 30,
    });
    try {
      const err = await a.assertHeld().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LeaseLostError);
      expect((err as Error).message).toBe(
        `the migration lock kube-system/kubectl-hyperpod-migration was taken over by ${b.holderIdentity} (run run-a)`,
      );
      // The loser never writes the lease again; the new holder keeps it.
      expect(specOf(await kube.get(LEASE))['holderIdentity']).toBe(b.holderIdentity);
      await expect(a.assertHeld()).rejects.toBeInstanceOf(LeaseLostError);
      await a.release();
      expect(specOf(await kube.get(LEASE))['holderIdentity']).toBe(b.holderIdentity);
    } finally {
      await b.release();
    }
  });

  it('a deleted lease fails the fence', async () => {
    const a = await MigrationLock.acquire(kube, 'ana@desk/pid-1', 'run-a', { now });
    a.abandon();
    kube.remove(LEASE);
    await expect(a.assertHeld()).rejects.toThrow(
      'the migration lock kube-system/kubectl-hyperpod-migration was deleted while this process held it',
    );
  });

  it('a lease not renewed for a whole duration fails the fence even if nobody took it yet', async () => {
    const a = await MigrationLock.acquire(kube, 'ana@desk/pid-1', 'run-a', {
      now,
      durationSeconds: 30,
    });
    a.abandon();
    jest.spyOn(kube, 'replace').mockRejectedValue(new Error('connection reset'));
    t += 30_000;
    await expect(a.assertHeld()).rejects.toThrow(/could not be renewed for 30 s/);
  });

  it('a released lock fails the fence, so nothing runs after release', async () => {
    const a = await MigrationLock.acquire(kube, 'ana@desk/pid-1', 'run-a', { now });
    await a.release();
    await expect(a.assertHeld()).rejects.toThrow(/was released/);
  });

  it('our own write whose answer was lost (a version bump that still names us) keeps the lease', async () => {
    const a = await MigrationLock.acquire(kube, 'ana@desk/pid-1', 'run-a', { now });
    try {
      a.abandon();
      // The same holder's renewal reached the server; its answer did not.
      const live = (await kube.get(LEASE))!;
      await kube.replace({ ...live, spec: { ...specOf(live), renewTime: 'x' } });
      t += 1_000;
      await a.assertHeld();
      expect(specOf(await kube.get(LEASE))['holderIdentity']).toBe(a.holderIdentity);
    } finally {
      await a.release();
    }
  });
});
