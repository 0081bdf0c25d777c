/**
 * Killing the backend during an upgrade: the real backend (packages/backend, built) runs the
 * executor as a child process on PostgreSQL; it is SIGKILLed while the add-on is UPDATING; a
 * restarted backend finds the request's heartbeat stale and finishes it from what EKS says. The
 * request is never left running. An in-process API-only replica (executor disabled) takes the
 * user calls, as a second replica behind the same database would.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { UpgradeRequest } from '@hyperpod/core';
import { stringify } from 'yaml';
import {
  ALICE,
  BOB,
  eventually,
  LATEST,
  portalConfig,
  prodEks,
  upgradeBody,
  VPC_CNI,
} from './support';
import { portalDatabases, usePortal } from './usePortal';

const ROOT = path.resolve(__dirname, '../..');
const BACKEND = path.join(ROOT, 'packages/backend/dist/index.js');
const databases = portalDatabases(['POSTGRES_15']);

const children: ChildProcess[] = [];
/** Each backend's output so far, for failure messages. */
const logs = new Map<string, () => string>();

function startBackend(port: number, name: string): ChildProcess {
  const base = portalConfig(s.p);
  const connection = s.knex.client.config.connection as Record<string, unknown>;
  const config = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { port, host: '127.0.0.1' },
      database: {
        client: 'pg',
        connection,
        // The test's database for the hyperpod plugin (the API replica uses the same one).
        plugin: { hyperpod: { connection: { database: connection.database } } },
      },
    },
    ...base,
    hyperpod: {
      ...base.hyperpod,
      executor: { ...base.hyperpod.executor, pollMs: 200, staleAfterMs: 1_500 },
    },
  };
  const file = path.join(s.p.dir, `${name}.yaml`);
  writeFileSync(file, stringify(config), { mode: 0o600 });
  const child = spawn(process.execPath, [BACKEND, '--config', file], {
    cwd: path.join(ROOT, 'packages/backend'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  child.on('exit', () => writeFileSync(path.join(s.p.dir, `${name}.log`), log));
  logs.set(name, () => log);
  children.push(child);
  return child;
}

/** A port nothing listens on now (the backend is told to listen there). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/backend'],
    { cwd: ROOT },
  );
}, 180_000);
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

// The API replica runs no executor: the backends started as child processes do.
const s = usePortal({
  prefix: 'crash',
  knex: () => databases.init('POSTGRES_15'),
  executor: false,
  prepare: ({ p }) => {
    // Slow add-on transitions: the kill lands while the add-on is UPDATING.
    p.sb.timing.addonTransitionMs = 2_000;
  },
  timeoutMs: 180_000,
});

it('does not leave a request running when the backend running it is killed', async () => {
  const created = await s.portal.call(ALICE, 'POST', '/requests', upgradeBody(s.p, 'crash test'));
  expect(created.status).toBe(201);
  const id = (created.body as UpgradeRequest).id;
  expect((await s.portal.call(BOB, 'POST', `/requests/${id}/approve`, {})).status).toBe(200);
  const get = async () =>
    (await s.portal.call(BOB, 'GET', `/requests/${id}`)).body as UpgradeRequest;

  const first = startBackend(await freePort(), 'first');
  const running = await eventually(
    get,
    (r) => r.state === 'running' && (s.p.sb.awsCallStats().byOperation['eks.UpdateAddon'] ?? 0) > 0,
    60_000,
  );
  if (running.state !== 'running') console.error(logs.get('first')!().slice(-6000));
  expect(running.state).toBe('running');
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  // Nobody is running it now; it is still marked running.
  expect((await get()).state).toBe('running');

  startBackend(await freePort(), 'second');
  const done = await eventually(get, (r) => !['running', 'approved'].includes(r.state), 90_000);
  // The second backend found it stale and finished it (at once, or by running it again from
  // the hop it had reached).
  expect(done.state).toBe('succeeded');
  expect(done.history.some((h) => /stopped reporting/.test(h.note ?? ''))).toBe(true);
  expect(done.history.filter((h) => h.to === 'running').length).toBeLessThanOrEqual(2);
  expect(await (await prodEks(s.p)).describeAddon(s.p.owned.name, VPC_CNI)).toMatchObject({
    status: 'ACTIVE',
    addonVersion: LATEST,
  });
}, 180_000);
