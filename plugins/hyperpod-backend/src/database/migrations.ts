/**
 * The plugin's schema, as Knex migrations kept in code (a migration source) so the same list runs
 * from the built package and under tests. Portable across SQLite and PostgreSQL: times are ISO
 * strings for display and epoch milliseconds where the executor compares them.
 */
import type { Knex } from 'knex';
import { OPEN_REQUEST_STATES } from '@hyperpod/core';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: Migration[] = [
  {
    name: '20261121_001_init',
    async up(knex) {
      await knex.schema.createTable('hyperpod_upgrade_requests', (t) => {
        t.string('id', 36).primary();
        t.string('cluster_id', 300).notNullable().index();
        t.text('cluster_json').notNullable();
        t.string('addon_name', 100).notNullable();
        t.string('target', 100).notNullable();
        t.string('target_version', 100).notNullable();
        t.string('from_version', 100).notNullable();
        t.text('reason').notNullable();
        t.string('state', 20).notNullable().index();
        t.string('requested_by', 300).notNullable();
        t.string('decided_by', 300).nullable();
        t.string('created_at', 30).notNullable();
        t.string('updated_at', 30).notNullable();
        t.integer('attempts').notNullable().defaultTo(0);
        t.string('claimed_by', 100).nullable();
        t.bigInteger('heartbeat_at').nullable();
        /** The add-on as it was before the upgrade (version, configuration, role): server side only. */
        t.text('captured_json').nullable();
        t.text('outcome_json').nullable();
      });
      await knex.schema.createTable('hyperpod_request_transitions', (t) => {
        t.increments('seq').primary();
        t.string('request_id', 36).notNullable().index();
        t.string('at', 30).notNullable();
        t.string('actor', 300).notNullable();
        t.string('from_state', 20).nullable();
        t.string('to_state', 20).notNullable();
        t.text('note').nullable();
      });
      await knex.schema.createTable('hyperpod_idempotency_keys', (t) => {
        t.string('actor', 300).notNullable();
        t.string('key', 128).notNullable();
        t.string('fingerprint', 64).notNullable();
        t.integer('status').nullable();
        t.text('body').nullable();
        t.bigInteger('created_at').notNullable();
        t.primary(['actor', 'key']);
      });
      await knex.schema.createTable('hyperpod_cluster_reports', (t) => {
        t.string('cluster_id', 300).primary();
        t.text('report_json').notNullable();
        t.string('scanned_at', 30).notNullable();
      });
    },
    async down(knex) {
      for (const t of [
        'hyperpod_cluster_reports',
        'hyperpod_idempotency_keys',
        'hyperpod_request_transitions',
        'hyperpod_upgrade_requests',
      ])
        await knex.schema.dropTableIfExists(t);
    },
  },
  {
    name: '20261122_002_migration_runs',
    async up(knex) {
      await knex.schema.createTable('hyperpod_migration_runs', (t) => {
        t.string('run_id', 63).primary();
        /** The portal cluster (id, owner) the run is for: permissions are checked against it. */
        t.string('cluster_id', 300).notNullable().index();
        t.text('cluster_json').notNullable();
        t.string('cluster_name', 100).notNullable();
        t.string('cluster_arn', 300).notNullable().index();
        t.string('profile', 100).notNullable();
        t.string('started_by', 300).notNullable();
        t.string('created_at', 30).notNullable();
        t.text('plan_json').notNullable();
        /** Helm release secrets and objects as they were: server side only, never returned. */
        t.text('backup_json').nullable();
      });
      await knex.schema.createTable('hyperpod_migration_journal', (t) => {
        t.increments('seq').primary();
        t.string('run_id', 63).notNullable().index();
        t.string('at', 30).notNullable();
        t.string('type', 30).notNullable();
        t.text('entry_json').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTableIfExists('hyperpod_migration_journal');
      await knex.schema.dropTableIfExists('hyperpod_migration_runs');
    },
  },
  {
    /**
     * One open request per cluster and add-on, enforced by the database: a partial unique index
     * (SQLite and PostgreSQL both have them), so parallel creates cannot both pass the router's
     * check. Duplicates an older version let in are closed first (the most advanced one, then the
     * oldest, stays open), each with a transition saying why.
     */
    name: '20261206_003_one_open_request',
    async up(knex) {
      const rank = (state: string) =>
        ['running', 'needs-attention', 'approved', 'requested'].indexOf(state);
      const open = (await knex('hyperpod_upgrade_requests')
        .select('id', 'cluster_id', 'addon_name', 'state', 'created_at')
        .whereIn('state', [...OPEN_REQUEST_STATES])
        .orderBy('created_at')) as {
        id: string;
        cluster_id: string;
        addon_name: string;
        state: string;
      }[];
      const groups = new Map<string, typeof open>();
      for (const r of open) {
        const k = `${r.cluster_id}\u0000${r.addon_name}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const at = new Date().toISOString();
      for (const rows of groups.values()) {
        if (rows.length < 2) continue;
        // Rows come oldest first and the sort is stable: the oldest of the most advanced stays.
        const keep = [...rows].sort((a, b) => rank(a.state) - rank(b.state))[0]!;
        for (const r of rows) {
          if (r.id === keep.id) continue;
          await knex('hyperpod_upgrade_requests')
            .where({ id: r.id })
            .update({ state: 'cancelled', updated_at: at, claimed_by: null, heartbeat_at: null });
          await knex('hyperpod_request_transitions').insert({
            request_id: r.id,
            at,
            actor: 'hyperpod-backend',
            from_state: r.state,
            to_state: 'cancelled',
            note: `duplicate of open request ${keep.id} (one open request per cluster and add-on)`,
          });
        }
      }
      const states = OPEN_REQUEST_STATES.map((st) => `'${st}'`).join(', ');
      await knex.raw(
        `CREATE UNIQUE INDEX hyperpod_upgrade_requests_one_open ON hyperpod_upgrade_requests (cluster_id, addon_name) WHERE state IN (${states})`,
      );
    },
    async down(knex) {
      await knex.raw('DROP INDEX IF EXISTS hyperpod_upgrade_requests_one_open');
    },
  },
];

export const MIGRATIONS_TABLE = 'hyperpod_knex_migrations';

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};

export async function migrateDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource, tableName: MIGRATIONS_TABLE });
}
