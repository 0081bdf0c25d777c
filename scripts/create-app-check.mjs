#!/usr/bin/env node
// The plugins installed into Backstage apps this project did not write, as a user installs them:
//
//   node scripts/create-app-check.mjs [--frontend new|legacy|both] [--keep] [--work DIR]
//                                     [--tarballs DIR] [--create-app-version V]
//
// 1. Packs the four publishable packages (scripts/pack-packages.mjs), unless --tarballs names a
//    folder that already holds them.
// 2. Per frontend system (both by default, one after the other): makes a fresh app with
//    `npx @backstage/create-app` from the npm registry in a temporary folder, outside this
//    checkout, so nothing it loads can come from our node_modules. `new` is create-app's default
//    template (`createApp` from @backstage/frontend-defaults); `legacy` is `--legacy`, which
//    create-app 0.9.2 still offers (its --help: "--legacy  Use the legacy version of the app
//    template"; `createApp` from @backstage/app-defaults). create-app's prerequisite check wants
//    `yarn` on PATH: when there is none, the npm package `yarn` is installed into the temporary
//    folder first.
// 3. Yarn 4 (the app pins it) installs it with `supportedArchitectures` limited to linux/x64/glibc
//    (the registry lacks some non-Linux optional binaries) and one cache for both apps in the
//    temporary folder (the second app fetches nothing the first one fetched). Native modules
//    build against the headers of the Node that runs this script (scripts/lib/appEnvironment.mjs).
// 4. Runs the install steps of plugins/hyperpod/README.md and plugins/hyperpod-backend/README.md
//    (their "Install" sections, read from the files): the `yarn ...` commands, and the code blocks
//    as written (scripts/lib/readmeInstall.mjs): the backend's, and the frontend's under the
//    heading of the app's frontend system. The one difference from a user: the packages come from
//    our tarballs instead of a registry, so every `@hyperpod/...` name in a command becomes
//    `name@file:<tarball>`, and the app's root package.json gets `resolutions` for the four (the
//    plugins depend on @hyperpod/core ^0.1.0, which the registry does not serve).
// 5. Starts the sandbox (demo scenario) once; per app, builds it (`yarn workspace app build`),
//    starts its backend (`yarn workspace backend start`, which serves the built app) on a free
//    port with the sandbox's app-config, and checks in Chromium that the fleet page lists the
//    sandbox's clusters and that a cluster's Hyperpod tab shows its add-ons
//    (scripts/lib/appPages.mjs). Screenshots go to test-results/create-app/<frontend>-*.png.
//
// --keep keeps the temporary folder; --work DIR runs again in such a folder: its apps are not
// made again, only given the new tarballs.
//
// Needs Node 22 or 24 (create-app's apps say `"node": "22 || 24"`), the npm registry,
// /usr/bin/chromium and PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth; .ci/run starts
// it): the apps' backends keep their databases there, named per run and dropped at the end.
// Prints each step's time; exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { appEnvironment, dropDatabases, PG, pgDatabaseConfig } from './lib/appEnvironment.mjs';
import { checkAppPages } from './lib/appPages.mjs';
import { freePort, processes } from './lib/processes.mjs';
import { applyCode, installSteps } from './lib/readmeInstall.mjs';
import { root } from './lib/root.mjs';
import { fail as exitWith, scriptOptions } from './lib/scriptArgs.mjs';

const opts = scriptOptions({
  frontend: { type: 'string', default: 'both' },
  keep: { type: 'boolean', default: false },
  work: { type: 'string' },
  tarballs: { type: 'string' },
  'create-app-version': { type: 'string', default: '0.9.2' },
});
/** The README heading of each frontend system's code, and create-app's flag for its template. */
const FRONTENDS = {
  new: { heading: 'New frontend system', createAppArgs: [] },
  legacy: { heading: 'Legacy frontend system', createAppArgs: ['--legacy'] },
};
const frontends = opts.frontend === 'both' ? Object.keys(FRONTENDS) : [opts.frontend];
for (const f of frontends)
  if (!FRONTENDS[f]) exitWith(`--frontend is new, legacy or both, not ${f}`);
