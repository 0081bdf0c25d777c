import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { InMemoryMigrationStore } from './InMemoryMigrationStore';
import { gatewayFailure } from './gatewayFailure';

const PROD = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';

const plan = {
  schemaVersion: 1,
  profile: 'inference-operator',
  steps: [{ id: 'create-role', actions: [{ id: 'iam-create-role', inverse: 'iam-delete-role' }] }],
};
const summary = (clusterArn: string, createdAt: string) => ({
  clusterName: clusterArn.split('/')[1]!,
  clusterArn,
  profile: 'inference-operator',
  createdAt,
});
const started: MigrationJournalEntry = {
  at: '2025-06-01T10:00:01.000Z',
  type: 'run-started',
  actor: 'alice@laptop',
};

/**
 * What every MigrationStore does is core-node's migrationStoreContract, run against this fake too
 * (packages/core-node/src/contract/migrationStore.contract.test.ts); here, what only the fake does.
 */
describe('InMemoryMigrationStore', () => {
  it('fails calls the way a test scripts', async () => {
    const store = new InMemoryMigrationStore();
    await store.create('run-1', plan, summary(PROD, '2025-06-01T10:00:00.000Z'));
    store.faults.fail({ kind: 'Unavailable', operation: 'append journal', times: 1 });
    expect(await gatewayFailure(store.append('run-1', started))).toMatchObject({
      kind: 'Unavailable',
      service: 'store',
    });
    await store.append('run-1', started);
    expect((await store.read('run-1'))!.journal).toEqual([started]);
  });
});
