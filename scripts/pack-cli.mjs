#!/usr/bin/env node
// Packs the CLI as ONE self-contained npm tarball, dist/kubectl-hyperpod-<version>.tgz, that
// `npm install -g` accepts anywhere. The CLI ships as a bundle (cli/scripts/bundle.mjs,
// docs/adr/0006-cli-bundle.md): oclif, the commands, @hyperpod/core, @hyperpod/core-node, the AWS
// SDK clients and @kubernetes/client-node are inside cli/dist/bundle, so the tarball has no
// dependencies at all: installing it fetches nothing from a registry.
//
//   node scripts/pack-cli.mjs [--out DIR]        (npm run pack:cli -w cli)
//
// `npm pack -w cli` cannot do this: cli/package.json lists the workspace packages and the
// libraries the bundle is built from as dependencies (tsc and development need them), and the
// registry has no @hyperpod/core. So the package is assembled in a staging directory with the
// files the CLI runs from and a package.json without dependencies, and packed from there.
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
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'cli');

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
    'npm run pack:cli -w cli   # dist/kubectl-hyperpod-<version>.tgz, everything bundled',
  );
}
const outIndex = args.indexOf('--out');
const outDir = resolve(
  outIndex >= 0 ? (args[outIndex + 1] ?? fail('--out needs a directory')) : join(root, 'dist'),
);

// 1. Build the CLI (tsc, through its project references the workspace packages too), then the
//    bundle and oclif.manifest.json from that build.
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'cli'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
execFileSync(process.execPath, [join(cliDir, 'scripts', 'bundle.mjs'), '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});

const stage = mkdtempSync(join(tmpdir(), 'kubectl-hyperpod-pack-'));
try {
  // 2. The files the CLI runs from, as cli/package.json's `files` lists them: bin/run.js,
  //    dist/launcher.js (and dist/closest.js, which it requires for "did you mean"), dist/bundle
  //    (with its source maps and THIRD-PARTY-NOTICES.txt) and oclif.manifest.json.
  const cli = readJson(join(cliDir, 'package.json'));
  for (const entry of cli.files) {
    if (!existsSync(join(cliDir, entry))) fail(`cli/${entry} is missing after the build`);
    cpSync(join(cliDir, entry), join(stage, entry), { recursive: true, dereference: true });
  }
  for (const extra of ['README.md', 'LICENSE'])
    if (existsSync(join(cliDir, extra))) cpSync(join(cliDir, extra), join(stage, extra));

  // 3. The staged package.json: no dependencies (they are in the bundle), no scripts, no
  //    library entry point (dist/index.js is not shipped: the package is the command).
  const staged = { ...cli };
  for (const key of [
    'dependencies',
    'devDependencies',
    'bundleDependencies',
    'bundledDependencies',
    'scripts',
    'main',
    'types',
  ])
    delete staged[key];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, undefined, 2) + '\n');

  // 4. Pack.
  mkdirSync(outDir, { recursive: true });
  const npmCli = process.env.npm_execpath;
  const npmArgs = ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir];
  const out =
    npmCli && /npm-cli\.js$/.test(npmCli)
      ? execFileSync(process.execPath, [npmCli, ...npmArgs], { cwd: stage, encoding: 'utf8' })
      : execFileSync('npm', npmArgs, { cwd: stage, encoding: 'utf8' });
  const [packed] = JSON.parse(out.slice(out.indexOf('[')));
  const tarball = join(outDir, packed.filename);
  process.stdout.write(
    `wrote ${tarball} (${packed.entryCount} files, ${Math.round(packed.size / 1024)} kB, no dependencies)\n` +
      `install: npm install -g ${tarball}\n`,
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
