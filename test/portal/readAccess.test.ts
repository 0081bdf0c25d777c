/**
 * Every endpoint with a user allowed and a user denied, under a policy that limits even reading
 * to a cluster's owners (the ownership rule resolved by the permission backend through the
 * plugin's resource type): what a user may not read does not exist for them (404, filtered
 * lists), and nothing they send changes anything.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  HYPERPOD_CLUSTER_RESOURCE_TYPE,
  hyperpodUpgradeApprovePermission,
  type UpgradeRequest,
} from '@hyperpod/core';
import {
  createHyperpodClusterConditionalDecision,
  hyperpodClusterConditions,
} from '@hyperpod/plugin-hyperpod-backend';
import {
  APPROVERS,
  portalConfig,
  portalSandbox,
  startPortal,
  VPC_CNI,
  type Portal,
  type PortalSandbox,
} from './support';

const ALICE = 'user:default/alice'; // team-a: owns the `owned` cluster
const CAROL = 'user:default/carol'; // owns nothing

class OwnersOnlyPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const p = request.permission;
    if (isPermission(p, hyperpodUpgradeApprovePermission)) {
      return { result: claims.includes(APPROVERS) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isResourcePermission(p, HYPERPOD_CLUSTER_RESOURCE_TYPE)) {
      return createHyperpodClusterConditionalDecision(
        p,
        hyperpodClusterConditions.isClusterOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const ownersOnly = createBackendModule({
  pluginId: 'permission',
  moduleId: 'owners-only-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OwnersOnlyPolicy());
      },
    });
  },
});

process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
let p: PortalSandbox;
let portal: Portal;
let request: UpgradeRequest;

describe.each(databases.eachSupportedId())('on %p', (databaseId) => {
  beforeAll(async () => {
    p = await portalSandbox('acl');
    portal = await startPortal({
      config: portalConfig(p),
      knex: await databases.init(databaseId),
      policy: ownersOnly,
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await p?.sb.stop();
    p?.restoreEnv();
  });

  const owned = () => encodeURIComponent(p.owned.name);

  it('GET /fleet shows each user only the clusters they may read', async () => {
    const alice = await portal.call(ALICE, 'GET', '/fleet');
    expect(alice.body.clusters.map((c: { name: string }) => c.name)).toEqual([p.owned.name]);
    expect(alice.body.totals.clusters).toBe(1);
    const carol = await portal.call(CAROL, 'GET', '/fleet');
    expect(carol.status).toBe(200);
    expect(carol.body.clusters).toEqual([]);
    expect(carol.body.totals.clusters).toBe(0);
  });

  it('POST /fleet/refresh scans only readable clusters', async () => {
    expect((await portal.call(ALICE, 'POST', '/fleet/refresh')).body).toEqual({ scanned: 1 });
    expect((await portal.call(CAROL, 'POST', '/fleet/refresh')).body).toEqual({ scanned: 0 });
  });

  it('GET /clusters/:cluster: the report for an owner, 404 for others', async () => {
    const alice = await portal.call(ALICE, 'GET', `/clusters/${owned()}`);
    expect(alice.status).toBe(200);
    expect(alice.body.cluster).toMatchObject({ name: p.owned.name, owner: 'group:default/team-a' });
    expect(alice.body.report.addons.map((a: { name: string }) => a.name)).toContain(VPC_CNI);
    const carol = await portal.call(CAROL, 'GET', `/clusters/${owned()}`);
    expect(carol.status).toBe(404);
    expect(carol.body.error.message).toMatch(/no cluster/);
    // By ARN too.
    const byArn = await portal.call(ALICE, 'GET', `/clusters/${encodeURIComponent(p.owned.arn)}`);
    expect(byArn.body.cluster.name).toBe(p.owned.name);
  });

  it('POST /clusters/:cluster/refresh rescans for an owner only', async () => {
    const alice = await portal.call(ALICE, 'POST', `/clusters/${owned()}/refresh`);
    expect(alice.status).toBe(200);
    expect(alice.body.cluster.name).toBe(p.owned.name);
    expect((await portal.call(CAROL, 'POST', `/clusters/${owned()}/refresh`)).status).toBe(404);
  });

  it('GET versions for an owner only', async () => {
    const path = `/clusters/${owned()}/addons/${VPC_CNI}/versions`;
    expect((await portal.call(ALICE, 'GET', path)).body.installed).toBe('v1.18.6-eksbuild.1');
    expect((await portal.call(CAROL, 'GET', path)).status).toBe(404);
  });

  it('POST /requests: created by an owner; 404 for a user who may not read the cluster', async () => {
    const body = {
      cluster: p.owned.name,
      addonName: VPC_CNI,
      target: 'latest',
      reason: 'acl test',
    };
    const carol = await portal.call(CAROL, 'POST', '/requests', body);
    expect(carol.status).toBe(404);
    const alice = await portal.call(ALICE, 'POST', '/requests', body);
    expect(alice.status).toBe(201);
    request = alice.body;
  });

  it('GET /requests and /requests/:id hide requests on unreadable clusters', async () => {
    expect(
      (await portal.call(ALICE, 'GET', '/requests')).body.items.map((r: UpgradeRequest) => r.id),
    ).toEqual([request.id]);
    expect((await portal.call(CAROL, 'GET', '/requests')).body.items).toEqual([]);
    expect((await portal.call(ALICE, 'GET', `/requests/${request.id}`)).status).toBe(200);
    expect((await portal.call(CAROL, 'GET', `/requests/${request.id}`)).status).toBe(404);
  });

  it('approve / reject / cancel: 404 for a non-reader, 403 for a reader who is no approver; nothing changes', async () => {
    for (const action of ['approve', 'reject', 'cancel']) {
      expect(
        (await portal.call(CAROL, 'POST', `/requests/${request.id}/${action}`, {})).status,
      ).toBe(404);
    }
    for (const action of ['approve', 'reject']) {
      const r = await portal.call(ALICE, 'POST', `/requests/${request.id}/${action}`, {});
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/hyperpod\.upgrade\.approve/);
    }
    const now = (await portal.call(ALICE, 'GET', `/requests/${request.id}`)).body as UpgradeRequest;
    expect(now.state).toBe('requested');
    expect(now.history).toHaveLength(1);
    // The requester may withdraw it.
    expect(
      (await portal.call(ALICE, 'POST', `/requests/${request.id}/cancel`, {})).body.state,
    ).toBe('cancelled');
  });
});
