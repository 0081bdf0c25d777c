import { GatewayError } from '../ports/GatewayError';
import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { InMemoryMigrationStore } from './InMemoryMigrationStore';

const PROD = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';
const DEV = 'arn:aws:eks:us-west-2:222222222222:cluster/ml-dev-usw2';

const plan = {
  schemaVersion: 1,
  profile: 'inference-operator',
  steps: [{ id: 'create-role', actions: [{ id: 'iam-create-role', inverse: 'iam-delete-role' }] }],
};
const summary = (clusterArn: string, createdAt: string) => ({
  clusterName: clusterArn.split('/')[1]!,
  clusterArn,
  profile: 'inference-operator',
  createdAt,
});
const started: MigrationJournalEntry = {
  at: '2025-06-01T10:00:01.000Z',
  type: 'run-started',
  actor: 'alice@laptop',
};

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

describe('InMemoryMigrationStore', () => {
  it('reads back the plan, backup and journal in order', async () => {
    const store = new InMemoryMigrationStore();
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    await store.append('run-1', started);
    await store.writeBackup('run-1', { helmRelease: { name: 'hyperpod-inference-operator' } });
    await store.append('run-1', {
      at: '2025-06-01T10:00:02.000Z',
      type: 'action-done',
      stepId: 'create-role',
      actionId: 'iam-create-role',
      result: { roleArn: 'arn:aws:iam::111111111111:role/hyperpod-inference' },
    });
    const run = await store.read('run-1');
    expect(run).toEqual({
      runId: 'run-1',
      plan,
      backup: { helmRelease: { name: 'hyperpod-inference-operator' } },
      journal: [
        started,
        expect.objectContaining({ type: 'action-done', actionId: 'iam-create-role' }),
      ],
    });
  });

  it('has no backup key before one is written, and undefined for an unknown run', async () => {
    const store = new InMemoryMigrationStore();
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    expect(await store.read('run-1')).toEqual({ runId: 'run-1', plan, journal: [] });
    expect(await store.read('run-2')).toBeUndefined();
  });

  it('copies data in and out, so callers cannot change what is stored', async () => {
    const store = new InMemoryMigrationStore();
    const mine = structuredClone(plan);
    await store.create('run-1', mine, summary(PROD, '2025-06-01T10:00:00.000Z'));
    mine.steps.length = 0;
    const first = await store.read('run-1');
    (first!.plan as typeof plan).steps.length = 0;
    first!.journal.push(started);
    expect(await store.read('run-1')).toEqual({ runId: 'run-1', plan, journal: [] });
  });

  it('never overwrites a run or a backup', async () => {
    const store = new InMemoryMigrationStore();
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    const again = await failure(
      store.create('run-1', { other: true }, summary(DEV, '2025-06-02T00:00:00.000Z')),
    );
    expect(again).toMatchObject({ kind: 'Conflict', service: 'store', operation: 'create run' });

    await store.writeBackup('run-1', { first: true });
    const second = await failure(store.writeBackup('run-1', { second: true }));
    expect(second).toMatchObject({ kind: 'Conflict', service: 'store', operation: 'write backup' });
    expect(await store.read('run-1')).toMatchObject({ plan, backup: { first: true } });
  });

  it('refuses writes to a run that does not exist', async () => {
    const store = new InMemoryMigrationStore();
    expect(await failure(store.writeBackup('run-9', {}))).toMatchObject({
      kind: 'NotFound',
      service: 'store',
    });
    expect(await failure(store.append('run-9', started))).toMatchObject({ kind: 'NotFound' });
  });

  it('refuses run ids that are not plain names', async () => {
    const store = new InMemoryMigrationStore();
    for (const id of ['../x', 'a/b', '', 'Run-1', '-x', 'a'.repeat(64)]) {
      expect(
        await failure(store.create(id, plan, summary(PROD, '2025-06-01T10:00:00.000Z'))),
      ).toMatchObject({ kind: 'InvalidParameter', service: 'store' });
    }
    expect(() => store.location('../x')).toThrow(GatewayError);
    expect(store.location('run-1')).toContain('run-1');
  });

  it('lists newest first with the last journal event, narrowed by cluster', async () => {
    const store = new InMemoryMigrationStore();
    await store.create('run-old', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    await store.create('run-new', plan, summary(PROD, '2025-06-03T10:00:00.000Z'));
    await store.create('run-dev', plan, summary(DEV, '2025-06-02T10:00:00.000Z'));
    await store.append('run-old', started);
    await store.append('run-old', { at: '2025-06-01T10:05:00.000Z', type: 'run-succeeded' });

    const all = await store.list();
    expect(all.map((r) => r.runId)).toEqual(['run-new', 'run-dev', 'run-old']);
    expect(all[2]).toEqual({
      runId: 'run-old',
      ...summary(PROD, '2025-06-01T10:00:00.000Z'),
      lastEvent: 'run-succeeded',
      updatedAt: '2025-06-01T10:05:00.000Z',
    });
    expect(all[0]).not.toHaveProperty('lastEvent');

    const prod = await store.list({ clusterArn: PROD });
    expect(prod.map((r) => r.runId)).toEqual(['run-new', 'run-old']);
  });

  it('fails calls the way a test scripts', async () => {
    const store = new InMemoryMigrationStore();
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    store.faults.fail({ kind: 'Unavailable', operation: 'append journal', times: 1 });
    expect(await failure(store.append('run-1', started))).toMatchObject({
      kind: 'Unavailable',
      service: 'store',
    });
    await store.append('run-1', started);
    expect((await store.read('run-1'))!.journal).toEqual([started]);
  });
});
