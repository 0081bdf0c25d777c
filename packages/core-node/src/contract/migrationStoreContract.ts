/**
 * What every MigrationStore must do (ADR 0002: one contract per port), as jest blocks: run against
 * the core's InMemoryMigrationStore, the CLI's FileMigrationStore and the backend's
 * KnexMigrationStore on SQLite and PostgreSQL, so the fake cannot drift from the stores the
 * executor really writes to. Each test uses its own cluster and run ids, so one store (one
 * database) serves the whole suite.
 */
import {
  GatewayError,
  type MigrationJournalEntry,
  type MigrationRunSummary,
  type MigrationStore,
} from '@hyperpod/core';
import { rejection } from './eventually';

export interface MigrationStoreContractFixture {
  store: MigrationStore;
  teardown(): Promise<void>;
}

const plan = {
  schemaVersion: 1,
  profile: 'hyperpod-inference',
  steps: [{ id: 'create-role', actions: [{ id: 'iam-create-role', inverse: 'iam-delete-role' }] }],
};
const started: MigrationJournalEntry = {
  at: '2025-06-01T10:00:01.000Z',
  type: 'run-started',
  actor: 'alice@laptop',
};

export function migrationStoreContract(
  name: string,
  setup: () => Promise<MigrationStoreContractFixture>,
): void {
  describe(`MigrationStore contract: ${name}`, () => {
    let f: MigrationStoreContractFixture;
    let n = 0;
    /** A cluster of its own for one test, and run ids under it. */
    const fresh = () => {
      n++;
      const clusterName = `contract-${n}`;
      const clusterArn = `arn:aws:eks:us-east-1:111111111111:cluster/${clusterName}`;
      const summary = (createdAt: string): Omit<MigrationRunSummary, 'runId'> => ({
        clusterName,
        clusterArn,
        profile: 'hyperpod-inference',
        createdAt,
      });
      return { clusterArn, summary, run: (s: string) => `c${n}-${s}` };
    };
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('reads back the plan, backup and journal in order', async () => {
      const { summary, run } = fresh();
      await f.store.create(run('a'), plan, summary('2025-06-01T10:00:00.000Z'));
      await f.store.append(run('a'), started);
      await f.store.writeBackup(run('a'), { helmRelease: { name: 'hyperpod-inference-operator' } });
      const done: MigrationJournalEntry = {
        at: '2025-06-01T10:00:02.000Z',
        type: 'action-done',
        stepId: 'create-role',
        actionId: 'iam-create-role',
        result: { roleArn: 'arn:aws:iam::111111111111:role/hyperpod-inference' },
      };
      await f.store.append(run('a'), done);
      expect(await f.store.read(run('a'))).toEqual({
        runId: run('a'),
        plan,
        backup: { helmRelease: { name: 'hyperpod-inference-operator' } },
        journal: [started, done],
      });
    });

    it('keeps the journal in append order', async () => {
      const { summary, run } = fresh();
      await f.store.create(run('a'), plan, summary('2025-06-01T10:00:00.000Z'));
      const entries: MigrationJournalEntry[] = Array.from({ length: 8 }, (_, i) => ({
        at: `2025-06-01T10:00:0${i}.000Z`,
        type: 'action-done',
        stepId: 's',
        actionId: `a${i}`,
      }));
      for (const e of entries) await f.store.append(run('a'), e);
      expect((await f.store.read(run('a')))!.journal.map((e) => e.actionId)).toEqual(
        entries.map((e) => e.actionId),
      );
    });

    it('has no backup key before one is written, and undefined for an unknown run', async () => {
      const { summary, run } = fresh();
      await f.store.create(run('a'), plan, summary('2025-06-01T10:00:00.000Z'));
      expect(await f.store.read(run('a'))).toEqual({ runId: run('a'), plan, journal: [] });
      expect(await f.store.read(run('unknown'))).toBeUndefined();
    });

    it('copies data in and out, so callers cannot change what is stored', async () => {
      const { summary, run } = fresh();
      const mine = structuredClone(plan);
      await f.store.create(run('a'), mine, summary('2025-06-01T10:00:00.000Z'));
      mine.steps.length = 0;
      const first = await f.store.read(run('a'));
      (first!.plan as typeof plan).steps.length = 0;
      first!.journal.push(started);
      expect(await f.store.read(run('a'))).toEqual({ runId: run('a'), plan, journal: [] });
    });

    it('never overwrites a run or a backup', async () => {
      const { summary, run } = fresh();
      await f.store.create(run('a'), plan, summary('2025-06-01T10:00:00.000Z'));
      const again = await rejection(
        f.store.create(run('a'), { other: true }, summary('2025-06-02T00:00:00.000Z')),
      );
      expect(again).toMatchObject({ kind: 'Conflict', service: 'store', operation: 'create run' });
      await f.store.writeBackup(run('a'), { first: true });
      const second = await rejection(f.store.writeBackup(run('a'), { second: true }));
      expect(second).toMatchObject({
        kind: 'Conflict',
        service: 'store',
        operation: 'write backup',
      });
      expect(await f.store.read(run('a'))).toMatchObject({ plan, backup: { first: true } });
    });

    it('refuses writes to a run that does not exist', async () => {
      const { run } = fresh();
      expect(await rejection(f.store.writeBackup(run('none'), {}))).toMatchObject({
        kind: 'NotFound',
        service: 'store',
      });
      expect(await rejection(f.store.append(run('none'), started))).toMatchObject({
        kind: 'NotFound',
        service: 'store',
      });
    });

    it('refuses run ids that are not plain names (they name directories and labels)', async () => {
      const { summary } = fresh();
      for (const id of ['../x', 'a/b', '', 'Run-1', '-x', 'a'.repeat(64)]) {
        expect(
          await rejection(f.store.create(id, plan, summary('2025-06-01T10:00:00.000Z'))),
        ).toMatchObject({ kind: 'InvalidParameter', service: 'store' });
      }
      expect(() => f.store.location('../x')).toThrow(GatewayError);
    });

    it('lists newest first with the last journal event, narrowed by cluster', async () => {
      const prod = fresh();
      const dev = fresh();
      await f.store.create(prod.run('old'), plan, prod.summary('2025-06-01T10:00:00.000Z'));
      await f.store.create(prod.run('new'), plan, prod.summary('2025-06-03T10:00:00.000Z'));
      await f.store.create(dev.run('dev'), plan, dev.summary('2025-06-02T10:00:00.000Z'));
      await f.store.append(prod.run('old'), started);
      await f.store.append(prod.run('old'), {
        at: '2025-06-01T10:05:00.000Z',
        type: 'run-succeeded',
      });
      const listed = await f.store.list({ clusterArn: prod.clusterArn });
      expect(listed).toEqual([
        { runId: prod.run('new'), ...prod.summary('2025-06-03T10:00:00.000Z') },
        {
          runId: prod.run('old'),
          ...prod.summary('2025-06-01T10:00:00.000Z'),
          lastEvent: 'run-succeeded',
          updatedAt: '2025-06-01T10:05:00.000Z',
        },
      ]);
      const all = (await f.store.list()).map((r) => r.runId);
      expect(all.indexOf(prod.run('new'))).toBeLessThan(all.indexOf(dev.run('dev')));
      expect(all.indexOf(dev.run('dev'))).toBeLessThan(all.indexOf(prod.run('old')));
    });
  });
}
