#!/usr/bin/env node
// Packs the krew release archive, dist/kubectl-hyperpod-<version>-noarch.tar.gz, and writes the
// krew manifest pointing at it.
//
//   node scripts/pack-krew.mjs [--tarball dist/kubectl-hyperpod-<version>.tgz] [--out DIR]
//                              [--uri URL] [--manifest FILE]
//
// krew downloads an archive, unpacks it and links the file named in `bin` into ~/.krew/bin; it
// never runs `npm install`. The npm tarball of pack-cli.mjs holds everything under package/ and
// has no file krew could link, so krew cannot use it as is. This script installs that tarball
// into a staging prefix as `npm i -g` does for a user (it has no dependencies: the CLI is bundled,
// see docs/adr/0006-cli-bundle.md, so nothing is fetched) and archives the result: a POSIX sh
// launcher `kubectl-hyperpod` at the root, the installed tree under
// lib/node_modules/kubectl-hyperpod. Everything in it is JavaScript (checked below), so one
// archive serves linux and darwin on amd64 and arm64 ("noarch"); Node.js comes from the user's
// PATH (the manifest's caveats say so).
//
// --tarball  the npm tarball to start from (default: run pack-cli.mjs into --out first)
// --out      where the archive goes (default dist/)
// --uri      where the archive will be downloaded from; the default is a placeholder that
//            `krew install` cannot fetch, so a release must pass the real one
// --manifest where the manifest goes (default: cli/dist/krew.js's, dist/krew/hyperpod.yaml)
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { root } from './lib/root.mjs';
import { fail, scriptOptions } from './lib/scriptArgs.mjs';

const NAME = 'kubectl-hyperpod';

const opts = scriptOptions({
  tarball: { type: 'string' },
  out: { type: 'string' },
  uri: { type: 'string' },
  manifest: { type: 'string' },
});

const { version } = JSON.parse(readFileSync(join(root, 'cli', 'package.json'), 'utf8'));
const outDir = resolve(opts.out ?? join(root, 'dist'));
const archiveName = `${NAME}-${version}-noarch.tar.gz`;
const uri =
  opts.uri ?? `https://example.invalid/REPLACE-WITH-RELEASE-URL/v${version}/${archiveName}`;
const manifestOut = opts.manifest;

// npm as a user runs it: none of the settings an enclosing `npm run`/`npm test -w` exports,
// which would make the install a workspace operation on this checkout.
const npmEnv = {};
const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
for (const [k, v] of Object.entries(process.env))
  if (v !== undefined && (!k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())))
    npmEnv[k] = v;
const npm = (npmArgs, cwd) => {
  const npmCli = process.env.npm_execpath;
  return npmCli && /npm-cli\.js$/.test(npmCli)
    ? execFileSync(process.execPath, [npmCli, ...npmArgs], { cwd, env: npmEnv, encoding: 'utf8' })
    : execFileSync('npm', npmArgs, { cwd, env: npmEnv, encoding: 'utf8' });
};

// 1. The npm tarball (pack-cli.mjs also builds cli/, so cli/dist/krew.js is current).
let tarball = opts.tarball;
if (tarball) {
  tarball = resolve(tarball);
  if (!existsSync(tarball)) fail(`${tarball} does not exist`, 'npm run pack:cli -w cli');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'cli'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
} else {
  execFileSync(process.execPath, [join(root, 'scripts', 'pack-cli.mjs'), '--out', outDir], {
    cwd: root,
    env: npmEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  tarball = join(outDir, `${NAME}-${version}.tgz`);
}

const stage = mkdtempSync(join(tmpdir(), 'kubectl-hyperpod-krew-'));
try {
  // 2. Install it as `npm i -g` would for a user; run outside the checkout so npm sees no
  //    workspace around it.
  const prefix = join(stage, 'prefix');
  npm(['install', '--global', '--prefix', prefix, tarball, '--no-audit', '--no-fund'], stage);
  const installed = join(prefix, 'lib', 'node_modules', NAME);
  if (!existsSync(join(installed, 'bin', 'run.js')))
    fail(`npm did not install ${NAME} into ${prefix}`);

  // 3. One archive for every platform only holds if nothing is compiled for one.
  const native = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.node') || entry.name === 'binding.gyp') native.push(file);
    }
  };
  walk(installed);
  if (native.length > 0)
    fail(
      `native code in the install, one archive cannot serve every platform:\n  ${native.join('\n  ')}`,
    );

  // 4. The archive's tree: launcher + lib/node_modules/kubectl-hyperpod (+ LICENSE if any).
  const tree = join(stage, 'tree');
  cpSync(installed, join(tree, 'lib', 'node_modules', NAME), { recursive: true });
  const launcher = join(tree, NAME);
  writeFileSync(
    launcher,
    `#!/bin/sh
# kubectl-hyperpod ${version} (krew archive). krew links this file into ~/.krew/bin, so $0 may be
# a symlink: follow it to find lib/ beside the real file. readlink -f where it exists (Linux,
# macOS 12.3+), else one readlink per hop (older macOS has no -f).
self=$(readlink -f "$0" 2>/dev/null) || self=
if [ -z "$self" ]; then
  self=$0
  while [ -L "$self" ]; do
    link=$(readlink "$self")
    case $link in
      /*) self=$link ;;
      *) self=$(dirname "$self")/$link ;;
    esac
  done
fi
here=$(cd "$(dirname "$self")" && pwd -P) || exit 1
if ! command -v node >/dev/null 2>&1; then
  echo "kubectl-hyperpod: needs Node.js 22.19 or newer as 'node' on PATH (https://nodejs.org)" >&2
  exit 127
fi
exec node "$here/lib/node_modules/${NAME}/bin/run.js" "$@"
`,
  );
  chmodSync(launcher, 0o755);
  const entries = [NAME, 'lib'];
  if (existsSync(join(root, 'LICENSE'))) {
    cpSync(join(root, 'LICENSE'), join(tree, 'LICENSE'));
    entries.push('LICENSE');
  }

  // 5. Archive and manifest.
  mkdirSync(outDir, { recursive: true });
  const archive = join(outDir, archiveName);
  execFileSync('tar', ['-czf', archive, '-C', tree, ...entries], { stdio: 'inherit' });
  const krewArgs = [join(root, 'cli', 'dist', 'krew.js'), archive, '--uri', uri];
  if (manifestOut) krewArgs.push('--out', resolve(manifestOut));
  const wrote = execFileSync(process.execPath, krewArgs, { cwd: root, encoding: 'utf8' });
  process.stdout.write(
    `wrote ${archive}\n${wrote}` +
      (opts.uri
        ? ''
        : `note: the manifest's uri is a placeholder; pass --uri <release URL of ${basename(archive)}>\n`),
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