const createAppVersion = opts['create-app-version'];
const SCREENSHOTS = join(root, 'test-results', 'create-app');
/** The demo's cluster with the inference operator installed by Helm (revision 2). */
const HELM_CLUSTER = 'ml-prod-use1';
const PACKAGES = {
  '@hyperpod/core': 'packages/core',
  '@hyperpod/core-node': 'packages/core-node',
  '@hyperpod/plugin-hyperpod': 'plugins/hyperpod',
  '@hyperpod/plugin-hyperpod-backend': 'plugins/hyperpod-backend',
};
/**
 * Native addons the check never loads, only compiled: tree-sitter and its grammars (the api-docs
 * plugin's OpenAPI parser, a frontend dependency), keytar (fails to build here: no libsecret),
 * cpu-features (optional for ssh2) and better-sqlite3 (the backend runs on PostgreSQL here, see
 * checkConfig). Their compiles took minutes of the install on 2 cores.
 */
const NOT_BUILT = [
  'tree-sitter',
  'tree-sitter-json',
  '@tree-sitter-grammars/tree-sitter-yaml',
  'keytar',
  'cpu-features',
  'better-sqlite3',
];

const started = Date.now();
const timings = [];
let stepStart = Date.now();
const step = (name) => {
  const now = Date.now();
  if (timings.length > 0) timings[timings.length - 1].ms = now - stepStart;
  stepStart = now;
  timings.push({ name, ms: 0 });
  process.stdout.write(`\ncreate-app-check: ${name}\n`);
};
const fail = (message) => {
  throw new Error(message);
};
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

const work = opts.work ? resolve(opts.work) : mkdtempSync(join(tmpdir(), 'hyperpod-create-app-'));
const yarnCache = join(work, 'yarn-cache');
const env = appEnvironment(yarnCache);
const proc = processes(env, work);

/** Our four tarballs by package name: packed into the work folder, or found in --tarballs. */
function tarballs() {
  const dir = opts.tarballs ? resolve(opts.tarballs) : join(work, 'tarballs');
  if (!opts.tarballs)
    proc.run(process.execPath, [join(root, 'scripts', 'pack-packages.mjs'), '--out', dir], root);
  const files = {};
  for (const [name, rel] of Object.entries(PACKAGES)) {
    const { version } = readJson(join(root, rel, 'package.json'));
    const file = join(dir, `${name.slice(1).replace('/', '-')}-${version}.tgz`);
    if (!existsSync(file)) fail(`${file} is missing (in ${dir}: ${readdirSync(dir).join(', ')})`);
    files[name] = file;
  }
  return files;
}

/** A fresh create-app app at `app`, set up to install here (see the header, steps 2 and 3). */
function createApp(app, frontend, packed) {
  execFileSync(
    'npx',
    [
      '--yes',
      `@backstage/create-app@${createAppVersion}`,
      ...FRONTENDS[frontend].createAppArgs,
      '--path',
      app,
      '--skip-install',
    ],
    { cwd: work, env, input: `hyperpod-${frontend}\n`, stdio: ['pipe', 'inherit', 'inherit'] },
  );
  appendFileSync(
    join(app, '.yarnrc.yml'),
    '\nsupportedArchitectures:\n  os: [linux]\n  cpu: [x64]\n  libc: [glibc]\n',
  );
  const rootPkg = readJson(join(app, 'package.json'));
  rootPkg.resolutions = {
    ...rootPkg.resolutions,
    // create-app seeds yarn.lock from raw.githubusercontent.com, which is beyond the registry
    // and unreachable here ("Failed to fetch the yarn.lock seed file"). Unseeded, the template's
    // ranges resolve to @backstage/backend-defaults 0.18.0 beside plugins that already need
    // 0.19's http router (plugin-signals-backend 0.3.21: "httpRouter.addWebSocketHandler is
    // not a function", and the backend stops). The current release's backend-defaults, as the
    // seed would give, keeps the app we did not write starting.
    '@backstage/backend-defaults': '^0.19.0',
    ...Object.fromEntries(Object.entries(packed).map(([n, f]) => [n, `file:${f}`])),
  };
  rootPkg.dependenciesMeta = {
    ...rootPkg.dependenciesMeta,
    ...Object.fromEntries(NOT_BUILT.map((n) => [n, { built: false }])),
  };
  writeJson(join(app, 'package.json'), rootPkg);
}

