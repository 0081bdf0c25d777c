/**
 * The frontend's real HyperpodClient against the real backend, on SQLite and on PostgreSQL: every
 * mutating call the plugin makes goes through the client's own request building (method, headers,
 * body), so a body the backend refuses shows here, not in the browser. Discovery and identity are
 * the only stubs: the base URL, and a fetch that adds the user's token as the app's fetchApi does.
 * Also: an action's end rescans the cluster (the report and the fleet page show the new state)
 * and a cluster's migration runs stay listed after the page that started them is gone.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import type { FleetSummary, MigrationRunView } from '@hyperpod/core';
// eslint-disable-next-line no-restricted-imports -- the plugin's entry loads its React pages (ESM, browser only), which the node jest project cannot load: the HTTP client alone, by path
import { HyperpodClient } from '../../plugins/hyperpod/src/api/HyperpodClient';
import { ALICE, BOB, eventually, FROM, LATEST, VPC_CNI, type Portal } from './support';
import { portalDatabases, usePortal } from './usePortal';

const ADDON = 'amazon-sagemaker-hyperpod-inference';

const databases = portalDatabases(['SQLITE_3', 'POSTGRES_15']);

/** What the browser's client sent last, per user: the method, Content-Type and body. */
interface Sent {
  method: string;
  contentType: string | null;
  body: string | undefined;
}

function clientFor(portal: Portal, user: string, sent: Sent[] = []) {
  return new HyperpodClient({
    discoveryApi: { getBaseUrl: async () => portal.url },
    fetchApi: {
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', mockCredentials.user.header(user));
        sent.push({
          method: init?.method ?? 'GET',
          contentType: headers.get('content-type'),
          body: typeof init?.body === 'string' ? init.body : undefined,
        });
        return fetch(input, { ...init, headers });
      },
    },
  });
}

async function refusal(p: Promise<unknown>): Promise<ResponseError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ResponseError);
  return e as ResponseError;
}

