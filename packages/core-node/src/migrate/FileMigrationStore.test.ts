import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatewayError, type MigrationJournalEntry } from '@hyperpod/core';
import { FileMigrationStore, defaultMigrationRoot } from './FileMigrationStore';

const PROD = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';
const DEV = 'arn:aws:eks:us-west-2:222222222222:cluster/ml-dev-usw2';

const plan = {
  schemaVersion: 1,
  profile: 'inference-operator',
  clusterArn: PROD,
  steps: [
    {
      id: 'create-role',
      actions: [{ id: 'iam-create-role', inverse: 'iam-delete-role' }],
    },
  ],
};
const backup = {
  schemaVersion: 1,
  helmRelease: { name: 'hyperpod-inference-operator', namespace: 'kube-system', version: 3 },
};
const summary = (clusterArn: string, createdAt: string) => ({
  clusterName: clusterArn.split('/')[1]!,
  clusterArn,
  profile: 'inference-operator',
  createdAt,
});
const entry = (type: MigrationJournalEntry['type'], at: string, extra = {}) => ({
  at,
  type,
  ...extra,
});

async function failure(p: Promise<unknown> | (() => unknown)): Promise<GatewayError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('defaultMigrationRoot', () => {
  it('uses $KUBECTL_HYPERPOD_HOME first', () => {
    expect(
      defaultMigrationRoot(
        { KUBECTL_HYPERPOD_HOME: '/srv/hyperpod', XDG_STATE_HOME: '/home/alice/.state' },
        '/home/alice',
      ),
    ).toBe(path.resolve('/srv/hyperpod', 'migrations'));
  });

  it('then $XDG_STATE_HOME, ignoring a relative one as XDG says', () => {
    expect(defaultMigrationRoot({ XDG_STATE_HOME: '/home/alice/.state' }, '/home/alice')).toBe(
      path.join('/home/alice/.state', 'kubectl-hyperpod', 'migrations'),
    );
    expect(defaultMigrationRoot({ XDG_STATE_HOME: 'state' }, '/home/alice')).toBe(
      path.join('/home/alice', '.local', 'state', 'kubectl-hyperpod', 'migrations'),
    );
  });

  it('else ~/.local/state, and never a temporary directory', () => {
    expect(defaultMigrationRoot({ KUBECTL_HYPERPOD_HOME: '' }, '/home/alice')).toBe(
      path.join('/home/alice', '.local', 'state', 'kubectl-hyperpod', 'migrations'),
    );
    expect(() => defaultMigrationRoot({}, '')).toThrow(/KUBECTL_HYPERPOD_HOME/);
  });
});

