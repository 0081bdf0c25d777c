/**
 * Fencing of the migration executor on the sandbox: a run whose lease was taken over between two
 * steps makes no further change (no step, no rollback), journals why, and leaves the new holder's
 * lease alone; once the lease is free the same run resumes and finishes.
 */
import {
  InMemoryMigrationStore,
  MIGRATION_LEASE_NAME,
  resumeMigration,
  rollbackMigration,
  startMigration,
  type KubeRef,
  type MigrationStep,
} from '@hyperpod/core';
import type { Sandbox } from '@hyperpod/sandbox';
import { crasher } from './crash';
import { gatewaysFor, helmSandbox, testDeps, unblockedPlan } from './support';

const CLUSTER = 'ml-fence-use1';
const LEASE: KubeRef = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: 'kube-system',
  name: MIGRATION_LEASE_NAME,
};
const THIEF = 'bob@other-host/pid-77/0123456789ab';

describe('migration executor fencing', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER);
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('a lease taken over mid-run: no further step and no rollback, a journal entry, the new holder untouched', async () => {
    const g = gatewaysFor(sb, CLUSTER);
    const before = sb.snapshot();
    const plan = await unblockedPlan(g, CLUSTER);
    const store = new InMemoryMigrationStore();
    const counting = crasher(g, store, Infinity);
    let callsAtTakeover = -1;
    const confirm = async (_step: MigrationStep, index: number) => {
      if (index === 1) {
        // The process stalled past its lease and another one took it over (a write at the
        // lease's current resourceVersion, naming itself), as a lease-taking process does.
        const live = (await g.kube.get(LEASE))!;
        await g.kube.replace({
          ...live,
          spec: { ...(live['spec'] as object), holderIdentity: THIEF },
        });
        callsAtTakeover = counting.calls.length;
      }
      return 'yes' as const;
    };
    const out = await startMigration(
      plan,
      'run-fenced',
      testDeps(counting.gateways, counting.store, { confirm, onFailure: 'rollback' }),
    );
    expect(out.status).toBe('failed');
    expect(out.rollbackErrors).toEqual([]);
    expect(out.error).toBe(
      `the migration lock kube-system/${MIGRATION_LEASE_NAME} was taken over by ${THIEF} (run run-fenced)`,
    );
    expect(out.message).toMatch(/this process changed nothing more and did not roll back/);
    // Not one AWS or Kubernetes change after the takeover, the lease included.
    expect(callsAtTakeover).toBeGreaterThan(0);
    expect(counting.calls.slice(callsAtTakeover)).toEqual([]);
    const journal = (await store.read('run-fenced'))!.journal;
    const last = journal[journal.length - 1]!;
    expect(last).toMatchObject({ type: 'run-failed', stepId: plan.steps[1]!.id });
    expect(last.message).toContain(`taken over by ${THIEF}`);
    expect(journal.some((e) => e.type === 'rollback-started')).toBe(false);
    const started = journal.filter((e) => e.type === 'action-started').map((e) => e.stepId);
    expect(new Set(started)).toEqual(new Set([plan.steps[0]!.id]));
    expect((await g.kube.get(LEASE))?.['spec']).toMatchObject({ holderIdentity: THIEF });

    // The other holder is done and releases; the same run resumes and finishes, then undoes.
    await g.kube.delete(LEASE);
    const resumed = await resumeMigration('run-fenced', testDeps(g, store));
    expect(resumed.status).toBe('succeeded');
    const rb = await rollbackMigration('run-fenced', testDeps(g, store));
    expect(rb).toMatchObject({ status: 'rolled-back', rollbackErrors: [] });
    expect(sb.diff(before)).toEqual([]);
  }, 120_000);

  it('refuses a resume of the run while the process running it holds the lease, changing nothing', async () => {
    const g = gatewaysFor(sb, CLUSTER);
    const before = sb.snapshot();
    const plan = await unblockedPlan(g, CLUSTER);
    const store = new InMemoryMigrationStore();
    let second: Promise<unknown> | undefined;
    const confirm = async (_step: MigrationStep, index: number) => {
      // While the first is between steps, a second executor resumes the same run.
      if (index === 2) second = resumeMigration('run-live', testDeps(g, store)).catch((e) => e);
      if (index === 2) await second;
      return 'yes' as const;
    };
    const out = await startMigration(plan, 'run-live', testDeps(g, store, { confirm }));
    expect(out.status).toBe('succeeded');
    const refused = (await second) as Error;
    expect(refused.name).toBe('MigrationLockedError');
    expect(refused.message).toMatch(
      /^another migration holds this cluster: tester@test\/[0-9a-f]{12} \(run run-live\) since /,
    );
    const journal = (await store.read('run-live'))!.journal;
    // One run-started: the refused resume wrote nothing.
    expect(journal.filter((e) => e.type === 'run-started')).toHaveLength(1);
    const rb = await rollbackMigration('run-live', testDeps(g, store));
    expect(rb.status).toBe('rolled-back');
    expect(sb.diff(before)).toEqual([]);
  }, 120_000);
});
