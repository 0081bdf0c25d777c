/**
 * The portal's migration API applies the CLI's guard rules (one rule in the core): an
 * `acceptDrops` key the plan does not drop, or an `allowReleaseStatus` the release is not in, is a
 * 400 naming it with no run started; a release stuck in pending-upgrade blocks the plan with the
 * exact rollback, and an explicit override is recorded with the user's entity ref.
 */
import { writeFileSync } from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { MigrationPlan } from '@hyperpod/core';
import {
  inferenceOperatorReleaseSeed,
  seedHelmInferenceCluster,
  type SandboxCluster,
  type SandboxSnapshot,
} from '@hyperpod/sandbox';
import type { Knex } from 'knex';
import {
  capturingAuditor,
  portalConfig,
  portalSandbox,
  profileOf,
  startPortal,
  TEAM_A,
  type Portal,
  type PortalSandbox,
} from './support';

const ALICE = 'user:default/alice';
const CLUSTER = 'mgd-pending-use1';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('portal migration guard', () => {
  let p: PortalSandbox;
  let cluster: SandboxCluster;
  let portal: Portal;
  let knex: Knex;
  let before: SandboxSnapshot;
  const auditor = capturingAuditor();

  beforeAll(async () => {
    p = await portalSandbox('mgd');
    // Revision 2 deployed, revision 3 an upgrade that never finished; a value the add-on has no
    // place for (image.tag).
    await seedHelmInferenceCluster(
      p.sb,
      { account: 'prod', region: 'us-east-1', name: CLUSTER, version: '1.31' },
      (values) =>
        inferenceOperatorReleaseSeed({
          revisions: [
            {
              status: 'superseded',
              chartVersion: '2.1.0',
              values,
              description: 'Install complete',
            },
            { status: 'deployed', chartVersion: '2.2.2', values, description: 'Upgrade complete' },
            {
              status: 'pending-upgrade',
              chartVersion: '2.2.2',
              values: { ...values, image: { tag: 'v3.2-patched' } },
              description: 'Preparing upgrade',
            },
          ],
        }),
    );
    writeFileSync(p.kubeconfig, p.sb.kubeconfig(), { mode: 0o600 });
    cluster = p.sb.cluster(CLUSTER);
    const config = portalConfig(p);
    config.hyperpod.fleet.clusters.push({
      name: cluster.name,
      region: cluster.region,
      accountId: cluster.accountId,
      profile: profileOf(p.sb, cluster),
      context: cluster.context,
      owner: TEAM_A,
    });
    knex = await databases.init('SQLITE_3');
    portal = await startPortal({ config, knex, extra: [auditor.factory] });
    before = p.sb.snapshot();
  });
  afterAll(async () => {
    await portal?.stop();
    await p?.sb.stop();
    p?.restoreEnv();
  });

  const nothingStarted = async () => {
    expect(p.sb.diff(before)).toEqual([]);
    expect(await knex('hyperpod_migration_runs').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(auditor.events.filter((e) => e.eventId === 'migration-run')).toEqual([]);
  };

  it('a start whose acceptDrops names a key that is not dropped: 400 naming it, no run started', async () => {
    const r = await portal.call(ALICE, 'POST', `/clusters/${CLUSTER}/migrations`, {
      acceptDrops: ['image.tag', 'image.tagg'],
      allowReleaseStatus: ['pending-upgrade'],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.name).toBe('InputError');
    expect(r.body.error.message).toMatch(
      /^invalid migration body: acceptDrops "image\.tagg" names no value this migration drops \(the release's values have no image\.tagg\); it drops: image\.tag; nothing was started$/,
    );
    await nothingStarted();
  });

  it('the plan preview refuses the same (400), and an allowReleaseStatus the release is not in', async () => {
    const plan = `/clusters/${CLUSTER}/migrations/plan`;
    const drop = await portal.call(ALICE, 'POST', plan, { acceptDrops: ['tolerations'] });
    expect(drop.status).toBe(400);
    expect(drop.body.error.message).toContain('acceptDrops "tolerations" names no value');
    const status = await portal.call(ALICE, 'POST', plan, { allowReleaseStatus: ['failed'] });
    expect(status.status).toBe(400);
    expect(status.body.error.message).toContain(
      'allowReleaseStatus "failed" overrides nothing: Helm release kube-system/hyperpod-inference-operator is pending-upgrade (revision 3)',
    );
    await nothingStarted();
  });

  it('a pending-upgrade release blocks with the exact rollback; the override is recorded with the user', async () => {
    const plan = `/clusters/${CLUSTER}/migrations/plan`;
    const blocked = (await portal.call(ALICE, 'POST', plan, { acceptDrops: ['image.tag'] }))
      .body as MigrationPlan;
    expect(blocked.blockers).toEqual([
      expect.stringContaining(
        'roll it back to revision 2, the last deployed one: helm rollback hyperpod-inference-operator 2 -n kube-system',
      ),
    ]);
    const start = await portal.call(ALICE, 'POST', `/clusters/${CLUSTER}/migrations`, {
      acceptDrops: ['image.tag'],
    });
    expect(start.status).toBe(409);
    expect(start.body.error.message).toContain('helm rollback hyperpod-inference-operator 2');

    const r = await portal.call(ALICE, 'POST', plan, {
      acceptDrops: ['image.tag'],
      allowReleaseStatus: ['pending-upgrade'],
    });
    expect(r.status).toBe(200);
    const allowed = r.body as MigrationPlan;
    expect(allowed.blockers).toEqual([]);
    expect(allowed.overrides).toEqual([
      {
        blocker: 'release-status:pending-upgrade',
        message: expect.stringContaining('helm rollback hyperpod-inference-operator 2'),
        by: ALICE,
        at: allowed.createdAt,
      },
    ]);
    await nothingStarted();
  });
});
