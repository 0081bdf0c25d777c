/**
 * `kubectl krew install hyperpod` as krew does it, without krew: scripts/pack-krew.mjs builds the
 * release archive and its manifest; the test checks the manifest pins that archive, unpacks it
 * with `tar -xzf` (krew never runs npm), links the manifest's `bin` into a directory on PATH (krew's
 * ~/.krew/bin) and runs the plugin through the link, directly and through the real kubectl. PATH
 * holds only the link, node, kubectl and the two tools the launcher uses, so nothing from this
 * checkout or the machine's global installs can answer.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { krewMain } from 'kubectl-hyperpod/testing';
import { kubectlPath } from '../support/tools';
import { CLI_VERSION as VERSION, ROOT, cleanEnv, runProcess } from './support/runCli';

const run = promisify(execFile);
const URI = `https://downloads.example.com/kubectl-hyperpod/v${VERSION}/kubectl-hyperpod-${VERSION}-noarch.tar.gz`;

const exec = (file: string, args: string[], env: Record<string, string>) =>
  runProcess(file, args, { env, cwd: work, timeoutMs: 120_000 });

/** A directory of symlinks to the given executables: a PATH entry holding only them. */
function toolDir(name: string, tools: Record<string, string>): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [tool, target] of Object.entries(tools)) symlinkSync(target, path.join(dir, tool));
  return dir;
}

const which = async (tool: string): Promise<string> =>
  (await run('sh', ['-c', `command -v ${tool}`])).stdout.trim();

const work = mkdtempSync(path.join(tmpdir(), 'hyperpod-krew-'));
const out = path.join(work, 'out');
const archive = path.join(out, `kubectl-hyperpod-${VERSION}-noarch.tar.gz`);
const manifestFile = path.join(out, 'hyperpod.yaml');
const unpacked = path.join(work, 'krew', 'store', 'hyperpod', `v${VERSION}`);
let krewBin: string;
let nodeBin: string;
let shellTools: string;
let kubectlBin: string;

/** The user's environment: no NODE_ENV=test from jest, a temp HOME, only `dirs` on PATH. */
const userEnv = (...dirs: string[]): Record<string, string> => {
  const env = cleanEnv({ PATH: dirs.join(path.delimiter) });
  delete env.NODE_ENV;
  return env;
};

beforeAll(async () => {
  // npm as a user runs it: none of the npm_* settings an enclosing `npm test` exports.
  const env: Record<string, string> = {};
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (!k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())))
      env[k] = v;
  const packed = await exec(
    process.execPath,
    [
      path.join(ROOT, 'scripts', 'pack-krew.mjs'),
      '--out',
      out,
      '--uri',
      URI,
      '--manifest',
      manifestFile,
    ],
    env,
  );
  expect(packed).toMatchObject({ code: 0 });
  expect(packed.stdout).toContain(`wrote ${archive}`);

  // krew: unpack into its store, link `bin` into ~/.krew/bin.
  mkdirSync(unpacked, { recursive: true });
  await run('tar', ['-xzf', archive, '-C', unpacked]);
  krewBin = toolDir('krew-bin', { 'kubectl-hyperpod': path.join(unpacked, 'kubectl-hyperpod') });
  nodeBin = toolDir('node-bin', { node: process.execPath });
  shellTools = toolDir('shell-tools', {
    readlink: await which('readlink'),
    dirname: await which('dirname'),
  });
  kubectlBin = toolDir('kubectl-bin', { kubectl: kubectlPath() });
}, 150_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('krew manifest from pack-krew.mjs', () => {
  it('is a krew Plugin named hyperpod for linux and darwin on amd64 and arm64, bin kubectl-hyperpod', () => {
    const doc = parse(readFileSync(manifestFile, 'utf8'));
    expect(doc.apiVersion).toBe('krew.googlecontainertools.github.com/v1alpha2');
    expect(doc.kind).toBe('Plugin');
    expect(doc.metadata.name).toBe('hyperpod');
    expect(doc.spec.version).toBe(`v${VERSION}`);
    expect(doc.spec.caveats).toContain('Node.js 22.19 or newer');
    expect(
      doc.spec.platforms.map(
        (p: { selector: { matchLabels: Record<string, string> } }) => p.selector.matchLabels,
      ),
    ).toEqual([
      { os: 'linux', arch: 'amd64' },
      { os: 'linux', arch: 'arm64' },
      { os: 'darwin', arch: 'amd64' },
      { os: 'darwin', arch: 'arm64' },
    ]);
    for (const p of doc.spec.platforms) expect(p.bin).toBe('kubectl-hyperpod');
  });

  it('pins every platform to the archive: the --uri given and the sha256 of the archive written', () => {
    const doc = parse(readFileSync(manifestFile, 'utf8'));
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    for (const p of doc.spec.platforms) expect(p).toMatchObject({ uri: URI, sha256 });
  });

  it('krew.js --uri takes the full download URL instead of --base-url + file name', () => {
    const file = path.join(work, 'fake.tar.gz');
    writeFileSync(file, 'archive bytes');
    const written = krewMain(
      [file, '--uri', 'https://dl.example.com/a/b.tar.gz', '--out', path.join(work, 'm.yaml')],
      path.join(ROOT, 'cli'),
    );
    const [platform] = parse(readFileSync(written, 'utf8')).spec.platforms;
    expect(platform).toMatchObject({
      uri: 'https://dl.example.com/a/b.tar.gz',
      sha256: createHash('sha256').update('archive bytes').digest('hex'),
    });
  });
});