/** The READMEs' install steps in `app`, with our tarballs for the registry's packages. */
function install(app, frontend, packed, kept) {
  const steps = ['plugins/hyperpod/README.md', 'plugins/hyperpod-backend/README.md'].map((r) =>
    installSteps(join(root, r)),
  );
  // `yarn --cwd <workspace> add <name>` from a registry writes `"<name>": "^<version>"` into the
  // workspace's package.json and installs. Here the name stands for our tarball: the same
  // dependency is written as `file:<tarball>` and `yarn install` runs once for both READMEs.
  // (`yarn add <name>@file:<tarball>` itself crashes in Yarn 4.13 here: got's "The onCancel
  // handler was attached after the promise settled" while it asks the registry about the name.)
  for (const line of steps.flatMap((s) => s.yarn)) {
    const m = /^yarn --cwd (\S+) add ((?:@hyperpod\/[a-z-]+\s*)+)$/.exec(line);
    if (!m) fail(`the check cannot run this README command with our tarballs: ${line}`);
    const file = join(app, m[1], 'package.json');
    const pkg = readJson(file);
    const names = m[2].trim().split(/\s+/);
    for (const name of names) {
      if (!packed[name]) fail(`unknown package ${name} in: ${line}`);
      pkg.dependencies = { ...pkg.dependencies, [name]: `file:${packed[name]}` };
    }
    writeJson(file, pkg);
    process.stdout.write(`$ ${line}   (as file:${packed[names[0]]})\n`);
  }
  if (kept) {
    // A kept app: let yarn take the tarballs again (same names and versions, new contents).
    if (existsSync(yarnCache))
      for (const f of readdirSync(yarnCache))
        if (f.startsWith('@hyperpod-')) rmSync(join(yarnCache, f), { force: true });
    rmSync(join(app, 'node_modules', '@hyperpod'), { recursive: true, force: true });
  }
  proc.run('yarn', ['install'], app, { YARN_CHECKSUM_BEHAVIOR: 'update' });
  // The backend's code applies to every app; the frontend's under this app's heading only.
  const code = steps
    .flatMap((s) => s.code)
    .filter((c) => c.heading === '' || c.heading.startsWith(FRONTENDS[frontend].heading));
  const files = new Set(code.map((c) => c.file));
  if (!files.has('packages/app/src/App.tsx') || !files.has('packages/backend/src/index.ts'))
    fail(`the READMEs give no App.tsx or no backend code for the ${frontend} frontend system`);
  for (const block of code) applyCode(app, block);
  for (const file of files) process.stdout.write(`--- ${file}\n${readFileSync(join(app, file))}`);
}

