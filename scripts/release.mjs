#!/usr/bin/env node
// Lays out a release: every artifact of one version in one folder, as it is uploaded (e.g. as the
// assets of a GitHub release), with the krew manifest pointing at the archive's final URL.
//
//   node scripts/release.mjs --base-url URL [--out DIR]
//
//   DIR (default dist/release/v<version>/):
//     hyperpod-core-<v>.tgz, hyperpod-core-node-<v>.tgz,           npm tarballs of the four
//     hyperpod-plugin-hyperpod-<v>.tgz,                            packages (pack-packages.mjs),
//     hyperpod-plugin-hyperpod-backend-<v>.tgz                     `npm publish <tarball>` each
//     kubectl-hyperpod-<v>.tgz                                     the CLI (pack-cli.mjs):
//                                                                  `npm install -g` it
//     kubectl-hyperpod-<v>-noarch.tar.gz                           the krew archive (pack-krew.mjs)
//     hyperpod.yaml                                                the krew manifest: uri
//                                                                  <base-url>/<archive>, its sha256
//     SHA256SUMS                                                   `sha256sum -c SHA256SUMS`
//
// --base-url is where DIR's files will be downloaded from, e.g.
// https://github.com/<owner>/<repo>/releases/download/v<version>; the manifest is only valid there.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, scriptOptions } from './lib/scriptArgs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const opts = scriptOptions({ 'base-url': { type: 'string' }, out: { type: 'string' } });
const { version } = JSON.parse(readFileSync(join(root, 'cli', 'package.json'), 'utf8'));
const baseUrl = (
  opts['base-url'] ?? fail('--base-url is needed: where the release files will be downloaded from')
).replace(/\/+$/, '');
if (!/^https:\/\//.test(baseUrl)) fail(`--base-url must be an https URL, not ${baseUrl}`);
const out = resolve(opts.out ?? join(root, 'dist', 'release', `v${version}`));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const node = (script, argv) =>
  execFileSync(process.execPath, [join(root, 'scripts', script), ...argv], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
node('pack-packages.mjs', ['--out', out, '--quiet']);
const archive = `kubectl-hyperpod-${version}-noarch.tar.gz`;
// pack-krew.mjs packs the CLI's npm tarball into --out first, then the archive and manifest.
node('pack-krew.mjs', [
  '--out',
  out,
  '--uri',
  `${baseUrl}/${archive}`,
  '--manifest',
  join(out, 'hyperpod.yaml'),
]);

const files = readdirSync(out)
  .filter((f) => f !== 'SHA256SUMS')
  .sort();
const expected = [
  `hyperpod-core-${version}.tgz`,
  `hyperpod-core-node-${version}.tgz`,
  `hyperpod-plugin-hyperpod-${version}.tgz`,
  `hyperpod-plugin-hyperpod-backend-${version}.tgz`,
  `kubectl-hyperpod-${version}.tgz`,
  archive,
  'hyperpod.yaml',
].sort();
if (JSON.stringify(files) !== JSON.stringify(expected))
  fail(`the release folder holds ${files.join(', ')}; expected ${expected.join(', ')}`);
const sums = files
  .map(
    (f) =>
      `${createHash('sha256')
        .update(readFileSync(join(out, f)))
        .digest('hex')}  ${f}\n`,
  )
  .join('');
writeFileSync(join(out, 'SHA256SUMS'), sums);
process.stdout.write(`release v${version} in ${out}:\n${sums}`);
