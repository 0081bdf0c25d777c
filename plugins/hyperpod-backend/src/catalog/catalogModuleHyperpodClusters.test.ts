/**
 * The module in a real catalog backend: the configured fleet becomes Resource entities the
 * catalog accepts and stitches, with ownedBy relations to the owner groups and memberOf relations
 * from the users (what sign-in reads for ownership claims).
 */
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { HYPERPOD_CLUSTER_ARN_ANNOTATION } from '@hyperpod/core';
import knexFactory from 'knex';
import { catalogModuleHyperpodClusters } from './catalogModuleHyperpodClusters';

const config = {
  hyperpod: {
    fleet: {
      clusters: [
        {
          name: 'ml-prod-use1',
          region: 'us-east-1',
          accountId: '111111111111',
          owner: 'group:default/ml-platform',
        },
        { name: 'ml-dev-use1', region: 'us-east-1', accountId: '222222222222' },
      ],
    },
  },
  catalog: {
    providers: {
      hyperpod: {
        defaultOwner: 'group:default/research',
        users: [{ name: 'guest', memberOf: ['group:default/ml-platform'] }],
      },
    },
  },
};

/** The entities matching `filter` once `count` of them are stitched (have relations). */
async function waitForEntities(base: string, filter: string, count: number): Promise<Entity[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${base}/api/catalog/entities?filter=${encodeURIComponent(filter)}`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    const entities = (res.ok ? await res.json() : []) as Entity[];
    const stitched = entities.filter((e) => (e.relations ?? []).length > 0);
    if (stitched.length >= count) return entities;
    if (Date.now() > deadline) throw new Error(`catalog has ${JSON.stringify(entities)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('catalogModuleHyperpodClusters', () => {
  it('puts the fleet, its owner groups and the users into the catalog with their relations', async () => {
    // Our own client, destroyed below: the catalog never closes its database, and an open one
    // keeps jest from exiting.
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
      // The catalog's processing loop may still ask for a connection after `stop`: fail fast.
      acquireConnectionTimeout: 1000,
    });
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: config }),
        mockServices.database.factory({ knex, migrations: { skip: false } }),
        catalogBackend,
        catalogModuleHyperpodClusters,
      ],
    });
    const base = `http://localhost:${(backend.server.address() as { port: number }).port}`;
    try {
      const clusters = await waitForEntities(base, 'kind=resource', 2);
      const byName = Object.fromEntries(clusters.map((e) => [e.metadata.name, e]));
      expect(byName['ml-prod-use1']!.metadata.annotations![HYPERPOD_CLUSTER_ARN_ANNOTATION]).toBe(
        'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
      );
      expect(byName['ml-prod-use1']!.relations).toContainEqual({
        type: 'ownedBy',
        targetRef: 'group:default/ml-platform',
      });
      expect(byName['ml-dev-use1']!.relations).toContainEqual({
        type: 'ownedBy',
        targetRef: 'group:default/research',
      });

      const [guest] = await waitForEntities(base, 'kind=user', 1);
      expect(guest!.relations).toContainEqual({
        type: 'memberOf',
        targetRef: 'group:default/ml-platform',
      });
      const groups = await waitForEntities(base, 'kind=group', 2);
      expect(groups.map((g) => g.metadata.name).sort()).toEqual(['ml-platform', 'research']);
    } finally {
      await backend.stop();
      // Let the catalog's in-flight processing finish before its database goes.
      await new Promise((r) => setTimeout(r, 1500));
      await knex.destroy();
    }
  });
});
