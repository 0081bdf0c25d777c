/**
 * Two backend instances on one PostgreSQL database (as two replicas in production): both poll for
 * approved requests at the same moment, again and again; the request is claimed and executed by
 * exactly one of them.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import type { UpgradeRequest } from '@hyperpod/core';
import knexFactory from 'knex';
import {
  eventually,
  LATEST,
  portalConfig,
  portalSandbox,
  startPortal,
  VPC_CNI,
  type Portal,
  type PortalSandbox,
} from './support';

process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const EXECUTOR_TASK = 'hyperpod-upgrade-executor';

let p: PortalSandbox;
let a: Portal;
let b: Portal;
let second: ReturnType<typeof knexFactory>;

beforeAll(async () => {
  p = await portalSandbox('two');
  const first = await databases.init('POSTGRES_15');
  // The same database through a second connection pool: what a second replica has.
  second = knexFactory(first.client.config);
  a = await startPortal({ config: portalConfig(p), knex: first });
  b = await startPortal({ config: portalConfig(p), knex: second });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await p?.sb.stop();
  p?.restoreEnv();
});

it('executes an approved request exactly once', async () => {
  const created = await a.call('user:default/alice', 'POST', '/requests', {
    cluster: p.owned.name,
    addonName: VPC_CNI,
    target: 'latest',
    reason: 'two replicas',
  });
  expect(created.status).toBe(201);
  const id = (created.body as UpgradeRequest).id;
  // Both replicas see the request (one database).
  expect((await b.call('user:default/bob', 'GET', `/requests/${id}`)).body.state).toBe('requested');
  const updatesBefore = p.sb.awsCallStats().byOperation['eks.UpdateAddon'] ?? 0;

  // Approve on B (which starts B's executor), and have both poll at once, many times.
  const approve = b.call('user:default/bob', 'POST', `/requests/${id}/approve`, {});
  await Promise.all(
    Array.from({ length: 10 }, () => [
      a.scheduler.triggerTask(EXECUTOR_TASK),
      b.scheduler.triggerTask(EXECUTOR_TASK),
    ]).flat(),
  );
  expect((await approve).status).toBe(200);

  const done = await eventually(
    async () =>
      (await a.call('user:default/alice', 'GET', `/requests/${id}`)).body as UpgradeRequest,
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
  expect((p.sb.awsCallStats().byOperation['eks.UpdateAddon'] ?? 0) - updatesBefore).toBe(2);
});