describe.each(databases.eachSupportedId())('the frontend client on %p', (databaseId) => {
  const s = usePortal({
    prefix: databaseId === 'SQLITE_3' ? 'csq' : 'cpg',
    knex: () => databases.init(databaseId),
    helm: {},
  });

  const fleetAddon = async (cluster: string, addon: string) => {
    const fleet: FleetSummary = await clientFor(s.portal, ALICE).getFleet();
    return fleet.clusters.find((c) => c.name === cluster)?.addons.find((a) => a.name === addon);
  };

  it('refreshes a cluster, and refuses a second refresh at once with 429 and Retry-After', async () => {
    const sent: Sent[] = [];
    const alice = clientFor(s.portal, ALICE, sent);
    await alice.refreshCluster(s.p.owned.name);
    expect(sent[0]).toEqual({ method: 'POST', contentType: 'application/json', body: '{}' });
    const again = await refusal(alice.refreshCluster(s.p.owned.name));
    expect(again.response.status).toBe(429);
    expect(again.body.error).toMatchObject({ name: 'TooManyRequestsError' });
    expect(again.body.error.message).toContain(`a refresh of ${s.p.owned.name}`);
    expect(Number(again.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user is refused too: the limit is the cluster's.
    expect(
      (await refusal(clientFor(s.portal, BOB).refreshCluster(s.p.owned.name))).response.status,
    ).toBe(429);
  });

  it('lets each user refresh the whole fleet once per interval (429 + Retry-After)', async () => {
    expect((await s.portal.call(ALICE, 'POST', '/fleet/refresh')).status).toBe(202);
    const again = await s.portal.call(ALICE, 'POST', '/fleet/refresh');
    expect(again.status).toBe(429);
    expect(again.body.error.message).toContain('a fleet refresh was already asked for');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await s.portal.call(BOB, 'POST', '/fleet/refresh')).status).toBe(202);
  });

  it('creates, cancels, rejects (no note) and approves requests; the upgrade end rescans', async () => {
    const alice = clientFor(s.portal, ALICE);
    const bob = clientFor(s.portal, BOB);
    const input = { cluster: s.p.owned.name, addonName: VPC_CNI, target: 'latest', reason: 'CVE' };

    const first = await alice.createRequest(input);
    expect(first).toMatchObject({ state: 'requested', targetVersion: LATEST, fromVersion: FROM });
    // One open request per add-on: a second create is refused while the first is open.
    expect((await refusal(alice.createRequest(input))).response.status).toBe(409);
    expect(await alice.decideRequest(first.id, 'cancel')).toMatchObject({ state: 'cancelled' });

    const second = await alice.createRequest(input);
    expect(await bob.decideRequest(second.id, 'reject')).toMatchObject({
      state: 'rejected',
      decidedBy: BOB,
    });

    const third = await alice.createRequest(input);
    expect(await bob.decideRequest(third.id, 'approve', 'go')).toMatchObject({
      state: 'approved',
    });
    const done = await eventually(
      async () =>
        (await alice.listRequests({ cluster: s.p.owned.name })).find((r) => r.id === third.id)!,
      (r) => r.state === 'succeeded' || r.state === 'failed',
    );
    expect(done.state).toBe('succeeded');
    // Nobody pressed Refresh: the cluster was rescanned before the request showed its end.
    expect((await fleetAddon(s.p.owned.name, VPC_CNI))?.version).toBe(LATEST);
    const report = (await alice.getCluster(s.p.owned.name)).report!;
    expect(report.addons.find((a) => a.name === VPC_CNI)?.addon?.version).toBe(LATEST);
  });

  it('plans, starts, lists and rolls back a migration; the run survives a reload', async () => {
    const sent: Sent[] = [];
    const alice = clientFor(s.portal, ALICE, sent);
    expect((await fleetAddon(s.helm.name, ADDON))?.installedVia).toBe('helm');
    const plan = await alice.planMigration(s.helm.name);
    expect(plan.blockers).toEqual([]);
    const { runId } = await alice.startMigration(s.helm.name, {
      addonVersion: plan.target.addonVersion,
    });
    // The cluster names its active run while it runs (or the run already ended).
    const detail = await alice.getCluster(s.helm.name);
    expect(detail.migrations?.map((m) => m.runId)).toEqual([runId]);
    if (detail.activeMigration !== undefined) expect(detail.activeMigration).toBe(runId);

    const last = (r: MigrationRunView) => r.journal[r.journal.length - 1]?.type;
    const ran = await eventually(
      () => alice.getMigration(runId),
      (r) => !r.active && last(r) !== 'run-started' && last(r) !== 'action-started',
      30_000,
    );
    expect(last(ran)).toBe('run-succeeded');

    // A new tab: the runs list (and the cluster) still name the run, so Roll back can be offered.
    const reloaded = clientFor(s.portal, ALICE, sent);
    expect(await reloaded.listMigrations(s.helm.name)).toEqual([
      expect.objectContaining({
        runId,
        startedBy: ALICE,
        lastEvent: 'run-succeeded',
        active: false,
      }),
    ]);
    expect((await reloaded.getCluster(s.helm.name)).activeMigration).toBeUndefined();
    // The cluster was rescanned before the run stopped being active: no longer on Helm, no
    // longer offered for migration.
    expect(await fleetAddon(s.helm.name, ADDON)).toMatchObject({
      installedVia: 'addon',
      migrationCandidate: false,
    });

    sent.length = 0;
    await reloaded.rollbackMigration(runId);
    // The Roll back button's call: a POST with an empty JSON object (it takes no fields).
    expect(sent).toEqual([{ method: 'POST', contentType: 'application/json', body: '{}' }]);
    const back = await eventually(
      () => alice.getMigration(runId),
      (r) => !r.active && last(r) === 'rollback-done',
      30_000,
    );
    expect(last(back)).toBe('rollback-done');
    expect((await fleetAddon(s.helm.name, ADDON))?.installedVia).toBe('helm');
  });

  it('sends a JSON body with every POST, and the backend takes an empty one as {}', async () => {
    // What browsers send for fetch(url, { method: 'POST' }): no body, Content-Length 0.
    for (const contentType of [undefined, 'text/plain', 'application/json']) {
      const r = await fetch(`${s.portal.url}/clusters/${s.p.other.name}/migrations/plan`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(ALICE),
          ...(contentType ? { 'content-type': contentType } : {}),
        },
      });
      // Alice does not own `other`: past the body check, the permission refuses.
      expect([r.status, contentType]).toEqual([403, contentType]);
    }
    const r = await fetch(`${s.portal.url}/clusters/${s.p.other.name}/migrations/plan`, {
      method: 'POST',
      headers: { authorization: mockCredentials.user.header(ALICE), 'content-type': 'text/plain' },
      body: 'profile=x',
    });
    expect(r.status).toBe(400);
  });
});
