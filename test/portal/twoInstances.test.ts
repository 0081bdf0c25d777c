/**
 * Two backend instances on one PostgreSQL database (as two replicas in production): both poll for
 * approved requests at the same moment, again and again; the request is claimed and executed by
 * exactly one of them.
 */
import type { UpgradeRequest } from '@hyperpod/core';
import knexFactory from 'knex';
import { ALICE, BOB, eventually, LATEST, upgradeBody, type Portal } from './support';
import { portalDatabases, usePortal } from './usePortal';

const databases = portalDatabases(['POSTGRES_15']);
const EXECUTOR_TASK = 'hyperpod-upgrade-executor';

const s = usePortal({ prefix: 'two', knex: () => databases.init('POSTGRES_15') });
let a: Portal;
let b: Portal;
let second: ReturnType<typeof knexFactory>;

beforeAll(async () => {
  a = s.portal;
  // The same database through a second connection pool: what a second replica has.
  second = knexFactory(s.knex.client.config);
  b = await s.replica(second);
});
// After the suite's own afterAll (declared first): the replica is stopped by then.
afterAll(() => second?.destroy());

it('executes an approved request exactly once', async () => {
  const created = await a.call(ALICE, 'POST', '/requests', upgradeBody(s.p, 'two replicas'));
  expect(created.status).toBe(201);
  const id = (created.body as UpgradeRequest).id;
  // Both replicas see the request (one database).
  expect((await b.call(BOB, 'GET', `/requests/${id}`)).body.state).toBe('requested');
  const updatesBefore = s.p.sb.awsCallStats().byOperation['eks.UpdateAddon'] ?? 0;

  // Approve on B (which starts B's executor), and have both poll at once, many times.
  const approve = b.call(BOB, 'POST', `/requests/${id}/approve`, {});
  await Promise.all(
    Array.from({ length: 10 }, () => [
      a.scheduler.triggerTask(EXECUTOR_TASK),
      b.scheduler.triggerTask(EXECUTOR_TASK),
    ]).flat(),
  );
  expect((await approve).status).toBe(200);

  const done = await eventually(
    async () => (await a.call(ALICE, 'GET', `/requests/${id}`)).body as UpgradeRequest,
    (r) => r.state !== 'approved' && r.state !== 'running',
  );
  // More polls after the end must not start it again.
  await Promise.all([
    a.scheduler.triggerTask(EXECUTOR_TASK),
    b.scheduler.triggerTask(EXECUTOR_TASK),
  ]);

  expect(done.state).toBe('succeeded');
  expect(done.attempts).toBe(1);
  expect(done.history.filter((h) => h.to === 'running')).toHaveLength(1);
  expect(done.outcome?.hopsDone).toEqual(['v1.19.5-eksbuild.3', LATEST]);
  // Two hops, one UpdateAddon each: nothing ran twice.
  expect((s.p.sb.awsCallStats().byOperation['eks.UpdateAddon'] ?? 0) - updatesBefore).toBe(2);
});
