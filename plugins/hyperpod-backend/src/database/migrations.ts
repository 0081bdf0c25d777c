/**
 * The plugin's schema, as Knex migrations kept in code (a migration source) so the same list runs
 * from the built package and under tests. Portable across SQLite and PostgreSQL: times are ISO
 * strings for display and epoch milliseconds where the executor compares them.
 */
import type { Knex } from 'knex';

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
];

const source: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};

export async function migrateDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource: source, tableName: 'hyperpod_knex_migrations' });
}
