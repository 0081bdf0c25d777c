/**
 * The MigrationStore contract against the in-memory fake and the CLI's file store (the backend's
 * Knex store runs it in plugins/hyperpod-backend, on SQLite and PostgreSQL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryMigrationStore } from '@hyperpod/core';
import { FileMigrationStore } from '../migrate/FileMigrationStore';
import { migrationStoreContract } from './migrationStoreContract';

migrationStoreContract('InMemoryMigrationStore', async () => ({
  store: new InMemoryMigrationStore(),
  teardown: async () => {},
}));

migrationStoreContract('FileMigrationStore', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-store-contract-'));
  return {
    store: new FileMigrationStore({ root: path.join(dir, 'migrations') }),
    teardown: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
