import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type { PortalCluster } from '@hyperpod/core';
import { portalCluster } from '../service/FleetService';
import {
  HyperpodClusterEntityProvider,
  readHyperpodCatalogConfig,
} from './HyperpodClusterEntityProvider';

const a = portalCluster({ name: 'ml-a', region: 'us-east-1', accountId: '111111111111' });
const b = portalCluster({ name: 'ml-b', region: 'us-west-2', accountId: '111111111111' });

function connection() {
  const mutations: EntityProviderMutation[] = [];
  const conn: EntityProviderConnection = {
    applyMutation: async (m) => {
      mutations.push(m);
    },
    refresh: async () => undefined,
  };
  return { conn, mutations };
}

function names(m: EntityProviderMutation | undefined): string[] {
  if (m?.type !== 'full') throw new Error('expected a full mutation');
  return m.entities.map((d) => `${d.entity.kind}:${d.entity.metadata.name}`);
}

describe('HyperpodClusterEntityProvider', () => {
  it('replaces its whole set of entities on every refresh, so removed clusters leave the catalog', async () => {
    let fleet: PortalCluster[] = [a, b];
    const provider = new HyperpodClusterEntityProvider({
      list: async () => fleet,
      options: { defaultOwner: 'group:default/platform-team', groups: true, users: [] },
      logger: mockServices.logger.mock(),
    });
    const { conn, mutations } = connection();
    await provider.connect(conn);
    expect(mutations).toHaveLength(0);

    await provider.refresh();
    expect(names(mutations[0])).toEqual(['Resource:ml-a', 'Resource:ml-b', 'Group:platform-team']);
    const first = mutations[0] as Extract<EntityProviderMutation, { type: 'full' }>;
    expect(new Set(first.entities.map((d) => d.locationKey))).toEqual(
      new Set(['hyperpod-fleet:hyperpod-clusters']),
    );

    fleet = [b];
    await provider.refresh();
    expect(names(mutations[1])).toEqual(['Resource:ml-b', 'Group:platform-team']);
  });

  it('runs its refresh through the task runner it is given when the catalog connects', async () => {
    const runs: string[] = [];
    const provider = new HyperpodClusterEntityProvider({
      list: async () => [a],
      options: { defaultOwner: 'group:default/platform-team', groups: false, users: [] },
      logger: mockServices.logger.mock(),
      taskRunner: {
        run: async (task) => {
          runs.push(task.id);
          await task.fn(new AbortController().signal);
        },
      },
    });
    const { conn, mutations } = connection();
    await provider.connect(conn);
    expect(runs).toEqual(['hyperpod-clusters:refresh']);
    expect(names(mutations[0])).toEqual(['Resource:ml-a']);
  });
});

describe('readHyperpodCatalogConfig', () => {
  it('defaults every key', () => {
    expect(readHyperpodCatalogConfig(new ConfigReader({}))).toEqual({
      defaultOwner: 'group:default/platform-team',
      groups: true,
      users: [],
      schedule: { frequency: { minutes: 10 }, timeout: { minutes: 3 } },
    });
  });

  it('reads users, owner, groups and schedule', () => {
    const c = readHyperpodCatalogConfig(
      new ConfigReader({
        catalog: {
          providers: {
            hyperpod: {
              defaultOwner: 'group:default/sre',
              groups: false,
              users: [{ name: 'guest', memberOf: ['group:default/ml-platform'] }],
              schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
            },
          },
        },
      }),
    );
    expect(c).toEqual({
      defaultOwner: 'group:default/sre',
      groups: false,
      users: [{ name: 'guest', memberOf: ['group:default/ml-platform'] }],
      schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
    });
  });

  it('names the key of a bad entity ref', () => {
    expect(() =>
      readHyperpodCatalogConfig(
        new ConfigReader({
          catalog: {
            providers: { hyperpod: { users: [{ name: 'guest', memberOf: ['not a ref'] }] } },
          },
        }),
      ),
    ).toThrow('catalog.providers.hyperpod.users[0].memberOf');
  });
});
