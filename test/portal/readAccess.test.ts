/**
 * Every endpoint with a user allowed and a user denied, under a policy that limits even reading
 * to a cluster's owners (the ownership rule resolved by the permission backend through the
 * plugin's resource type): what a user may not read does not exist for them (404, filtered
 * lists), and nothing they send changes anything.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
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
import { ALICE, APPROVERS, CAROL, upgradeBody, VPC_CNI } from './support';
import { portalDatabases, usePortal } from './usePortal';

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
  register: (env) =>
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      init: async ({ policy }) => policy.setPolicy(new OwnersOnlyPolicy()),
    }),
});

const databases = portalDatabases(['SQLITE_3', 'POSTGRES_15']);
let request: UpgradeRequest;

describe.each(databases.eachSupportedId())('on %p', (databaseId) => {
  const s = usePortal({
    prefix: 'acl',
    knex: () => databases.init(databaseId),
    policy: ownersOnly,
  });

  const owned = () => encodeURIComponent(s.p.owned.name);

  it('GET /fleet shows each user only the clusters they may read', async () => {
    const alice = await s.portal.call(ALICE, 'GET', '/fleet');
    expect(alice.body.clusters.map((c: { name: string }) => c.name)).toEqual([s.p.owned.name]);
    expect(alice.body.totals.clusters).toBe(1);
    const carol = await s.portal.call(CAROL, 'GET', '/fleet');
    expect(carol.status).toBe(200);
    expect(carol.body.clusters).toEqual([]);
    expect(carol.body.totals.clusters).toBe(0);
  });

  it('POST /fleet/refresh scans only readable clusters', async () => {
    expect((await s.portal.call(ALICE, 'POST', '/fleet/refresh')).body).toEqual({ scanned: 1 });
    expect((await s.portal.call(CAROL, 'POST', '/fleet/refresh')).body).toEqual({ scanned: 0 });
  });

  it('GET /clusters/:cluster: the report for an owner, 404 for others', async () => {
    const alice = await s.portal.call(ALICE, 'GET', `/clusters/${owned()}`);
    expect(alice.status).toBe(200);
    expect(alice.body.cluster).toMatchObject({
      name: s.p.owned.name,
      owner: 'group:default/team-a',
    });
    expect(alice.body.report.addons.map((a: { name: string }) => a.name)).toContain(VPC_CNI);
    const carol = await s.portal.call(CAROL, 'GET', `/clusters/${owned()}`);
    expect(carol.status).toBe(404);
    expect(carol.body.error.message).toMatch(/no cluster/);
    // By ARN too.
    const byArn = await s.portal.call(
      ALICE,
      'GET',
      `/clusters/${encodeURIComponent(s.p.owned.arn)}`,
    );
    expect(byArn.body.cluster.name).toBe(s.p.owned.name);
  });

  it('POST /clusters/:cluster/refresh rescans for an owner only', async () => {
    const alice = await s.portal.call(ALICE, 'POST', `/clusters/${owned()}/refresh`);
    expect(alice.status).toBe(200);
    expect(alice.body.cluster.name).toBe(s.p.owned.name);
    expect((await s.portal.call(CAROL, 'POST', `/clusters/${owned()}/refresh`)).status).toBe(404);
  });

  it('GET versions for an owner only', async () => {
    const path = `/clusters/${owned()}/addons/${VPC_CNI}/versions`;
    expect((await s.portal.call(ALICE, 'GET', path)).body.installed).toBe('v1.18.6-eksbuild.1');
    expect((await s.portal.call(CAROL, 'GET', path)).status).toBe(404);
  });

  it('POST /requests: created by an owner; 404 for a user who may not read the cluster', async () => {
    const body = upgradeBody(s.p, 'acl test');
    const carol = await s.portal.call(CAROL, 'POST', '/requests', body);
    expect(carol.status).toBe(404);
    const alice = await s.portal.call(ALICE, 'POST', '/requests', body);
    expect(alice.status).toBe(201);
    request = alice.body;
  });

  it('GET /requests and /requests/:id hide requests on unreadable clusters', async () => {
    expect(
      (await s.portal.call(ALICE, 'GET', '/requests')).body.items.map((r: UpgradeRequest) => r.id),
    ).toEqual([request.id]);
    expect((await s.portal.call(CAROL, 'GET', '/requests')).body.items).toEqual([]);
    expect((await s.portal.call(ALICE, 'GET', `/requests/${request.id}`)).status).toBe(200);
    expect((await s.portal.call(CAROL, 'GET', `/requests/${request.id}`)).status).toBe(404);
  });

  it('approve / reject / cancel: 404 for a non-reader, 403 for a reader who is no approver; nothing changes', async () => {
    for (const action of ['approve', 'reject', 'cancel']) {
      expect(
        (await s.portal.call(CAROL, 'POST', `/requests/${request.id}/${action}`, {})).status,
      ).toBe(404);
    }
    for (const action of ['approve', 'reject']) {
      const r = await s.portal.call(ALICE, 'POST', `/requests/${request.id}/${action}`, {});
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/hyperpod\.upgrade\.approve/);
    }
    const now = (await s.portal.call(ALICE, 'GET', `/requests/${request.id}`))
      .body as UpgradeRequest;
    expect(now.state).toBe('requested');
    expect(now.history).toHaveLength(1);
    // The requester may withdraw it.
    expect(
      (await s.portal.call(ALICE, 'POST', `/requests/${request.id}/cancel`, {})).body.state,
    ).toBe('cancelled');
  });
});