describe('krew archive', () => {
  it('has an executable launcher at its root and the installed package, bundled, under lib/', () => {
    const launcher = path.join(unpacked, 'kubectl-hyperpod');
    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    expect(readFileSync(launcher, 'utf8')).toMatch(/^#!\/bin\/sh\n/);
    const pkg = path.join(unpacked, 'lib', 'node_modules', 'kubectl-hyperpod');
    for (const file of [
      'bin/run.js',
      'oclif.manifest.json',
      'dist/launcher.js',
      'dist/bundle/oclif.cjs',
      'dist/bundle/cli.cjs',
      'dist/bundle/commands.cjs',
      'dist/bundle/THIRD-PARTY-NOTICES.txt',
    ])
      expect(existsSync(path.join(pkg, file))).toBe(true);
    // oclif, the AWS SDK, client-node... are inside the bundle, not beside it.
    expect(existsSync(path.join(pkg, 'node_modules'))).toBe(false);
    // Not an npm tarball: nothing under package/.
    expect(existsSync(path.join(unpacked, 'package'))).toBe(false);
  });

  it('runs as kubectl-hyperpod through the krew-style symlink', async () => {
    const r = await exec('kubectl-hyperpod', ['--help'], userEnv(krewBin, nodeBin, shellTools));
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('kubectl hyperpod');
    expect(r.stdout).toContain(`kubectl-hyperpod/${VERSION}`);
  });

  it('runs as `kubectl hyperpod` through the real kubectl', async () => {
    const r = await exec(
      'kubectl',
      ['hyperpod', '--help'],
      userEnv(kubectlBin, krewBin, nodeBin, shellTools),
    );
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('kubectl hyperpod');
    expect(r.stdout).toContain('status');
  });

  it('resolves the symlink where readlink has no -f (macOS before 12.3)', async () => {
    // A BSD-style readlink: `-f` is an illegal option; plain readlink works and leaves a trace.
    const realReadlink = await which('readlink');
    const bsd = path.join(work, 'bsd-tools');
    mkdirSync(bsd);
    const trace = path.join(work, 'plain-readlink-calls');
    writeFileSync(
      path.join(bsd, 'readlink'),
      `#!/bin/sh\ncase $1 in -*) echo "readlink: illegal option -- \${1#-}" >&2; exit 1 ;; esac\n` +
        `echo "$1" >> '${trace}'\nexec '${realReadlink}' "$@"\n`,
    );
    chmodSync(path.join(bsd, 'readlink'), 0o755);
    symlinkSync(await which('dirname'), path.join(bsd, 'dirname'));
    const r = await exec('kubectl-hyperpod', ['--help'], userEnv(krewBin, nodeBin, bsd));
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('kubectl hyperpod');
    expect(readFileSync(trace, 'utf8')).toContain(path.join(krewBin, 'kubectl-hyperpod'));
  });

  it('says Node.js 22.19 is needed when no node is on PATH (exit 127)', async () => {
    const r = await exec('kubectl-hyperpod', ['--help'], userEnv(krewBin, shellTools));
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('needs Node.js 22.19 or newer');
  });
});
