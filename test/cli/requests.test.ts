/**
 * `kubectl hyperpod requests` end to end: the built CLI as a child process against the portal
 * backend (the hyperpod plugin on SQLite with the demo permission policy) on the sandbox, as
 * alice (team-a, which owns the cluster), bob (an approver) and carol (neither), each with a
 * Backstage mock user token in BACKSTAGE_TOKEN. Approved requests are run by the backend's
 * executor on the sandbox. No token may ever appear in what the CLI prints.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { UpgradeRequest } from '@hyperpod/core';
import {
  eventually,
  FROM,
  LATEST,
  portalConfig,
  portalSandbox,
  startPortal,
  VPC_CNI,
  type Portal,
  type PortalSandbox,
} from '../portal/support';
import {
  type CliError,
  ExitCode,
  formatRequest,
  formatRequestList,
  humanDuration,
  oneLine,
  cleanToken,
  portalApiUrl,
  tokenSubject,
} from 'kubectl-hyperpod/testing';
import { buildCli, cleanEnv, runCli, type CliResult } from './support/runCli';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const MIDDLE = 'v1.19.5-eksbuild.3';

/** Every key of an UpgradeRequest the API returns before a decision, and those it adds later. */
const REQUEST_KEYS = [
  'addonName',
  'attempts',
  'cluster',
  'createdAt',
  'fromVersion',
  'history',
  'id',
  'reason',
  'requestedBy',
  'state',
  'target',
  'targetVersion',
  'updatedAt',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-cli-requests-'));

let p: PortalSandbox;
let portal: Portal;
/** The Backstage backend's root URL, as a user would give it. */
let backend: string;
/** A loopback port nothing listens on. */
let closedPort: number;
/** Accepts connections and never answers. */
let silent: TcpServer;
/** Answers every request with an HTML page, like the Backstage app (not the backend). */
let htmlApp: HttpServer;
/** Everything the CLI printed, for the last test: no token in any of it. */
const printed: string[] = [];
const tokens = new Set<string>();

const token = (user: string) => {
  const t = mockCredentials.user.token(user);
  tokens.add(t);
  return t;
};

/** The CLI's environment: the backend, and `user`'s token unless undefined. */
function envFor(
  user: string | undefined,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env = cleanEnv({ HYPERPOD_BACKEND_URL: backend });
  delete env.BACKSTAGE_TOKEN;
  if (user !== undefined) env.BACKSTAGE_TOKEN = token(user);
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

async function requests(
  user: string | undefined,
  args: string[],
  extra: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const r = await runCli(['requests', ...args], envFor(user, extra));
  printed.push(r.stdout, r.stderr);
  return r;
}

/** Runs and parses `-o json`; a failure shows the CLI's stderr. */
async function json<T>(user: string, args: string[]): Promise<T> {
  const r = await requests(user, [...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const create = (user: string, reason: string, extra: string[] = []) =>
  json<UpgradeRequest>(user, [
    'create',
    '--cluster',
    p.owned.name,
    '--addon',
    VPC_CNI,
    '--to',
    'latest',
    '--reason',
    reason,
    ...extra,
  ]);

/** Two lines on stderr (error, then the fix), nothing on stdout. */
function expectOneLineError(r: CliResult, code: number, error: RegExp, fix: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(error);
  expect(lines[1]).toMatch(/^try: /);
  expect(lines[1]).toMatch(fix);
  expect(r.code).toBe(code);
}

const listen = (server: TcpServer | HttpServer): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

beforeAll(async () => {
  buildCli();
  p = await portalSandbox('req');
  const knex = await databases.init('SQLITE_3');
  portal = await startPortal({ config: portalConfig(p), knex });
  backend = portal.url.replace(/\/api\/hyperpod$/, '');
  const probe = createTcpServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
  silent = createTcpServer(() => {
    /* never answers */
  });
  await listen(silent);
  htmlApp = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Backstage</title>');
  });
  await listen(htmlApp);
}, 240_000);

afterAll(async () => {
  await portal?.stop();
  await p?.sb.stop();
  p?.restoreEnv();
  silent?.close();
  htmlApp?.close();
});

describe('kubectl hyperpod requests against the portal backend', () => {
  it('create prints the request; list shows it (short id, table, wide, json); reject closes it; approving it then exits 12', async () => {
    const created = await create(ALICE, 'CVE fix in the newer CNI');
    // -o json is the API's UpgradeRequest as is.
    expect(Object.keys(created).sort()).toEqual(REQUEST_KEYS);
    expect(created).toMatchObject({
      cluster: { name: p.owned.name, region: p.owned.region },
      addonName: VPC_CNI,
      target: 'latest',
      targetVersion: LATEST,
      fromVersion: FROM,
      state: 'requested',
      requestedBy: ALICE,
      reason: 'CVE fix in the newer CNI',
    });
    expect(created.id).toMatch(UUID);
    const short = created.id.slice(0, 8);

    const table = await requests(ALICE, ['list', '--cluster', p.owned.name]);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const [head, ...rows] = table.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^ID +CLUSTER +ADDON +FROM +TO +STATE +REQUESTED-BY +AGE$/);
    const row = rows.find((r) => r.startsWith(short));
    expect(row?.split(/ {2,}/)).toEqual([
      short,
      p.owned.name,
      VPC_CNI,
      FROM,
      LATEST,
      'requested',
      'alice',
      expect.stringMatching(/^\d+s$/),
    ]);
    expect(table.stdout).not.toContain(created.id);

    const wide = await requests(ALICE, ['list', '-o', 'wide', '--state', 'requested,approved']);
    expect(wide.code).toBe(0);
    expect(wide.stdout.split('\n')[0]).toMatch(/ DECIDED-BY +REASON$/);
    expect(wide.stdout).toMatch(
      new RegExp(`^${created.id} +${p.owned.name} .* ${ALICE} .* CVE fix in the newer CNI$`, 'm'),
    );

    const list = await json<{ items: UpgradeRequest[] }>(CAROL, ['list', '--addon', VPC_CNI]);
    expect(Object.keys(list)).toEqual(['items']);
    expect(list.items.map((r) => r.id)).toContain(created.id);

    // bob rejects it by the short id the table shows.
    const rejected = await requests(BOB, ['reject', short, '--note', 'not this week']);
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toMatch(new RegExp(`^Upgrade request ${created.id}$`, 'm'));
    expect(rejected.stdout).toMatch(/^ {2}state: +rejected$/m);
    expect(rejected.stdout).toMatch(/^ {2}decided by: +user:default\/bob$/m);
    expect(rejected.stdout).toMatch(
      /^ {2}\S+Z +user:default\/bob +requested → rejected +not this week$/m,
    );

    const again = await requests(BOB, ['approve', created.id]);
    expectOneLineError(
      again,
      12,
      /^error: cannot approve a request that is rejected \(only one that is requested\)$/,
      new RegExp(`^try: kubectl hyperpod requests get ${created.id} +# its state now$`),
    );
  }, 120_000);

  it('refuses a second open request (12), carol or alice approving (4); retries with one Idempotency-Key create one request; alice cancels', async () => {
    const key = `cli-test-${Date.now()}`;
    const first = await create(ALICE, 'needs the new CNI', ['--idempotency-key', key]);
    const replay = await requests(ALICE, [
      'create',
      '--cluster',
      p.owned.name,
      '--addon',
      VPC_CNI,
      '--to',
      'latest',
      '--reason',
      'needs the new CNI',
      '--idempotency-key',
      key,
    ]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`^Upgrade request ${first.id}$`, 'm'));
    expect(replay.stderr).toContain(
      `the backend had already created this request for Idempotency-Key ${key}: nothing new was created`,
    );
    expect(replay.stderr).toContain(
      `next: an approver of ${p.owned.name} runs: kubectl hyperpod requests approve ${first.id}`,
    );

    // A new key is a new request, and the add-on already has an open one.
    const dup = await requests(ALICE, [
      'create',
      '--cluster',
      p.owned.name,
      '--addon',
      VPC_CNI,
      '--to',
      'latest',
      '--reason',
      'another one',
    ]);
    expectOneLineError(
      dup,
      12,
      new RegExp(`already has an open request ${first.id} \\(requested\\)`),
      new RegExp(`^try: kubectl hyperpod requests get ${first.id} +# the open request`),
    );

    const carol = await requests(CAROL, ['approve', first.id]);
    expectOneLineError(
      carol,
      4,
      /^error: you may not approve upgrade requests on this cluster \(permission hyperpod\.upgrade\.approve\)$/,
      new RegExp(`^try: kubectl hyperpod requests get ${first.id} +# an approver of its cluster`),
    );
    const own = await requests(ALICE, ['approve', first.id]);
    expectOneLineError(
      own,
      4,
      /^error: you may not approve upgrade requests on this cluster/,
      /requests get/,
    );
    const carolCancels = await requests(CAROL, ['cancel', first.id]);
    expectOneLineError(carolCancels, 4, /only the requester or an approver/, /may cancel it/);

    const cancelled = await json<UpgradeRequest>(ALICE, [
      'cancel',
      first.id.slice(0, 8),
      '--note',
      'fixed by the node image',
    ]);
    expect(cancelled).toMatchObject({ id: first.id, state: 'cancelled', decidedBy: ALICE });
    expect(cancelled.history.at(-1)).toMatchObject({
      from: 'requested',
      to: 'cancelled',
      actor: ALICE,
      note: 'fixed by the node image',
    });
    // Mock tokens are not JWTs: --mine cannot tell whose they are, and says what to use instead.
    expectOneLineError(
      await requests(ALICE, ['list', '--mine']),
      3,
      /^error: cannot tell from the token whose it is/,
      /^try: kubectl hyperpod requests list --requested-by 'user:default\/<you>'$/,
    );
    const mine = await requests(ALICE, ['list', '--requested-by', ALICE, '-o', 'json']);
    expect(
      (JSON.parse(mine.stdout) as { items: UpgradeRequest[] }).items.filter(
        (r) => r.reason === 'needs the new CNI',
      ),
    ).toHaveLength(1);
  }, 120_000);

  it('approve → the backend upgrades on the sandbox → get shows succeeded, the outcome and the history', async () => {
    const created = await create(ALICE, 'CVE fix, for real');
    const approved = await requests(BOB, ['approve', created.id, '--note', 'go']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^ {2}state: +(approved|running|succeeded)$/m);
    expect(approved.stderr).toBe(
      `the backend runs the upgrade now; follow it: kubectl hyperpod requests get ${created.id}\n`,
    );

    const done = await eventually(
      () => json<UpgradeRequest>(ALICE, ['get', created.id]),
      (r) => ['succeeded', 'rolled-back', 'failed', 'needs-attention'].includes(r.state),
      90_000,
    );
    expect(done.state).toBe('succeeded');
    expect(Object.keys(done).sort()).toEqual([...REQUEST_KEYS, 'decidedBy', 'outcome'].sort());
    expect(done.outcome).toMatchObject({ status: 'succeeded', hopsDone: [MIDDLE, LATEST] });

    const shown = await requests(ALICE, ['get', created.id.slice(0, 8)]);
    expect(shown.code).toBe(0);
    const out = shown.stdout;
    expect(out).toMatch(new RegExp(`^Upgrade request ${created.id}$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}cluster: +${p.owned.name} \\(`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}to: +${LATEST} \\(asked: latest\\)$`, 'm'));
    expect(out).toMatch(/^ {2}state: +succeeded$/m);
    expect(out).toMatch(/^ {2}outcome: +succeeded: \S/m);
    expect(out).toContain(`  hops done:     ${MIDDLE} → ${LATEST}\n`);
    expect(out).toMatch(/^History:\n {2}AT +ACTOR +TRANSITION +NOTE$/m);
    const history = out
      .slice(out.indexOf('History:'))
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((l) => l.trim().split(/ {3,}/).slice(1));
    expect(history).toEqual([
      [ALICE, 'requested', 'CVE fix, for real'],
      [BOB, 'requested → approved', 'go'],
      ['hyperpod-backend', 'approved → running', expect.stringMatching(/^claimed by \S+$/)],
      [
        'hyperpod-backend',
        'running → succeeded',
        `vpc-cni upgraded ${FROM} → ${MIDDLE} → ${LATEST}`,
      ],
    ]);
  }, 150_000);

  it('refuses bad input with one line and the fix, before calling anything', async () => {
    // The backend URL goes nowhere: reaching for it would exit 4, not 2.
    const nowhere = { HYPERPOD_BACKEND_URL: `http://127.0.0.1:${closedPort}` };
    const base = ['create', '--cluster', p.owned.name, '--addon', VPC_CNI];
    expectOneLineError(
      await requests(ALICE, [...base, '--to', 'v1.2', '--reason', 'why not'], nowhere),
      2,
      /^error: --to "v1\.2" is not an add-on version \(e\.g\. v1\.19\.5-eksbuild\.3, default or latest\)$/,
      /^try: kubectl hyperpod requests create .*--to latest$/,
    );
    expectOneLineError(
      await requests(ALICE, [...base, '--to', 'latest'], nowhere),
      2,
      /^error: --reason is required: why the upgrade is needed/,
      /^try: kubectl hyperpod requests create .* --to latest --reason '<why>'$/,
    );
    expectOneLineError(
      await requests(ALICE, [...base, '--to', 'latest', '--reason', 'ok'], nowhere),
      2,
      /^error: --reason must be at least 3 characters$/,
      /--reason '<reason>'$/,
    );
    expectOneLineError(
      await requests(ALICE, ['get', 'nope'], nowhere),
      2,
      /^error: "nope" is not a request id/,
      /^try: kubectl hyperpod requests list$/,
    );
    expectOneLineError(
      await requests(ALICE, ['list', '--context', 'ml-prod-use1'], nowhere),
      2,
      /talks to the portal, not to clusters: --context has no meaning here$/,
      /^try: kubectl hyperpod requests list$/,
    );
    expectOneLineError(
      await requests(ALICE, ['list', '--state', 'done'], nowhere),
      2,
      /Expected --state=done to be one of: requested, approved/,
      /^try: kubectl hyperpod requests list --help$/,
    );
  }, 120_000);

  it('says what is missing or wrong in the setup: no URL, a bad URL, no token, a refused token (3, 4)', async () => {
    expectOneLineError(
      await requests(ALICE, ['list'], { HYPERPOD_BACKEND_URL: undefined }),
      3,
      /^error: no portal backend: set HYPERPOD_BACKEND_URL or pass --backend-url$/,
      /^try: export HYPERPOD_BACKEND_URL=http:\/\/localhost:7007 .*; then: kubectl hyperpod requests list$/,
    );
    expectOneLineError(
      await requests(ALICE, ['list', '--backend-url', 'ftp://portal.example.com']),
      3,
      /must be http or https, not ftp$/,
      /--backend-url http:\/\/portal\.example\.com$/,
    );
    expectOneLineError(
      await requests(undefined, ['list']),
      3,
      /^error: no Backstage token: set BACKSTAGE_TOKEN or pass --token-file PATH$/,
      /^try: export BACKSTAGE_TOKEN=\$\(backstage-cli auth print-token\) /,
    );
    const refused = await requests(undefined, ['list'], {
      BACKSTAGE_TOKEN: mockCredentials.user.invalidToken(),
    });
    tokens.add(mockCredentials.user.invalidToken());
    expectOneLineError(
      refused,
      4,
      /^error: the backend refused the token from BACKSTAGE_TOKEN \(401 AuthenticationError: /,
      /^try: export BACKSTAGE_TOKEN=\$\(backstage-cli auth print-token\) .*then: kubectl hyperpod requests list$/,
    );

    // The token from a file, and the API root given whole.
    const file = path.join(dir, 'bob.token');
    writeFileSync(file, `${token(BOB)}\n`);
    chmodSync(file, 0o600);
    const fromFile = await requests(undefined, [
      'list',
      '--token-file',
      file,
      '--backend-url',
      `${backend}/api/hyperpod/`,
      '-o',
      'json',
    ]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).items.length).toBeGreaterThan(0);
  }, 120_000);

  it('says when the backend cannot be reached, does not answer in time, or is not the hyperpod API', async () => {
    const unreachable = `http://127.0.0.1:${closedPort}`;
    expectOneLineError(
      await requests(ALICE, ['list'], { HYPERPOD_BACKEND_URL: unreachable }),
      4,
      new RegExp(
        `^error: the portal backend at ${unreachable} could not be reached: connection refused$`,
      ),
      new RegExp(`^try: curl -sS ${unreachable}/api/hyperpod/health +# is the backend running`),
    );

    const slow = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const timedOut = await requests(
      ALICE,
      [
        'create',
        '--cluster',
        'c1',
        '--addon',
        VPC_CNI,
        '--to',
        'latest',
        '--reason',
        'slow one',
        '--timeout',
        '500ms',
      ],
      { HYPERPOD_BACKEND_URL: slow },
    );
    // The retry keeps the Idempotency-Key of the call that may have created the request.
    expectOneLineError(
      timedOut,
      4,
      new RegExp(
        `^error: the portal backend at ${slow} did not answer within 500ms \\(POST /requests\\)$`,
      ),
      /^try: kubectl hyperpod requests create .* --idempotency-key [0-9a-f-]{36} --timeout 2m$/,
    );

    const app = `http://127.0.0.1:${(htmlApp.address() as { port: number }).port}`;
    expectOneLineError(
      await requests(ALICE, ['list'], { HYPERPOD_BACKEND_URL: app }),
      3,
      new RegExp(`^error: ${app} did not answer as the hyperpod API \\(HTTP 200, text/html\\)`),
      /--backend-url http:\/\/localhost:7007$/,
    );

    expectOneLineError(
      await requests(ALICE, ['get', '00000000-0000-4000-8000-000000000000']),
      3,
      /^error: no upgrade request 00000000-0000-4000-8000-000000000000$/,
      /^try: kubectl hyperpod requests list +# the requests you can see$/,
    );
  }, 120_000);

  it('lists with the bare `requests` too, and never prints a token', async () => {
    const bare = await requests(CAROL, ['-o', 'json']);
    expect(bare.code).toBe(0);
    expect(JSON.parse(bare.stdout)).toEqual(await json(CAROL, ['list']));
    await requests(CAROL, ['approve', '00000000-0000-4000-8000-000000000000', '-o', 'yaml']);
    await requests(undefined, ['get', '00000000'], { BACKSTAGE_TOKEN: 'Bearer not-a-valid-token' });
    tokens.add('not-a-valid-token');
    const all = printed.join('\n');
    for (const t of tokens) expect(all).not.toContain(t);
    expect(all).not.toContain('mock-user-token');
    expect(all).not.toContain('mock-invalid-user-token');
  }, 60_000);
});

describe('requests: the pieces without a backend', () => {
  it('reads backend URLs: the backend root or the API root, http or https, no credentials', () => {
    const fix = (v: string) => `fix ${v}`;
    expect(portalApiUrl('http://localhost:7007', fix).href).toBe(
      'http://localhost:7007/api/hyperpod',
    );
    expect(portalApiUrl('https://portal.example.com/backstage/', fix).href).toBe(
      'https://portal.example.com/backstage/api/hyperpod',
    );
    expect(portalApiUrl('http://127.0.0.1:7007/api/hyperpod/', fix).href).toBe(
      'http://127.0.0.1:7007/api/hyperpod',
    );
    const thrown = (raw: string) => {
      try {
        portalApiUrl(raw, fix);
      } catch (e) {
        return e as CliError;
      }
      throw new Error(`accepted ${raw}`);
    };
    expect(thrown('localhost:7007').exitCode).toBe(ExitCode.Config);
    expect(thrown('file:///etc/passwd').message).toMatch(/must be http or https, not file$/);
    const withPassword = thrown('https://bob:s3cret@portal.example.com');
    expect(withPassword.message).not.toContain('s3cret');
    expect(withPassword.fix).toBe('fix https://portal.example.com');
  });

  it('cleans tokens and reads the user of a JWT for --mine', () => {
    expect(cleanToken('  Bearer abc.def.ghi\n')).toBe('abc.def.ghi');
    expect(cleanToken('abc def')).toBeUndefined();
    expect(cleanToken('abc\ndef')).toBeUndefined();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'ES256' })}.${b64({ sub: ALICE, ent: [ALICE] })}.c2ln`;
    expect(tokenSubject(jwt)).toBe(ALICE);
    expect(tokenSubject(`${b64({ alg: 'ES256' })}.${b64({ sub: 'plugin:catalog' })}.c2ln`)).toBe(
      undefined,
    );
    expect(tokenSubject(mockCredentials.user.token(ALICE))).toBeUndefined();
  });

  it('ages like kubectl and keeps other people’s text on one printable line', () => {
    const s = 1000;
    expect(
      [45 * s, 200 * s, 17 * 60 * s, 5 * 3600 * s + 12 * 60 * s, 30 * 3600 * s, 76 * 3600 * s].map(
        humanDuration,
      ),
    ).toEqual(['45s', '3m20s', '17m', '5h12m', '30h', '3d4h']);
    expect(oneLine('fix\n\u001b[31mnow\u001b[0m\tplease')).toBe('fix [31mnow [0m please');
    const request: UpgradeRequest = {
      id: '3f9a1c2e-1111-4222-8333-444455556666',
      cluster: { id: 'us-east-1/ml-prod-use1', name: 'ml-prod-use1', region: 'us-east-1' },
      addonName: VPC_CNI,
      target: 'latest',
      targetVersion: LATEST,
      fromVersion: FROM,
      reason: 'line one\nline two \u001b]0;pwned\u0007',
      state: 'requested',
      requestedBy: 'user:ops/alice',
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
      attempts: 0,
      history: [
        { at: '2026-01-01T10:00:00.000Z', actor: 'user:ops/alice', to: 'requested', note: 'x' },
      ],
    };
    const now = Date.parse('2026-01-01T10:03:00Z');
    const opts = { wide: true, colour: false, now };
    const wide = formatRequestList({ items: [request] }, opts);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(wide).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(wide.split('\n')[1]).toMatch(
      /^3f9a1c2e-1111-4222-8333-444455556666 +ml-prod-use1 .* user:ops\/alice +3m +<none> +line one line two \]0;pwned$/,
    );
    const table = formatRequestList({ items: [request] }, { ...opts, wide: false });
    expect(table.split('\n')[1]).toBe(
      `3f9a1c2e   ml-prod-use1   vpc-cni   ${FROM}   ${LATEST}   requested   user:ops/alice   3m`,
    );
    expect(formatRequest(request, opts)).toContain(
      '  requested by:  user:ops/alice at 2026-01-01T10:00:00Z (3m ago)\n  reason:        line one line two ]0;pwned\n  decided by:    <none>\n',
    );
  });
});
