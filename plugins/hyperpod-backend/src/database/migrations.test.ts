/**
 * The schema's migrations on SQLite and PostgreSQL: the one-open-request index closes duplicates
 * an older version let in (keeping the most advanced, then the oldest) and refuses new ones.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { MIGRATIONS_TABLE, migrateDatabase, migrationSource } from './migrations';

process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function row(id: string, state: string, createdAt: string, addon = 'vpc-cni') {
  return {
    id,
    cluster_id: 'arn:aws:eks:us-east-1:111122223333:cluster/a',
    cluster_json: '{}',
    addon_name: addon,
    target: 'latest',
    target_version: 'v1.20.0-eksbuild.1',
    from_version: 'v1.18.6-eksbuild.1',
    reason: 'r',
    state,
    requested_by: 'user:default/alice',
    created_at: createdAt,
    updated_at: createdAt,
    attempts: 0,
  };
}

describe.each(databases.eachSupportedId())('plugin schema on %p', (databaseId) => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await databases.init(databaseId);
  });

  it('closes duplicate open requests, then refuses a second open one per add-on', async () => {
    const opts = { migrationSource, tableName: MIGRATIONS_TABLE };
    await knex.migrate.up(opts);
    await knex.migrate.up(opts);
    await knex('hyperpod_upgrade_requests').insert([
      row('r1', 'requested', '2026-12-01T00:00:00.000Z'),
      row('r2', 'approved', '2026-12-02T00:00:00.000Z'),
      row('r3', 'requested', '2026-12-03T00:00:00.000Z'),
      row('r4', 'succeeded', '2026-12-04T00:00:00.000Z'),
      row('r5', 'requested', '2026-12-05T00:00:00.000Z', 'coredns'),
    ]);
    await migrateDatabase(knex);
    const states = Object.fromEntries(
      (await knex('hyperpod_upgrade_requests').select('id', 'state')).map((r) => [r.id, r.state]),
    );
    expect(states).toEqual({
      r1: 'cancelled',
      r2: 'approved',
      r3: 'cancelled',
      r4: 'succeeded',
      r5: 'requested',
    });
    const notes = await knex('hyperpod_request_transitions').select('request_id', 'note');
    expect(notes.map((n) => n.request_id).sort()).toEqual(['r1', 'r3']);
    expect(notes[0].note).toContain('duplicate of open request r2');

    // The index is there (the refusal of parallel creates is test/portal/openRequests.test.ts).
    const indexes =
      databaseId === 'SQLITE_3'
        ? await knex.raw(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'hyperpod_upgrade_requests_one_open'",
          )
        : (
            await knex.raw(
              "SELECT indexname AS name FROM pg_indexes WHERE indexname = 'hyperpod_upgrade_requests_one_open'",
            )
          ).rows;
    expect(indexes).toHaveLength(1);
    // A closed one is no obstacle.
    await knex('hyperpod_upgrade_requests').insert(
      row('r7', 'rejected', '2026-12-06T00:00:00.000Z'),
    );
  });
});
