/**
 * The MigrationStore contract (core-node's migrationStoreContract, also run against the in-memory
 * fake and the CLI's file store) against the backend's Knex store, on SQLite and PostgreSQL.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { migrationStoreContract } from '@hyperpod/core-node';
import { KnexMigrationStore } from './KnexMigrationStore';
import { migrateDatabase } from './migrations';

process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

for (const [databaseId] of databases.eachSupportedId()) {
  migrationStoreContract(`KnexMigrationStore on ${databaseId}`, async () => {
    const knex = await databases.init(databaseId);
    await migrateDatabase(knex);
    const store = new KnexMigrationStore(knex).forCluster(
      { id: 'us-east-1/contract', name: 'contract', region: 'us-east-1' },
      'user:default/alice',
    );
    // TestDatabases closes its databases after the file.
    return { store, teardown: async () => {} };
  });
}