/** The sandbox (demo scenario) in the work folder: its environment and its clusters' names. */
async function startSandbox() {
  proc.run(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/sandbox'],
    root,
  );
  const dir = join(work, 'sandbox');
  rmSync(dir, { recursive: true, force: true });
  const cli = join(root, 'packages', 'sandbox', 'dist', 'cli.js');
  const sandbox = proc.start(
    'sandbox',
    process.execPath,
    [cli, '--scenario', 'demo', '--out', dir],
    root,
  );
  await proc.waitFor(
    'the sandbox',
    () => existsSync(join(dir, 'env.sh')) && /Press Ctrl\+C/.test(sandbox.output()),
    120_000,
    sandbox,
  );
  const sandboxEnv = {};
  for (const m of readFileSync(join(dir, 'env.sh'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm))
    sandboxEnv[m[1]] = m[2];
  const clusters = readJson(join(dir, 'sandbox.json'))
    .clusters.map((c) => c.name)
    .sort();
  if (!clusters.includes(HELM_CLUSTER)) fail(`the demo sandbox has no cluster ${HELM_CLUSTER}`);
  return { appConfig: join(dir, 'app-config.sandbox.yaml'), env: sandboxEnv, clusters };
}

/** app-config of one app's run: its URL and port, and its own PostgreSQL databases. */
function checkConfig(frontend, port) {
  const url = `http://localhost:${port}`;
  const file = join(work, `app-config.${frontend}.yaml`);
  const lines = [
    `app:`,
    `  baseUrl: ${url}`,
    `backend:`,
    `  baseUrl: ${url}`,
    `  listen:`,
    `    port: ${port}`,
    `  cors:`,
    `    origin: ${url}`,
    // create-app's own backend (without our plugins too) dies on Node 24.21 with its default
    // in-memory SQLite: better-sqlite3 12.11 built here aborts in a Statement destructor
    // ("RemoveEnvironmentCleanupHook ... Assertion failed: (env) != nullptr") seconds after
    // start. PostgreSQL, as app-config.production.yaml has it, with this app's own databases.
    ...pgDatabaseConfig(`${PG.prefix}${frontend}_`),
    '',
  ];
  writeFileSync(file, lines.join('\n'));
  return { url, file };
}

async function checkFrontend(frontend, packed, sandbox) {
  const app = join(work, `app-${frontend}`);
  const kept = existsSync(join(app, 'package.json'));
  step(`${frontend}: create the app (npx @backstage/create-app@${createAppVersion})`);
  if (kept) process.stdout.write(`kept from an earlier run: ${app}\n`);
  else createApp(app, frontend, packed);

  step(`${frontend}: install as the READMEs say`);
  install(app, frontend, packed, kept);

  const port = await freePort();
  const config = checkConfig(frontend, port);
  const configArgs = [join(app, 'app-config.yaml'), sandbox.appConfig, config.file].flatMap((f) => [
    '--config',
    f,
  ]);
  step(`${frontend}: build the app (yarn workspace app build)`);
  proc.run('yarn', ['workspace', 'app', 'build', ...configArgs], app);

  step(`${frontend}: start the backend, which serves the app (yarn workspace backend start)`);
  const backend = proc.start(
    `backend-${frontend}`,
    'yarn',
    ['workspace', 'backend', 'start', ...configArgs],
    app,
    sandbox.env,
  );
  await proc.waitFor(
    `the backend on ${config.url}`,
    () =>
      fetch(`${config.url}/api/hyperpod/health`).then(
        (r) => r.ok,
        () => false,
      ),
    300_000,
    backend,
  );

  step(`${frontend}: Chromium: the fleet page and a cluster tab`);
  await checkAppPages({
    url: config.url,
    clusters: sandbox.clusters,
    helmCluster: HELM_CLUSTER,
    screenshots: SCREENSHOTS,
    prefix: frontend,
  });
  await backend.stop();
}

async function main() {
  process.stdout.write(
    `create-app-check: node ${process.version} (${process.execPath}), nodedir ${env.npm_config_nodedir}, work ${work}\n`,
  );
  step('pack the four packages');
  const packed = tarballs();
  if (!execFileSync('/bin/sh', ['-c', 'command -v yarn || true'], { env }).toString().trim()) {
    const tools = join(work, 'tools');
    mkdirSync(tools, { recursive: true });
    proc.run('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', 'yarn@1'], tools);
    env.PATH = [join(tools, 'node_modules', '.bin'), env.PATH].join(delimiter);
  }
  step('start the sandbox (demo scenario)');
  const sandbox = await startSandbox();
  for (const frontend of frontends) await checkFrontend(frontend, packed, sandbox);
  step('done');
}

let code = 0;
try {
  await main();
} catch (error) {
  code = 1;
  process.stderr.write(
    `\ncreate-app-check: FAILED: ${error instanceof Error ? error.message : error}\n`,
  );
  for (const { name, logFile } of proc.children)
    process.stderr.write(`  ${name} log: ${logFile}\n`);
} finally {
  await proc.stopAll();
  dropDatabases(env);
  const total = Date.now() - started;
  process.stdout.write('\ncreate-app-check: timings\n');
  for (const { name, ms } of timings.filter((t) => t.name !== 'done'))
    process.stdout.write(`  ${(ms / 1000).toFixed(0).padStart(5)} s  ${name}\n`);
  process.stdout.write(`  ${(total / 1000).toFixed(0).padStart(5)} s  total\n`);
  if (!opts.keep && code === 0 && !opts.work) rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`create-app-check: kept ${work}\n`);
}
process.exit(code);
