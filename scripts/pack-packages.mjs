#!/usr/bin/env node
// Builds and packs the four publishable packages as Backstage packages are built and packed:
//
//   @hyperpod/core                      common-library   dist/index.cjs.js + index.esm.js + .d.ts
//   @hyperpod/core-node                 node-library     dist/index.cjs.js + index.d.ts
//   @hyperpod/plugin-hyperpod           frontend-plugin  dist/index.esm.js, alpha.esm.js + .d.ts
//   @hyperpod/plugin-hyperpod-backend   backend-plugin   dist/index.cjs.js + index.d.ts
//
//   node scripts/pack-packages.mjs [--out DIR]     (npm run pack:packages; default DIR dist/packages)
//
// 1. `tsc -b` the workspace packages (their dev builds, which the declarations below import).
// 2. `tsc -p tsconfig.dist-types.json`: declarations of the four into dist-types/, where
//    `backstage-cli package build` and `backstage-repo-tools api-reports` read them.
// 3. Per package: `backstage-cli package build` (rollup + esbuild, dependencies external, types
//    bundled from dist-types), then `npm pack`, whose prepack/postpack run
//    `backstage-cli package prepack`/`postpack`: package.json gets publishConfig's main, module,
//    types and exports for the tarball and is restored afterwards.
//
// In this repository core, core-node and the backend plugin run from their `tsc -b` output in
// dist/ (the CLI, the repo's backend, the tests' child processes); jest and the app's bundler take
// the sources. `backstage-cli package build` empties dist/ first, so that output is moved aside
// for the build and put back after the pack (tsc -b would not re-emit it: its build info says it
// is current).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGES = [
  'packages/core',
  'packages/core-node',
  'plugins/hyperpod',
  'plugins/hyperpod-backend',
];

const fail = (message) => {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
};
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = resolve(
  outIndex >= 0
    ? (args[outIndex + 1] ?? fail('--out needs a directory'))
    : join(root, 'dist', 'packages'),
);
const quiet = args.includes('--quiet');
const log = (line) => {
  if (!quiet) process.stdout.write(`${line}\n`);
};

// npm and backstage-cli as a user runs them: none of the settings an enclosing `npm run`
// exports (npm_config_workspace... would change what `npm pack` packs).
const env = {};
for (const [k, v] of Object.entries(process.env))
  if (v !== undefined && !k.toLowerCase().startsWith('npm_')) env[k] = v;
for (const k of ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
  if (process.env[k]) env[k] = process.env[k];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (file, argv, cwd = root) =>
  execFileSync(file, argv, {
    cwd,
    env,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
log('pack-packages: tsc -b (workspace builds)');
run(process.execPath, [
  tsc,
  '-b',
  'packages/core',
  'packages/core-node',
  'plugins/hyperpod-backend',
]);
log('pack-packages: tsc -p tsconfig.dist-types.json (declarations into dist-types/)');
rmSync(join(root, 'dist-types'), { recursive: true, force: true });
run(process.execPath, [tsc, '-p', 'tsconfig.dist-types.json']);

mkdirSync(outDir, { recursive: true });
const tarballs = [];
for (const rel of PACKAGES) {
  const dir = join(root, rel);
  const pkg = readJson(join(dir, 'package.json'));
  const dist = join(dir, 'dist');
  const aside = join(dir, 'dist.tsc');
  if (existsSync(aside)) fail(`${rel}/dist.tsc exists: a previous run was interrupted; check it`);
  if (existsSync(dist)) renameSync(dist, aside);
  try {
    log(`pack-packages: ${pkg.name}: backstage-cli package build (${pkg.backstage.role})`);
    run(bin('backstage-cli'), ['package', 'build'], dir);
    log(`pack-packages: ${pkg.name}: npm pack`);
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
      cwd: dir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
    tarballs.push({ name: pkg.name, tarball: join(outDir, filename) });
  } finally {
    rmSync(dist, { recursive: true, force: true });
    if (existsSync(aside)) renameSync(aside, dist);
    // backstage-cli package postpack restores package.json; a failed pack may leave the backup.
    if (existsSync(join(dir, 'package.json-prepack')))
      renameSync(join(dir, 'package.json-prepack'), join(dir, 'package.json'));
  }
}

// What each tarball promises must be in it: every file package.json points at, and no dependency
// on a sibling that is not a real version range.
for (const { name, tarball } of tarballs) {
  const stage = join(outDir, '.check');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', stage]);
  const pkgDir = join(stage, 'package');
  const pkg = readJson(join(pkgDir, 'package.json'));
  // configSchema too: Backstage's build loads it from the installed package.
  const targets = [pkg.main, pkg.module, pkg.types, pkg.configSchema];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object')
      // `backstage` is a condition naming the entry point's feature type, not a file.
      Object.entries(value).forEach(([k, v]) => k !== 'backstage' && walk(v));
  };
  walk(pkg.exports);
  for (const target of targets.filter(Boolean))
    if (!existsSync(join(pkgDir, target))) fail(`${name}: ${target} is not in ${tarball}`);
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {}))
    if (dep.startsWith('@hyperpod/') && !/^\^?\d+\.\d+\.\d+$/.test(range))
      fail(`${name}: dependency ${dep}@${range} is not a version range a registry can serve`);
  if (readdirSync(pkgDir).includes('src')) fail(`${name}: the tarball ships src/`);
  rmSync(stage, { recursive: true, force: true });
}
for (const { tarball } of tarballs) process.stdout.write(`${tarball}\n`);