describe('FileMigrationStore', () => {
  let tmp: string;
  let root: string;
  let store: FileMigrationStore;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'migration-store-'));
    root = path.join(tmp, 'state', 'kubectl-hyperpod', 'migrations');
    store = new FileMigrationStore({ root });
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it('keeps each run in its own 0700 directory of 0600 files', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    await store.writeBackup('run-1', backup);
    await store.append('run-1', entry('run-started', '2025-06-01T10:00:01.000Z'));

    const dir = store.location('run-1');
    expect(dir).toBe(path.join(root, 'run-1'));
    // Every directory this store created, up to the temp dir it was given.
    for (const d of [dir, root, path.dirname(root), path.join(tmp, 'state')]) {
      expect(await mode(d)).toBe(0o700);
    }
    expect(readdirSync(dir).sort()).toEqual([
      'backup.json',
      'journal.ndjson',
      'plan.json',
      'summary.json',
    ]);
    for (const f of readdirSync(dir)) expect(await mode(path.join(dir, f))).toBe(0o600);
    expect(JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8'))).toEqual(plan);
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'))).toEqual({
      runId: 'run-1',
      ...summary(PROD, '2025-06-01T10:00:00.000Z'),
    });
  });

  it('works under an existing root that others can read, without changing its mode', async () => {
    mkdirSync(root, { recursive: true });
    await chmod(root, 0o755);
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    expect(await mode(root)).toBe(0o755);
    expect(await mode(store.location('run-1'))).toBe(0o700);
  });

  it('reads back the plan, backup and journal in append order', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    expect(await store.read('run-1')).toEqual({ runId: 'run-1', plan, journal: [] });

    const entries = [
      entry('run-started', '2025-06-01T10:00:01.000Z', { actor: 'alice@laptop' }),
      entry('action-started', '2025-06-01T10:00:02.000Z', {
        stepId: 'create-role',
        actionId: 'iam-create-role',
      }),
      entry('action-done', '2025-06-01T10:00:03.000Z', {
        stepId: 'create-role',
        actionId: 'iam-create-role',
        result: { roleArn: 'arn:aws:iam::111111111111:role/hyperpod-inference' },
        message: 'created role\nhyperpod-inference',
      }),
    ];
    await store.append('run-1', entries[0]!);
    await store.writeBackup('run-1', backup);
    for (const e of entries.slice(1)) await store.append('run-1', e);

    expect(await store.read('run-1')).toEqual({ runId: 'run-1', plan, backup, journal: entries });
    const lines = readFileSync(path.join(store.location('run-1'), 'journal.ndjson'), 'utf8');
    expect(lines.split('\n')).toHaveLength(entries.length + 1);
  });

  it('keeps the order of appends made without waiting', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    const entries = Array.from({ length: 20 }, (_, i) =>
      entry('action-done', `2025-06-01T10:00:${String(i).padStart(2, '0')}.000Z`, {
        actionId: `a${i}`,
      }),
    );
    await Promise.all(entries.map((e) => store.append('run-1', e)));
    expect((await store.read('run-1'))!.journal).toEqual(entries);
  });

  it('returns undefined for a run that does not exist', async () => {
    expect(await store.read('run-1')).toBeUndefined();
    await store.create('run-2', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    expect(await store.read('run-1')).toBeUndefined();
  });

  it('never overwrites a run', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    await store.append('run-1', entry('run-started', '2025-06-01T10:00:01.000Z'));
    const err = await failure(
      store.create('run-1', { other: true }, summary(DEV, '2025-06-02T00:00:00.000Z')),
    );
    expect(err).toMatchObject({ kind: 'Conflict', service: 'store', operation: 'create run' });
    expect(err.message).toContain(store.location('run-1'));
    expect(await store.read('run-1')).toEqual({
      runId: 'run-1',
      plan,
      journal: [entry('run-started', '2025-06-01T10:00:01.000Z')],
    });
    expect((await store.list())[0]).toMatchObject({ clusterArn: PROD });
  });

  it('never replaces a backup', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    await store.writeBackup('run-1', backup);
    const err = await failure(store.writeBackup('run-1', { helmRelease: 'something else' }));
    expect(err).toMatchObject({ kind: 'Conflict', service: 'store', operation: 'write backup' });
    expect((await store.read('run-1'))!.backup).toEqual(backup);
    // No temporary files are left behind by the refused write.
    expect(readdirSync(store.location('run-1')).sort()).toEqual([
      'backup.json',
      'plan.json',
      'summary.json',
    ]);
  });

  it('refuses writes to a run that does not exist', async () => {
    expect(await failure(store.writeBackup('run-9', backup))).toMatchObject({
      kind: 'NotFound',
      service: 'store',
      operation: 'write backup',
    });
    expect(
      await failure(store.append('run-9', entry('run-started', '2025-06-01T10:00:01.000Z'))),
    ).toMatchObject({ kind: 'NotFound', operation: 'append journal' });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('ignores a journal line torn by a crash, and cuts it off before the next append', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    const started = entry('run-started', '2025-06-01T10:00:01.000Z');
    await store.append('run-1', started);
    const journal = path.join(store.location('run-1'), 'journal.ndjson');
    appendFileSync(journal, '{"at":"2025-06-01T10:00:02.000Z","type":"acti');

    expect((await store.read('run-1'))!.journal).toEqual([started]);
    expect((await store.list())[0]).toMatchObject({ lastEvent: 'run-started' });

    const failed = entry('run-failed', '2025-06-01T10:00:03.000Z', { message: 'resumed' });
    await store.append('run-1', failed);
    expect((await store.read('run-1'))!.journal).toEqual([started, failed]);
    expect(readFileSync(journal, 'utf8')).toBe(
      `${JSON.stringify(started)}\n${JSON.stringify(failed)}\n`,
    );
  });

  it('reports a journal corrupted in the middle instead of skipping entries', async () => {
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    const journal = path.join(store.location('run-1'), 'journal.ndjson');
    writeFileSync(
      journal,
      '{"at":"2025-06-01T10:00:01.000Z","type":"run-started"}\nnot json\n{}\n',
    );
    expect(await failure(store.read('run-1'))).toMatchObject({
      kind: 'Unknown',
      service: 'store',
      message: expect.stringContaining('line 2'),
    });
  });

  it('lists runs newest first with their last event, narrowed by cluster', async () => {
    await store.create('run-old', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    await store.create('run-new', plan, summary(PROD, '2025-06-03T10:00:00.000Z'));
    await store.create('run-dev', plan, summary(DEV, '2025-06-02T10:00:00.000Z'));
    await store.append('run-old', entry('run-started', '2025-06-01T10:00:01.000Z'));
    await store.append('run-old', entry('run-succeeded', '2025-06-01T10:05:00.000Z'));
    // A create cut short before its summary, and a stray file: neither is a run.
    mkdirSync(path.join(root, 'run-partial'));
    writeFileSync(path.join(root, 'run-partial', 'plan.json'), '{}');
    writeFileSync(path.join(root, 'notes.txt'), 'mine');

    const all = await store.list();
    expect(all.map((r) => r.runId)).toEqual(['run-new', 'run-dev', 'run-old']);
    expect(all[2]).toEqual({
      runId: 'run-old',
      ...summary(PROD, '2025-06-01T10:00:00.000Z'),
      lastEvent: 'run-succeeded',
      updatedAt: '2025-06-01T10:05:00.000Z',
    });
    expect(all[0]).not.toHaveProperty('lastEvent');
    expect((await store.list({ clusterArn: PROD })).map((r) => r.runId)).toEqual([
      'run-new',
      'run-old',
    ]);
    expect(await store.list({ clusterArn: 'arn:aws:eks:eu-west-1:1:cluster/none' })).toEqual([]);
    expect(await store.read('run-partial')).toBeUndefined();
  });

  it('lists nothing before the root exists', async () => {
    expect(await store.list()).toEqual([]);
  });

  it('refuses run ids that could leave the root', async () => {
    for (const id of ['../x', 'a/b', '', '..', '.hidden', 'Run-1', 'a'.repeat(64)]) {
      expect(
        await failure(store.create(id, plan, summary(PROD, '2025-06-01T10:00:00.000Z'))),
      ).toMatchObject({ kind: 'InvalidParameter', service: 'store' });
      expect(await failure(store.read(id))).toMatchObject({ kind: 'InvalidParameter' });
      expect(await failure(store.writeBackup(id, backup))).toMatchObject({
        kind: 'InvalidParameter',
      });
      expect(
        await failure(store.append(id, entry('run-started', '2025-06-01T10:00:01.000Z'))),
      ).toMatchObject({ kind: 'InvalidParameter' });
      expect(await failure(() => store.location(id))).toMatchObject({ kind: 'InvalidParameter' });
    }
    expect(readdirSync(tmp)).toEqual([]);
  });
});
