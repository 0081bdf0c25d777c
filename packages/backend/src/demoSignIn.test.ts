/**
 * The demo sign-in in a backend with the auth and catalog plugins: each listed demo user gets a
 * token whose ownership claims are their catalog groups (what the demo policy checks); anyone
 * else, and every user when the provider is not allowed outside development, is refused.
 */
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authBackend from '@backstage/plugin-auth-backend';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { catalogModuleHyperpodClusters } from '@hyperpod/plugin-hyperpod-backend';
import knexFactory, { type Knex } from 'knex';
import { authModuleHyperpodDemoProvider, DEMO_USER_HEADER } from './demoSignIn';

function config(allowOutsideDevelopment: boolean) {
  return {
    app: { baseUrl: 'http://localhost:3000' },
    auth: {
      providers: {
        'hyperpod-demo': {
          users: ['guest', 'user:default/approver'],
          dangerouslyAllowOutsideDevelopment: allowOutsideDevelopment,
        },
      },
    },
    catalog: {
      providers: {
        hyperpod: {
          users: [
            { name: 'guest', memberOf: ['group:default/ml-platform'] },
            { name: 'approver', memberOf: ['group:default/platform-approvers'] },
            { name: 'mallory', memberOf: ['group:default/platform-approvers'] },
          ],
        },
      },
    },
  };
}

async function start(allowOutsideDevelopment: boolean) {
  // A database per plugin, as in a real backend, destroyed in `stop`: the catalog never closes
  // its own, and an open one keeps jest from exiting.
  const clients: Knex[] = [];
  const database = createServiceFactory({
    service: coreServices.database,
    deps: {},
    factory: () => {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
        // The catalog's processing loop may still ask for a connection after `stop`: fail fast.
        acquireConnectionTimeout: 1000,
      });
      clients.push(knex);
      return { getClient: async () => knex };
    },
  });
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({ data: config(allowOutsideDevelopment) }),
      database,
      authBackend,
      authModuleHyperpodDemoProvider,
      catalogBackend,
      catalogModuleHyperpodClusters,
    ],
  });
  const base = `http://localhost:${(backend.server.address() as { port: number }).port}`;
  const signIn = (user?: string) =>
    fetch(`${base}/api/auth/hyperpod-demo/refresh`, {
      headers: user ? { [DEMO_USER_HEADER]: user } : {},
    });
  return {
    signIn,
    stop: async () => {
      await backend.stop();
      // Let the catalog's in-flight processing finish before its database goes.
      await new Promise((r) => setTimeout(r, 1500));
      await Promise.all(clients.map((c) => c.destroy()));
    },
  };
}

/** Signs in once the catalog has stitched the user (a few hundred ms after start). */
async function signInWhenReady(signIn: (u?: string) => Promise<Response>, user: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await signIn(user);
    const body = (await res.json()) as {
      backstageIdentity?: { identity: { ownershipEntityRefs: string[] } };
    };
    const refs = body.backstageIdentity?.identity.ownershipEntityRefs ?? [];
    if (res.status === 200 && refs.length > 1) return body.backstageIdentity!.identity;
    if (Date.now() > deadline) throw new Error(`no sign-in: ${res.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the hyperpod-demo sign-in provider', () => {
  it('signs in each listed user with their catalog groups, and only them', async () => {
    const portal = await start(true);
    try {
      expect(await signInWhenReady(portal.signIn, 'approver')).toEqual({
        type: 'user',
        userEntityRef: 'user:default/approver',
        ownershipEntityRefs: ['user:default/approver', 'group:default/platform-approvers'],
      });
      expect(await signInWhenReady(portal.signIn, 'user:default/guest')).toMatchObject({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: ['user:default/guest', 'group:default/ml-platform'],
      });
      // In the catalog, but not a demo user.
      expect((await portal.signIn('mallory')).status).toBe(403);
      expect((await portal.signIn()).status).toBe(401);
    } finally {
      await portal.stop();
    }
  });

  it('refuses everyone outside development unless explicitly allowed', async () => {
    const portal = await start(false);
    try {
      const res = await portal.signIn('approver');
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).toContain('NODE_ENV=development');
    } finally {
      await portal.stop();
    }
  });
});
