/**
 * `kubectl hyperpod` as a user installs it: `npm run pack:cli` makes one tarball, `npm install -g`
 * puts it into a fresh prefix (third-party packages from the registry, the unpublished
 * @hyperpod/* packages from inside the tarball), and the real kubectl finds it on PATH. The
 * installed copy must run on its own: nothing it loads may come from this checkout.
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClusterReport } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { kubectlPath } from '../support/tools';
import { ROOT, cleanEnv, runProcess } from './support/runCli';

const run = promisify(execFile);
const VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as { version: string }
).version;

const exec = (file: string, args: string[], env: Record<string, string>, cwd: string) =>
  runProcess(file, args, { env, cwd, timeoutMs: 120_000 });

/**
 * npm as the user runs it: their registry, cache and user config, but none of the settings an
 * enclosing `npm test` (or `npm test -w x`) exports, which would turn the install into a
 * workspace operation.
 */
function npmEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (!k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())))
      env[k] = v;
  return env;
}

const work = mkdtempSync(path.join(tmpdir(), 'hyperpod-install-'));
const prefix = path.join(work, 'prefix');
const installed = path.join(prefix, 'lib', 'node_modules', 'kubectl-hyperpod');
let tarball: string;
let sb: Sandbox;
let kubeconfig: string;

/**
 * A user's environment: PATH with only the prefix's bin and node (no other kubectl-hyperpod can
 * answer), and no NODE_ENV=test from jest (oclif would look for TypeScript sources then).
 */
const userEnv = (extra: Record<string, string> = {}): Record<string, string> => {
  const env = cleanEnv({
    PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath)].join(path.delimiter),
    ...extra,
  });
  delete env.NODE_ENV;
  return env;
};

beforeAll(async () => {
  const packed = await exec(
    process.execPath,
    [path.join(ROOT, 'scripts', 'pack-cli.mjs'), '--out', path.join(work, 'out')],
    npmEnv(),
    ROOT,
  );
  expect(packed).toMatchObject({ code: 0 });
  tarball = path.join(work, 'out', `kubectl-hyperpod-${VERSION}.tgz`);
  expect(packed.stdout).toContain(`wrote ${tarball}`);

  // Outside the checkout, so npm sees no workspace around it.
  const install = await exec(
    'npm',
    ['install', '--global', '--prefix', prefix, tarball, '--no-audit', '--no-fund'],
    npmEnv(),
    work,
  );
  expect(install).toMatchObject({ code: 0 });

  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  kubeconfig = path.join(work, 'kubeconfig');
  writeFileSync(kubeconfig, sb.kubeconfig('ml-prod-use1'));
}, 240_000);
afterAll(async () => {
  await sb?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run pack:cli', () => {
  it('packs one tarball that carries @hyperpod/core and @hyperpod/core-node as real directories', async () => {
    const { stdout } = await run('tar', ['tzf', tarball], { maxBuffer: 16 << 20 });
    const entries = stdout.split('\n');
    expect(entries).toEqual(
      expect.arrayContaining([
        'package/bin/run.js',
        'package/oclif.manifest.json',
        'package/dist/commands/status.js',
        'package/node_modules/@hyperpod/core/dist/index.js',
        'package/node_modules/@hyperpod/core-node/dist/index.js',
      ]),
    );
    const { stdout: pj } = await run('tar', ['xzOf', tarball, 'package/package.json']);
    const pkg = JSON.parse(pj) as {
      dependencies: Record<string, string>;
      bundleDependencies: string[];
    };
    expect(pkg.bundleDependencies).toEqual(['@hyperpod/core', '@hyperpod/core-node']);
    // Pinned to the bundled copies, and their registry dependencies hoisted into the CLI's.
    expect(pkg.dependencies).toMatchObject({
      '@hyperpod/core': VERSION,
      '@hyperpod/core-node': VERSION,
      '@aws-sdk/client-eks': expect.any(String),
      '@kubernetes/client-node': expect.any(String),
      semver: expect.any(String),
    });
  });
});

