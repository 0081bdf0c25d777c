/**
 * The upgrade request lifecycle through the portal API, on SQLite and on PostgreSQL: request →
 * approve → the executor upgrades through the real AWS SDK on the sandbox → ACTIVE at the target;
 * a failing upgrade rolled back to the captured version and configuration; who may do what.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { UpgradeRequest } from '@hyperpod/core';
import {
  ALICE,
  BOB,
  capturingAuditor,
  CAROL,
  CNI_CONFIG,
  DAVE,
  eventually,
  FROM,
  LATEST,
  prodEks,
  upgradeBody,
  VPC_CNI,
  type PortalSandbox,
} from './support';
import { portalDatabases, usePortal } from './usePortal';

const databases = portalDatabases(['SQLITE_3', 'POSTGRES_15']);

describe.each(databases.eachSupportedId())('upgrade requests on %p', (databaseId) => {
  const auditor = capturingAuditor();
  const s = usePortal({
    prefix: databaseId === 'SQLITE_3' ? 'sq' : 'pg',
    knex: () => databases.init(databaseId),
    extra: [auditor.factory],
  });

  const until = (id: string, done: (r: UpgradeRequest) => boolean) =>
    eventually(
      async () => (await s.portal.call(ALICE, 'GET', `/requests/${id}`)).body as UpgradeRequest,
      done,
    );
  const final = (r: UpgradeRequest) =>
    ['succeeded', 'rolled-back', 'failed', 'needs-attention'].includes(r.state);

  it('serves the fleet summary from the startup scan', async () => {
    const r = await s.portal.call(CAROL, 'GET', '/fleet');
    expect(r.status).toBe(200);
    const names = r.body.clusters.map((c: { name: string }) => c.name);
    expect(names).toEqual([s.p.owned.name, s.p.other.name].sort());
    const owned = r.body.clusters.find((c: { name: string }) => c.name === s.p.owned.name);
    expect(owned.owner).toBe('group:default/team-a');
    expect(owned.addons.find((a: { name: string }) => a.name === VPC_CNI)).toMatchObject({
      version: FROM,
      installedVia: 'addon',
    });
    expect(r.body.totals.clusters).toBe(2);
    // Served pre-built: an ETag, and 304 when the client has it.
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await s.portal.call(CAROL, 'GET', '/fleet', undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('lists compatible versions for a cluster add-on', async () => {
    const r = await s.portal.call(
      CAROL,
      'GET',
      `/clusters/${s.p.owned.name}/addons/${VPC_CNI}/versions`,
    );
    expect(r.status).toBe(200);
    expect(r.body.installed).toBe(FROM);
    expect(r.body.latest).toBe(LATEST);
    expect(r.body.compatible).toContain(LATEST);
  });

  it('runs request → approve → upgrade → ACTIVE at the target, with the history', async () => {
    const created = await s.portal.call(
      ALICE,
      'POST',
      '/requests',
      upgradeBody(s.p, 'CVE fix in the newer CNI'),
    );
    expect(created.status).toBe(201);
    const req = created.body as UpgradeRequest;
    expect(req).toMatchObject({
      state: 'requested',
      targetVersion: LATEST,
      fromVersion: FROM,
      requestedBy: ALICE,
    });

    // Carol is no approver; Alice may not approve her own request.
    expect((await s.portal.call(CAROL, 'POST', `/requests/${req.id}/approve`, {})).status).toBe(
      403,
    );
    expect((await s.portal.call(ALICE, 'POST', `/requests/${req.id}/approve`, {})).status).toBe(
      403,
    );

    const approved = await s.portal.call(BOB, 'POST', `/requests/${req.id}/approve`, {
      note: 'go',
    });
    expect(approved.status).toBe(200);
    const done = await until(req.id, final);
    expect(done.state).toBe('succeeded');
    expect(done.outcome).toMatchObject({
      status: 'succeeded',
      hopsDone: ['v1.19.5-eksbuild.3', LATEST],
    });
    expect(done.history.map((h) => [h.to, h.actor])).toEqual([
      ['requested', ALICE],
      ['approved', BOB],
      ['running', 'hyperpod-backend'],
      ['succeeded', 'hyperpod-backend'],
    ]);
    expect(done.decidedBy).toBe(BOB);
    const eksAddon = await eksDescribe(s.p, s.p.owned.name);
    expect(eksAddon).toMatchObject({
      status: 'ACTIVE',
      addonVersion: LATEST,
      configurationValues: CNI_CONFIG,
    });
    // The outcome never carries configuration values.
    expect(JSON.stringify(done)).not.toContain('WARM_IP_TARGET');
    // Audited: the create, the refused approvals, the approval, the run.
    const audit = auditor.events
      .filter((e) => e.meta.requestId === req.id)
      .map((e) => [e.eventId, e.meta.action ?? e.meta.status, e.outcome]);
    expect(audit).toEqual([
      ['upgrade-request', 'create', 'success'],
      ['upgrade-request', 'approve', 'fail'],
      ['upgrade-request', 'approve', 'fail'],
      ['upgrade-request', 'approve', 'success'],
      ['upgrade-run', 'succeeded', 'success'],
    ]);
  });

  it('rolls a failing upgrade back to the captured version and configuration', async () => {
    s.p.sb.services.eks.failOn({
      addonName: VPC_CNI,
      addonVersion: LATEST,
      kind: 'update',
      outcome: 'DEGRADED',
      issue: {
        code: 'InsufficientNumberOfReplicas',
        message: 'not enough replicas',
        resourceIds: ['kube-system/aws-node'],
      },
      times: 1,
    });
    // The other cluster belongs to team-b: Alice (team-a) may not ask for upgrades there.
    const denied = await s.portal.call(ALICE, 'POST', '/requests', {
      ...upgradeBody(s.p, 'try'),
      cluster: s.p.other.name,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/may not request upgrades/);

    // The owned cluster is at LATEST since the last test: put it back, then fail the upgrade.
    // Dave is in team-a and an approver, but self-approval is off.
    await resetAddon(s.p);
    const created = await s.portal.call(DAVE, 'POST', '/requests', {
      ...upgradeBody(s.p, 'upgrade that will fail'),
      target: LATEST,
    });
    expect(created.status).toBe(201);
    const id = (created.body as UpgradeRequest).id;
    expect(
      (await s.portal.call(DAVE, 'POST', `/requests/${id}/approve`, {})).body.error.message,
    ).toMatch(/cannot approve your own request/);
    expect((await s.portal.call(BOB, 'POST', `/requests/${id}/approve`, {})).status).toBe(200);
    const done = await until(id, final);
    expect(done.state).toBe('rolled-back');
    expect(done.outcome).toMatchObject({
      status: 'rolled-back',
      failedHop: LATEST,
      rollback: { method: 'update', succeeded: true },
    });
    expect(done.outcome!.issueCodes).toContain('InsufficientNumberOfReplicas');
    expect(await eksDescribe(s.p, s.p.owned.name)).toMatchObject({
      status: 'ACTIVE',
      addonVersion: FROM,
      configurationValues: CNI_CONFIG,
      serviceAccountRoleArn: `arn:aws:iam::${s.p.owned.accountId}:role/cni-${s.p.owned.name}`,
    });
  });

  it('rejects and cancels, each once, with who and when', async () => {
    const mk = async () =>
      (await s.portal.call(ALICE, 'POST', '/requests', upgradeBody(s.p, 'please')))
        .body as UpgradeRequest;
    const a = await mk();
    const rejected = await s.portal.call(BOB, 'POST', `/requests/${a.id}/reject`, {
      note: 'not this week',
    });
    expect(rejected.body).toMatchObject({ state: 'rejected', decidedBy: BOB });
    expect(rejected.body.history.at(-1)).toMatchObject({
      from: 'requested',
      to: 'rejected',
      actor: BOB,
      note: 'not this week',
    });
    expect((await s.portal.call(BOB, 'POST', `/requests/${a.id}/approve`, {})).status).toBe(409);

    const b = await mk();
    expect((await s.portal.call(CAROL, 'POST', `/requests/${b.id}/cancel`, {})).status).toBe(403);
    expect((await s.portal.call(ALICE, 'POST', `/requests/${b.id}/cancel`, {})).body.state).toBe(
      'cancelled',
    );
    const list = await s.portal.call(
      CAROL,
      'GET',
      `/requests?cluster=${s.p.owned.name}&state=rejected,cancelled`,
    );
    expect(list.body.items.map((r: UpgradeRequest) => r.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('refuses a second open request for the same add-on, and replays an idempotent create', async () => {
    const body = upgradeBody(s.p, 'idempotent');
    const headers = { 'Idempotency-Key': `key-${databaseId}-0001` };
    const first = await s.portal.call(ALICE, 'POST', '/requests', body, headers);
    expect(first.status).toBe(201);
    const again = await s.portal.call(ALICE, 'POST', '/requests', body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const dup = await s.portal.call(ALICE, 'POST', '/requests', { ...body, reason: 'another' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain(first.body.id);
    const all = await s.portal.call(ALICE, 'GET', `/requests?state=requested`);
    expect(all.body.items.filter((r: UpgradeRequest) => r.reason === 'idempotent')).toHaveLength(1);
  });

  it('answers 401 to a bad token', async () => {
    const r = await s.portal.call(undefined, 'GET', '/fleet', undefined, {
      authorization: mockCredentials.user.invalidHeader(),
    });
    expect(r.status).toBe(401);
  });
});

async function eksDescribe(p: PortalSandbox, cluster: string) {
  return (await prodEks(p)).describeAddon(cluster, VPC_CNI);
}

/** Puts the owned cluster's vpc-cni back at FROM (as if the earlier test had not run). */
async function resetAddon(p: PortalSandbox) {
  const eks = await prodEks(p);
  await eks.updateAddon({ clusterName: p.owned.name, addonName: VPC_CNI, addonVersion: FROM });
  await eventually(
    () => eks.describeAddon(p.owned.name, VPC_CNI),
    (a) => a?.status === 'ACTIVE' && a.addonVersion === FROM,
  );
}
