#!/usr/bin/env node
// Packs the CLI as ONE self-contained npm tarball, dist/kubectl-hyperpod-<version>.tgz, that
// `npm install -g` accepts anywhere: the workspace packages it needs (@hyperpod/core,
// @hyperpod/core-node) are published nowhere, so they travel inside it as bundleDependencies and
// only registry packages are fetched at install time.
//
//   node scripts/pack-cli.mjs [--out DIR]        (npm run pack:cli -w cli)
//
// `npm pack -w cli` cannot do this: npm follows the workspace symlinks in node_modules
// unreliably, and the tarball would name `@hyperpod/core@*`, which the registry does not have.
// So the package is assembled in a staging directory with real copies of the built workspace
// packages, and packed from there.
//
//   node scripts/pack-cli.mjs --guard            (cli's prepack: refuses a plain `npm pack`)
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'cli');
const BUNDLED = { '@hyperpod/core': 'packages/core', '@hyperpod/core-node': 'packages/core-node' };

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const fail = (message, fix) => {
  process.stderr.write(`error: ${message}\n${fix ? `try: ${fix}\n` : ''}`);
  process.exit(1);
};

const args = process.argv.slice(2);
if (args.includes('--guard')) {
  // The staged package has no scripts, so reaching this means npm is packing cli/ itself.
  fail(
    'cli/ cannot be packed or published as is: it depends on the workspace packages ' +
      '@hyperpod/core and @hyperpod/core-node, which are on no registry',
    'npm run pack:cli -w cli   # dist/kubectl-hyperpod-<version>.tgz with them bundled',
  );
}
const outIndex = args.indexOf('--out');
const outDir = resolve(
  outIndex >= 0 ? (args[outIndex + 1] ?? fail('--out needs a directory')) : join(root, 'dist'),
);

// 1. Build the CLI and, through its project references, the workspace packages it bundles.
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'cli'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

const stage = mkdtempSync(join(tmpdir(), 'kubectl-hyperpod-pack-'));
try {
  // 2. The CLI's own files, as its `files` field lists them.
  const cli = readJson(join(cliDir, 'package.json'));
  const copyFiles = (from, to, pkg) => {
    mkdirSync(to, { recursive: true });
    for (const entry of pkg.files ?? []) {
      if (existsSync(join(from, entry)))
        cpSync(join(from, entry), join(to, entry), {
          recursive: true,
          dereference: true,
          // Source maps point at src/, which is not shipped.
          filter: (f) => !f.endsWith('.map'),
        });
    }
    for (const extra of ['README.md', 'LICENSE']) {
      if (existsSync(join(from, extra))) cpSync(join(from, extra), join(to, extra));
    }
  };
  copyFiles(cliDir, stage, cli);

  // 3. The workspace packages as real directories under node_modules (never symlinks), with
  //    their dependencies on each other pinned to the copies bundled next to them.
  const bundledVersions = {};
  const bundledDeps = {};
  for (const [name, dir] of Object.entries(BUNDLED)) {
    const pkg = readJson(join(root, dir, 'package.json'));
    if (!existsSync(join(root, dir, pkg.main ?? 'dist/index.js')))
      fail(
        `${name} is not built (${join(dir, pkg.main ?? 'dist/index.js')} missing)`,
        'npx tsc -b cli',
      );
    bundledVersions[name] = pkg.version;
    const target = join(stage, 'node_modules', ...name.split('/'));
    copyFiles(join(root, dir), target, pkg);
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      if (!(dep in BUNDLED)) bundledDeps[dep] = { range, from: name };
    }
    // No dependencies of their own: npm takes every package a bundled one depends on as part of
    // the bundle and never fetches it (even when the CLI depends on it directly), so the
    // installed CLI would miss @aws-sdk/*, yaml, semver... They become the CLI's dependencies
    // instead, installed beside the bundled copies, where Node's resolution finds them.
    delete pkg.dependencies;
    delete pkg.devDependencies;
    delete pkg.scripts;
    writeFileSync(join(target, 'package.json'), JSON.stringify(pkg, undefined, 2) + '\n');
  }

  // 4. The staged package.json: the bundled packages' registry dependencies become the CLI's own,
  //    so npm installs them beside the bundled copies, where Node's resolution finds them.
  const dependencies = {};
  for (const [dep, range] of Object.entries(cli.dependencies ?? {}))
    dependencies[dep] = dep in BUNDLED ? bundledVersions[dep] : range;
  for (const [dep, { range, from }] of Object.entries(bundledDeps)) {
    if (dependencies[dep] !== undefined && dependencies[dep] !== range)
      fail(`${dep}: cli wants ${dependencies[dep]}, ${from} wants ${range}; align the ranges`);
    dependencies[dep] = range;
  }
  const staged = { ...cli, dependencies, bundleDependencies: Object.keys(BUNDLED) };
  delete staged.scripts;
  delete staged.devDependencies;
  delete staged.bundledDependencies;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, undefined, 2) + '\n');

  // 5. oclif.manifest.json: `--help` and command lookup without loading every command module.
  //    Built from cli/ (where @oclif/core resolves), written only into the staged copy.
  const oclif = createRequire(join(cliDir, 'package.json'))('@oclif/core');
  const config = await oclif.Config.load({ root: cliDir });
  const plugin = config.plugins.get(cli.name);
  if (!plugin) fail(`oclif did not load the ${cli.name} plugin from ${cliDir}`);
  writeFileSync(
    join(stage, 'oclif.manifest.json'),
    JSON.stringify(plugin.manifest, undefined, 2) + '\n',
  );

  // 6. Pack.
  mkdirSync(outDir, { recursive: true });
  const npmCli = process.env.npm_execpath;
  const npmArgs = ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir];
  const out =
    npmCli && /npm-cli\.js$/.test(npmCli)
      ? execFileSync(process.execPath, [npmCli, ...npmArgs], { cwd: stage, encoding: 'utf8' })
      : execFileSync('npm', npmArgs, { cwd: stage, encoding: 'utf8' });
  const [packed] = JSON.parse(out.slice(out.indexOf('[')));
  const tarball = join(outDir, packed.filename);
  const bundled = packed.bundled ?? [];
  for (const name of Object.keys(BUNDLED))
    if (!bundled.includes(name))
      fail(`npm pack did not bundle ${name} (bundled: ${bundled.join(', ') || 'none'})`);
  process.stdout.write(
    `wrote ${tarball} (${packed.entryCount} files, ${Math.round(packed.size / 1024)} kB; bundles ${bundled.join(', ')})\n` +
      `install: npm install -g ${tarball}\n`,
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
