/**
 * The demo backend as `npm start` runs it (packages/backend/dist with app-config.yaml and the
 * environment of scripts/backendEnv.cjs), on a free port: with `--production` nobody can mint a
 * token through the demo sign-in (guest, or the approver through hyperpod-demo), and error bodies
 * carry no stack traces; in development both are on, which is what the demo is for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { backendEnv, demoSignInConfig } = require('../../scripts/backendEnv.cjs') as {
  backendEnv: (o: { production: boolean }) => Record<string, string>;
  demoSignInConfig: string;
};

const ROOT = path.join(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Backend {
  base: string;
  stop: () => Promise<void>;
  output: () => string;
}

async function startBackend(production: boolean, extraConfig = ''): Promise<Backend> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-prod-'));
  const config = path.join(dir, 'app-config.test.yaml');
  writeFileSync(
    config,
    [
      'backend:',
      `  baseUrl: http://127.0.0.1:${port}`,
      '  listen:',
      `    port: ${port}`,
      '    host: 127.0.0.1',
      'hyperpod:',
      '  scan:',
      '    frequency: { hours: 24 }',
      extraConfig,
    ].join('\n'),
  );
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(ROOT, 'packages/backend/dist/index.js'),
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      config,
    ],
    {
      cwd: ROOT,
      env: { ...env, ...backendEnv({ production }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the backend exited:\n${out}`);
    const ok = await fetch(`${base}/api/hyperpod/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the backend did not answer within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    base,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

const demoSignIn = (base: string, user: string) =>
  fetch(`${base}/api/auth/hyperpod-demo/refresh`, {
    headers: { 'x-hyperpod-demo-user': user, 'x-requested-with': 'XMLHttpRequest' },
  });
const guestSignIn = (base: string) =>
  fetch(`${base}/api/auth/guest/refresh`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });

describe('the demo backend in production mode', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend(true);
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
  });

  it('refuses the demo sign-in: no token for the approver, none for the guest', async () => {
    for (const res of [
      await demoSignIn(backend.base, 'approver'),
      await demoSignIn(backend.base, 'guest'),
      await guestSignIn(backend.base),
    ]) {
      const text = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain('backstageIdentity');
      expect(text).not.toContain('"token"');
    }
    const res = await demoSignIn(backend.base, 'approver');
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'works only with NODE_ENV=development',
    );
  });

  it('sends 4xx errors without stack traces or file paths', async () => {
    const answers = [
      await fetch(`${backend.base}/api/hyperpod/fleet`),
      await fetch(`${backend.base}/api/hyperpod/clusters/x/refresh`, { method: 'POST' }),
      await demoSignIn(backend.base, 'mallory'),
    ];
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const text = await res.text();
      const body = JSON.parse(text) as { error: { name: string; stack?: string } };
      expect(body.error.name).toMatch(/Error$/);
      expect(body.error.stack).toBeUndefined();
      expect(text).not.toMatch(/\.js:\d+|node_modules|\/work\//);
    }
  });
});

describe('the demo backend in development mode (what production must not be)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend(false);
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
  });

  it('has the demo sign-in on and stacks in error bodies', async () => {
    const res = await demoSignIn(backend.base, 'approver');
    // Either signed in, or (in the first seconds) waiting for the catalog: never switched off.
    const text = await res.text();
    expect(text).not.toContain('works only with NODE_ENV=development');
    const fleet = (await (await fetch(`${backend.base}/api/hyperpod/fleet`)).json()) as {
      error: { stack?: string };
    };
    expect(fleet.error.stack).toContain('Error');
  });
});

describe('the demo backend in production mode with --demo-sign-in (benchmarks)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend(true, demoSignInConfig);
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
  });

  it('lets the demo sign-in work only when asked to, still without stacks', async () => {
    const text = await (await demoSignIn(backend.base, 'approver')).text();
    expect(text).not.toContain('works only with NODE_ENV=development');
    const fleet = (await (await fetch(`${backend.base}/api/hyperpod/fleet`)).json()) as {
      error: { stack?: string };
    };
    expect(fleet.error.stack).toBeUndefined();
  });
});