describe('npm install -g kubectl-hyperpod-<version>.tgz', () => {
  it('puts kubectl-hyperpod on PATH; its help speaks of `kubectl hyperpod`', async () => {
    const r = await exec('kubectl-hyperpod', ['--help'], userEnv(), work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ kubectl hyperpod');
    expect(r.stdout).toContain(`kubectl-hyperpod/${VERSION}`);
  });

  it('kubectl finds the plugin: `kubectl plugin list` and `kubectl hyperpod --help`', async () => {
    const kubectl = kubectlPath();
    const list = await exec(kubectl, ['plugin', 'list'], userEnv(), work);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(path.join(prefix, 'bin', 'kubectl-hyperpod'));
    expect(list.stderr).not.toMatch(/warning/i);

    const help = await exec(kubectl, ['hyperpod', 'status', '--help'], userEnv(), work);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ kubectl hyperpod status');
  });

  it('`kubectl hyperpod status --context ml-research-usw2 -o json` reads the sandbox cluster', async () => {
    const cluster = sb.clusters.find((c) => c.name === 'ml-research-usw2')!;
    const r = await exec(
      kubectlPath(),
      ['hyperpod', 'status', '--context', 'ml-research-usw2', '-o', 'json'],
      userEnv({ ...sb.awsEnv('prod', 'us-east-1'), KUBECONFIG: kubeconfig }),
      work,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout) as ClusterReport[];
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report!.cluster).toMatchObject({
      name: 'ml-research-usw2',
      arn: cluster.arn,
      accountId: cluster.accountId,
      region: 'us-west-2',
      kubernetesVersion: cluster.kubernetesVersion,
    });
    expect(report!.errors).toEqual([]);
    expect(
      report!.addons.find((a) => a.name === 'amazon-sagemaker-hyperpod-inference'),
    ).toMatchObject({
      installedVia: 'addon',
      health: 'Healthy',
    });
  });

  it('runs entirely from the prefix: nothing it resolves or loads comes from the checkout', async () => {
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    // Resolved by a plain node (jest's resolver maps @hyperpod/* to this checkout's sources).
    const names = ['@hyperpod/core', '@hyperpod/core-node', '@oclif/core'];
    const resolved = await exec(
      process.execPath,
      [
        '-e',
        `for (const n of ${JSON.stringify(names)}) console.log(require('fs').realpathSync(require.resolve(n, { paths: [${JSON.stringify(installed)}] })))`,
      ],
      userEnv(),
      work,
    );
    expect(resolved.code).toBe(0);
    expect(resolved.stdout.trim().split('\n')).toEqual([
      path.join(installed, 'node_modules', '@hyperpod', 'core', 'dist', 'index.js'),
      path.join(installed, 'node_modules', '@hyperpod', 'core-node', 'dist', 'index.js'),
      expect.stringMatching(`^${installed}/node_modules/@oclif/core/`),
    ]);
    // Every CommonJS module a real `status` run loads, recorded as the process exits.
    const trace = path.join(work, 'trace.js');
    const loaded = path.join(work, 'loaded.json');
    writeFileSync(
      trace,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loaded)}, ` +
        `JSON.stringify(Object.keys(require.cache).map((f) => require('fs').realpathSync(f)))));\n`,
    );
    const r = await exec(
      'kubectl-hyperpod',
      ['status', '--context', 'ml-research-usw2', '-o', 'json'],
      userEnv({
        ...sb.awsEnv('prod', 'us-east-1'),
        KUBECONFIG: kubeconfig,
        NODE_OPTIONS: `--require ${trace}`,
      }),
      work,
    );
    expect(r.code).toBe(0);
    const files = (JSON.parse(readFileSync(loaded, 'utf8')) as string[]).filter((f) => f !== trace);
    expect(files.filter((f) => !f.startsWith(installed + path.sep))).toEqual([]);
    expect(files).toContain(
      path.join(installed, 'node_modules', '@hyperpod', 'core', 'dist', 'index.js'),
    );
    expect(files).toContain(
      path.join(installed, 'node_modules', '@hyperpod', 'core-node', 'dist', 'index.js'),
    );
  });
});

describe('from a checkout', () => {
  it('`npm install -g ./cli` links the built checkout (it runs from the clone, as npm link does)', async () => {
    const linkPrefix = path.join(work, 'link-prefix');
    const install = await exec(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        linkPrefix,
        path.join(ROOT, 'cli'),
        '--no-audit',
        '--no-fund',
      ],
      npmEnv(),
      work,
    );
    expect(install.code).toBe(0);
    const link = path.join(linkPrefix, 'lib', 'node_modules', 'kubectl-hyperpod');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(path.resolve(path.dirname(link), readlinkSync(link))).toBe(path.join(ROOT, 'cli'));
    const r = await exec(
      'kubectl-hyperpod',
      ['--version'],
      cleanEnv({
        PATH: [path.join(linkPrefix, 'bin'), path.dirname(process.execPath)].join(path.delimiter),
      }),
      work,
    );
    expect(r).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`kubectl-hyperpod/${VERSION}`),
    });
  });

  it('`npm pack -w cli` refuses, naming the command that makes an installable tarball', async () => {
    const r = await exec('npm', ['pack', '--dry-run'], npmEnv(), path.join(ROOT, 'cli'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: cli/ cannot be packed or published as is');
    expect(r.stderr).toContain('try: npm run pack:cli -w cli');
  });
});
