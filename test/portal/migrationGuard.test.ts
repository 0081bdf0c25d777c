/**
 * The portal's migration API applies the CLI's guard rules (one rule in the core): an
 * `acceptDrops` key the plan does not drop, or an `allowReleaseStatus` the release is not in, is a
 * 400 naming it with no run started; a release stuck in pending-upgrade blocks the plan with the
 * exact rollback, and an explicit override is recorded with the user's entity ref.
 */
import type { MigrationPlan } from '@hyperpod/core';
import type { SandboxSnapshot } from '@hyperpod/sandbox';
import { ALICE, capturingAuditor } from './support';
import { portalDatabases, usePortal } from './usePortal';

const CLUSTER = 'mgd-pending-use1';

const databases = portalDatabases(['SQLITE_3']);

describe('portal migration guard', () => {
  let before: SandboxSnapshot;
  const auditor = capturingAuditor();
  const s = usePortal({
    prefix: 'mgd',
    knex: () => databases.init('SQLITE_3'),
    // Revision 2 deployed, revision 3 an upgrade that never finished; a value the add-on has no
    // place for (image.tag).
    helm: {
      name: CLUSTER,
      revisions: (values) => [
        { status: 'superseded', chartVersion: '2.1.0', values, description: 'Install complete' },
        { status: 'deployed', chartVersion: '2.2.2', values, description: 'Upgrade complete' },
        {
          status: 'pending-upgrade',
          chartVersion: '2.2.2',
          values: { ...values, image: { tag: 'v3.2-patched' } },
          description: 'Preparing upgrade',
        },
      ],
    },
    extra: [auditor.factory],
  });
  beforeAll(() => {
    before = s.p.sb.snapshot();
  });

  const nothingStarted = async () => {
    expect(s.p.sb.diff(before)).toEqual([]);
    expect(await s.knex('hyperpod_migration_runs').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(auditor.events.filter((e) => e.eventId === 'migration-run')).toEqual([]);
  };

  it('a start whose acceptDrops names a key that is not dropped: 400 naming it, no run started', async () => {
    const r = await s.portal.call(ALICE, 'POST', `/clusters/${CLUSTER}/migrations`, {
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
    const drop = await s.portal.call(ALICE, 'POST', plan, { acceptDrops: ['tolerations'] });
    expect(drop.status).toBe(400);
    expect(drop.body.error.message).toContain('acceptDrops "tolerations" names no value');
    const status = await s.portal.call(ALICE, 'POST', plan, { allowReleaseStatus: ['failed'] });
    expect(status.status).toBe(400);
    expect(status.body.error.message).toContain(
      'allowReleaseStatus "failed" overrides nothing: Helm release kube-system/hyperpod-inference-operator is pending-upgrade (revision 3)',
    );
    await nothingStarted();
  });

  it('a pending-upgrade release blocks with the exact rollback; the override is recorded with the user', async () => {
    const plan = `/clusters/${CLUSTER}/migrations/plan`;
    const blocked = (await s.portal.call(ALICE, 'POST', plan, { acceptDrops: ['image.tag'] }))
      .body as MigrationPlan;
    expect(blocked.blockers).toEqual([
      expect.stringContaining(
        'roll it back to revision 2, the last deployed one: helm rollback hyperpod-inference-operator 2 -n kube-system',
      ),
    ]);
    const start = await s.portal.call(ALICE, 'POST', `/clusters/${CLUSTER}/migrations`, {
      acceptDrops: ['image.tag'],
    });
    expect(start.status).toBe(409);
    expect(start.body.error.message).toContain('helm rollback hyperpod-inference-operator 2');

    const r = await s.portal.call(ALICE, 'POST', plan, {
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
