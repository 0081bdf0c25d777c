/**
 * Portal-started migrations, on SQLite and on PostgreSQL: the plan preview changes nothing; a start
 * runs the core's executor in the background (auto-approved, under the Lease) to the add-on ACTIVE
 * on the sandbox; a rollback puts the Helm install back exactly; who may do what; bad input.
 */
import { MigrationLock, type MigrationPlan, type MigrationRunView } from '@hyperpod/core';
import type { SandboxSnapshot } from '@hyperpod/sandbox';
import { expectMigrated } from '../migrate/expectMigrated';
import { gatewaysFor } from '../migrate/support';
import { ALICE, capturingAuditor, CAROL, eventually } from './support';
import { portalDatabases, usePortal } from './usePortal';

const ADDON = 'amazon-sagemaker-hyperpod-inference';

const databases = portalDatabases(['SQLITE_3', 'POSTGRES_15']);

describe.each(databases.eachSupportedId())('portal migrations on %p', (databaseId) => {
  let before: SandboxSnapshot;
  let runId: string;
  const auditor = capturingAuditor();
  const s = usePortal({
    prefix: databaseId === 'SQLITE_3' ? 'msq' : 'mpg',
    knex: () => databases.init(databaseId),
    helm: {},
    extra: [auditor.factory],
  });
  beforeAll(() => {
    before = s.p.sb.snapshot();
  });

  const releaseSecret = () =>
    s.p.sb.kube(s.helm.name).get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'kube-system',
      name: 'sh.helm.release.v1.hyperpod-inference-operator.v1',
    });
  const run = async (id: string) =>
    (await s.portal.call(ALICE, 'GET', `/migrations/${id}`)).body as MigrationRunView;
  const lastEvent = (r: MigrationRunView) => r.journal[r.journal.length - 1]?.type;
  const settled = (id: string, want: string) =>
    eventually(
      () => run(id),
      (r) => !r.active && lastEvent(r) !== undefined && lastEvent(r) !== 'run-started',
      30_000,
    ).then((r) => {
      expect(lastEvent(r)).toBe(want);
      return r;
    });

  it('previews the plan (every step) and changes nothing', async () => {
    const r = await s.portal.call(ALICE, 'POST', `/clusters/${s.helm.name}/migrations/plan`, {});
    expect(r.status).toBe(200);
    const plan = r.body as MigrationPlan;
    expect(plan).toMatchObject({
      kind: 'MigrationPlan',
      profile: 'hyperpod-inference',
      cluster: { name: s.helm.name, arn: s.helm.arn },
      source: { release: 'hyperpod-inference-operator', namespace: 'kube-system' },
      target: { addonName: ADDON },
      blockers: [],
    });
    expect(plan.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['scale-down', 'create-addon', 'remove-helm-objects', 'mark-release']),
    );
    expect(s.p.sb.diff(before)).toEqual([]);
  });

  it('refuses bad input with 400 and unknown runs with 404', async () => {
    const plan = `/clusters/${s.helm.name}/migrations/plan`;
    const bad = [
      { profile: 'no-such-profile' },
      { addonVersion: 'v1' },
      { acceptDrops: 'image.tag' },
      { unknownField: true },
    ];
    for (const body of bad) {
      const r = await s.portal.call(ALICE, 'POST', plan, body);
      expect(r.status).toBe(400);
      expect(r.body.error.name).toBe('InputError');
    }
    const start = await s.portal.call(ALICE, 'POST', `/clusters/${s.helm.name}/migrations`, {
      addonVersion: 'newest',
    });
    expect(start.status).toBe(400);
    expect(start.body.error.message).toContain('addonVersion');
    expect((await s.portal.call(ALICE, 'GET', '/migrations/no-such-run')).status).toBe(404);
    expect((await s.portal.call(ALICE, 'GET', '/migrations/Not_A_Run')).status).toBe(400);
    expect(
      (await s.portal.call(ALICE, 'POST', '/migrations/no-such-run/rollback', {})).status,
    ).toBe(404);
    expect(
      (await s.portal.call(ALICE, 'POST', `/clusters/no-such-cluster/migrations/plan`, {})).status,
    ).toBe(404);
    expect(s.p.sb.diff(before)).toEqual([]);
  });

  it('refuses plan and start to a user without hyperpod.migration.run (403)', async () => {
    for (const path of [
      `/clusters/${s.helm.name}/migrations/plan`,
      `/clusters/${s.helm.name}/migrations`,
    ]) {
      const r = await s.portal.call(CAROL, 'POST', path, {});
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain('hyperpod.migration.run');
    }
    expect(s.p.sb.diff(before)).toEqual([]);
  });

  it('refuses a start while another run holds the cluster (409), changing nothing', async () => {
    const kube = s.p.sb.kube(s.helm.name);
    const now = new Date().toISOString().replace(/Z$/, '000Z');
    kube.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        namespace: 'kube-system',
        name: 'kubectl-hyperpod-migration',
        annotations: { 'kubectl-hyperpod.io/run': 'cli-run-1' },
      },
      spec: {
        holderIdentity: 'ops@laptop',
        acquireTime: now,
        renewTime: now,
        leaseDurationSeconds: 600,
      },
    });
    try {
      const r = await s.portal.call(ALICE, 'POST', `/clusters/${s.helm.name}/migrations`, {});
      expect(r.status).toBe(409);
      expect(r.body.error.message).toContain('ops@laptop (run cli-run-1)');
    } finally {
      kube.delete({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        namespace: 'kube-system',
        name: 'kubectl-hyperpod-migration',
      });
    }
    expect(s.p.sb.diff(before)).toEqual([]);
  });

  it('starts a migration that runs to the add-on ACTIVE, the backup kept server side', async () => {
    const helmData = (releaseSecret()!['data'] as Record<string, string>)['release']!;
    const headers = { 'Idempotency-Key': `start-${databaseId}-0001` };
    const started = await s.portal.call(
      ALICE,
      'POST',
      `/clusters/${s.helm.name}/migrations`,
      {},
      headers,
    );
    expect(started.status).toBe(202);
    runId = started.body.runId;
    expect(runId).toMatch(new RegExp(`^${s.helm.name}-\\d{8}-\\d{6}-[0-9a-z]{25}$`));
    // A retry with the same key gets the same run, not a second one.
    const replay = await s.portal.call(
      ALICE,
      'POST',
      `/clusters/${s.helm.name}/migrations`,
      {},
      headers,
    );
    expect(replay.status).toBe(202);
    expect(replay.body.runId).toBe(runId);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');

    const done = await settled(runId, 'run-succeeded');
    expect(done.startedBy).toBe(ALICE);
    expect(done.hasBackup).toBe(true);
    expect(done.summary).toMatchObject({
      runId,
      clusterName: s.helm.name,
      lastEvent: 'run-succeeded',
    });
    expect(done.journal[0]).toMatchObject({ type: 'run-started' });
    expect(done.journal.filter((e) => e.type === 'action-done').length).toBeGreaterThan(0);
    // The backup (with the Helm release secret) never leaves the server.
    const text = JSON.stringify(done);
    expect(done).not.toHaveProperty('backup');
    expect(text).not.toContain(helmData.slice(0, 64));

    await expectMigrated(s.p.sb, gatewaysFor(s.p.sb, s.helm.name), done.plan);
    const audit = auditor.events.filter((e) => e.meta.runId === runId);
    expect(audit.map((e) => [e.eventId, e.meta.action, e.meta.status, e.outcome])).toEqual([
      ['migration-run', 'start', 'succeeded', 'success'],
    ]);
  });

  it('lets readers see a run, and refuses its rollback to non-owners (403)', async () => {
    const seen = await s.portal.call(CAROL, 'GET', `/migrations/${runId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.summary.runId).toBe(runId);
    const r = await s.portal.call(CAROL, 'POST', `/migrations/${runId}/rollback`, {});
    expect(r.status).toBe(403);
    expect((await run(runId)).journal.some((e) => e.type === 'rollback-started')).toBe(false);
  });

  it('refuses a rollback while another process (a CLI, another replica) holds the cluster, even for this very run (409)', async () => {
    const cli = await MigrationLock.acquire(
      gatewaysFor(s.p.sb, s.helm.name).kube,
      'ops@laptop/pid-4242',
      runId,
    );
    try {
      const held = s.p.sb.snapshot();
      const r = await s.portal.call(ALICE, 'POST', `/migrations/${runId}/rollback`, {});
      expect(r.status).toBe(409);
      const message = r.body.error.message as string;
      expect(
        message.startsWith(
          `another migration holds this cluster: ${cli.holderIdentity} (run ${runId}) since `,
        ),
      ).toBe(true);
      expect(message).toMatch(
        /^another migration holds this cluster: ops@laptop\/pid-4242\/[0-9a-f]{12} /,
      );
      expect(message).toMatch(/; the lock expires at \S+ unless renewed; nothing was changed$/);
      expect((await run(runId)).journal.some((e) => e.type === 'rollback-started')).toBe(false);
      expect(s.p.sb.diff(held)).toEqual([]);
    } finally {
      await cli.release();
    }
  });

  it('rolls the run back: the Helm release and every object as before', async () => {
    const r = await s.portal.call(ALICE, 'POST', `/migrations/${runId}/rollback`, {});
    expect(r.status).toBe(202);
    expect(r.body.runId).toBe(runId);
    await settled(runId, 'rollback-done');
    expect(
      await gatewaysFor(s.p.sb, s.helm.name).eks.describeAddon(s.helm.name, ADDON),
    ).toBeUndefined();
    const secret = releaseSecret()!;
    expect(secret.metadata.labels?.['status']).toBe('deployed');
    expect(secret.metadata.labels?.['kubectl-hyperpod.io/migrated-to']).toBeUndefined();
    expect(s.p.sb.diff(before)).toEqual([]);
    // Once rolled back, there is nothing left to roll back.
    expect((await s.portal.call(ALICE, 'POST', `/migrations/${runId}/rollback`, {})).status).toBe(
      409,
    );
  });
});
