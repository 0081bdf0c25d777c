/**
 * One open upgrade request per cluster and add-on, on SQLite and on PostgreSQL, under a burst of
 * parallel creates without Idempotency-Key (each passes the router's "is one open?" check before
 * any has inserted): the database's partial unique index lets exactly one in, the rest get 409
 * naming it. Once it is closed, a new one may be created.
 */
import { ALICE, upgradeBody, VPC_CNI } from './support';
import { portalDatabases, usePortal } from './usePortal';

const PARALLEL = 100;

const databases = portalDatabases(['SQLITE_3', 'POSTGRES_15']);

describe.each(databases.eachSupportedId())('open requests on %p', (databaseId) => {
  // No executor: the requests stay open for the test to count.
  const s = usePortal({
    prefix: databaseId === 'SQLITE_3' ? 'osq' : 'opg',
    knex: () => databases.init(databaseId),
    executor: false,
  });

  const create = () => s.portal.call(ALICE, 'POST', '/requests', upgradeBody(s.p, 'parallel'));

  it(`lets exactly one of ${PARALLEL} parallel creates in`, async () => {
    const answers = await Promise.all(Array.from({ length: PARALLEL }, create));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const id = created[0]!.body.id as string;
    const others = answers.filter((a) => a.status !== 201);
    expect(new Set(others.map((a) => a.status))).toEqual(new Set([409]));
    for (const a of others) expect(a.body.error.message).toContain('already has an open request');
    // Those that lost to the index (not to the router's check) also name the open request.
    expect(others.every((a) => (a.body.error.message as string).includes(id))).toBe(true);

    const open = await s.portal.call(
      ALICE,
      'GET',
      `/requests?cluster=${s.p.owned.name}&addon=${VPC_CNI}`,
    );
    expect(open.body.items.map((r: { id: string }) => r.id)).toEqual([id]);

    // Closed, it no longer blocks: the next create is the new open one.
    expect((await s.portal.call(ALICE, 'POST', `/requests/${id}/cancel`, {})).status).toBe(200);
    const next = await create();
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(id);
  });
});
