#!/usr/bin/env node
// `npm start`: the sandbox fleet, the Backstage backend on it and the app dev server, with their
// output prefixed, until Ctrl-C (or until one of them exits), then all three stop. Expects a
// build (`npm start` runs `tsc -b` first). Arguments go to the sandbox:
// `npm start -- --scenario large --latency 40 --error-rate 0.05`; except `--production`, which
// builds the app for production (`backstage-cli package build`) and serves that
// (scripts/serve-app.mjs) instead of running the dev server, and runs the backend with
// NODE_ENV=production: no demo sign-in (guest, approver), no stack traces in error bodies.
// `--production --demo-sign-in` keeps the demo sign-in on in production mode (for benchmarks on
// one machine): anyone who reaches the backend can then sign in as the approver.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import startEnv from './backendEnv.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.sandbox');
const sandboxConfig = join(out, 'app-config.sandbox.yaml');
const APP_URL = 'http://localhost:3000';
const BACKEND_URL = 'http://localhost:7007';
const started = Date.now();
const children = [];
let stopping = false;

const say = (s) => process.stderr.write(`[start] ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function prefixed(stream, name, target) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) target.write(`[${name}] ${line}\n`);
  });
  stream.on('end', () => rest && target.write(`[${name}] ${rest}\n`));
}

/** Each child leads its own process group, so stopping it stops whatever it started too. */
function run(name, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  prefixed(child.stdout, name, process.stdout);
  prefixed(child.stderr, name, process.stderr);
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) {
      say(`${name} exited (${signal ?? `code ${code}`}); stopping the others`);
      void stop(1);
    }
  });
  child.label = name;
  children.push(child);
  return child;
}

function signalGroup(child, signal) {
  if (child.exited || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping the app, the backend and the sandbox');
  // The app and the backend first, so the backend does not log the sandbox going away.
  for (const c of [...children].reverse()) signalGroup(c, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (children.some((c) => !c.exited) && Date.now() < deadline) await sleep(100);
  for (const c of children) signalGroup(c, 'SIGKILL');
  process.exit(code);
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '::', ipv6Only: false }, () => s.close(() => resolve(true)));
  });
}

/** Polls `check`; past the timeout, stops everything (or only warns when `optional`). */
async function waitFor(what, check, timeoutMs, { optional = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!stopping) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) {
      say(`${what} did not come up within ${timeoutMs / 1000} s`);
      if (optional) return false;
      await stop(1);
    }
    await sleep(500);
  }
  // Something exited (or Ctrl-C): stop() is under way and exits; never go on to say "ready".
  return new Promise(() => {});
}

/** The demo users are signed in with their catalog groups, so wait until the catalog has them. */
async function catalogHasUsers() {
  const session = await (await fetch(`${BACKEND_URL}/api/auth/guest/refresh`)).json();
  const token = session.backstageIdentity?.token;
  if (!token) return false;
  const res = await fetch(`${BACKEND_URL}/api/catalog/entities?filter=kind=user&fields=relations`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const users = res.ok ? await res.json() : [];
  return users.some((u) => (u.relations ?? []).length > 0);
}

/** `export K=V` lines of the sandbox's env.sh (values it writes have no quoting). */
function readEnvFile(path) {
  const env = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

const production = process.argv.includes('--production');
const demoSignIn = !production || process.argv.includes('--demo-sign-in');
const sandboxArgs = process.argv
  .slice(2)
  .filter((a) => a !== '--production' && a !== '--demo-sign-in');

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

for (const port of [3000, 7007]) {
  if (!(await portFree(port))) {
    say(
      `port ${port} is in use: stop whatever listens there (another portal?) and run npm start again`,
    );
    process.exit(1);
  }
}

if (production) {
  say('building the app for production (backstage-cli package build, 15-60 s)');
  const build = spawnSync(join(root, 'node_modules/.bin/backstage-cli'), ['package', 'build'], {
    cwd: join(root, 'packages/app'),
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    say('the app build failed (above); nothing was started');
    process.exit(1);
  }
}

rmSync(sandboxConfig, { force: true });
run('sandbox', process.execPath, [
  join(root, 'packages/sandbox/dist/cli.js'),
  '--scenario',
  'demo',
  '--out',
  out,
  ...sandboxArgs,
]);
await waitFor('the sandbox', async () => existsSync(sandboxConfig), 60_000);

// The backend reaches the sandbox's AWS accounts through the profiles in its AWS files.
// Development enables the guest and demo sign-in (as `backstage-cli package start` would for a
// backend); production refuses them (scripts/backendEnv.cjs).
const sandboxEnv = readEnvFile(join(out, 'env.sh'));
const demoConfig = join(out, 'app-config.demo-sign-in.yaml');
if (production && demoSignIn) {
  say('--demo-sign-in: anyone who reaches the backend can sign in, as the approver too');
  writeFileSync(demoConfig, startEnv.demoSignInConfig);
}
run(
  'backend',
  process.execPath,
  [
    join(root, 'packages/backend/dist/index.js'),
    '--config',
    join(root, 'app-config.yaml'),
    '--config',
    sandboxConfig,
    ...(production && demoSignIn ? ['--config', demoConfig] : []),
  ],
  { env: { ...sandboxEnv, ...startEnv.backendEnv({ production }) } },
);
if (production) run('app', process.execPath, [join(root, 'scripts/serve-app.mjs')]);
else
  run('app', join(root, 'node_modules/.bin/backstage-cli'), ['package', 'start'], {
    cwd: join(root, 'packages/app'),
    // The dev server needs development (jest, for one, runs this with NODE_ENV=test).
    env: { BROWSER: process.env.BROWSER ?? 'none', NODE_ENV: 'development' },
  });

await waitFor(
  'the backend',
  async () => (await fetch(`${BACKEND_URL}/api/hyperpod/health`)).ok,
  120_000,
);
// The check signs in as the guest, which production refuses.
if (demoSignIn)
  await waitFor('the catalog (users and clusters)', catalogHasUsers, 180_000, { optional: true });
say(
  production
    ? `backend ready at ${BACKEND_URL} after ${seconds()}`
    : `backend ready at ${BACKEND_URL} after ${seconds()}; waiting for the app dev server to compile (10-60 s)`,
);
await waitFor('the app', async () => (await fetch(APP_URL)).ok, 300_000);
say('');
say(`portal ready after ${seconds()}: open ${APP_URL}`);
if (!demoSignIn) {
  say('  production mode: the demo sign-in (Guest, Approver) is refused; configure a real');
  say('  sign-in provider (auth.providers in your app-config) to use the portal');
} else {
  say('  sign in as Guest (ml-platform: requests upgrades on the prod account clusters)');
  say('  or as Approver (platform-approvers: approves them)');
}
say(`  the CLI on the same fleet: source .sandbox/env.sh && node cli/bin/run.js status -A`);
say('Press Ctrl+C to stop everything.');
