/**
 * `kubectl hyperpod` as a user installs it: `npm run pack:cli` makes one tarball, `npm install -g`
 * puts it into a fresh prefix (nothing from a registry: the CLI ships bundled, with no
 * dependencies; docs/adr/0006-cli-bundle.md), and the real kubectl finds it on PATH. The
 * installed copy must run on its own: nothing it loads may come from this checkout.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClusterReport } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { kubectlPath } from '../support/tools';
import { CLI_VERSION as VERSION, ROOT, cleanEnv, runProcess } from './support/runCli';

const run = promisify(execFile);

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

/**
 * The tarball's cli.cjs as one line: the bundle breaks long lines, inside string literals too
 * (backslash-newline), so a name can straddle a break.
 */
async function packedCliBundle(): Promise<string> {
  const { stdout } = await run('tar', ['xzOf', tarball, 'package/dist/bundle/cli.cjs'], {
    maxBuffer: 64 << 20,
  });
  return stdout.replace(/\\?\n/g, '');
}

describe('npm run pack:cli', () => {
  it('packs one tarball: the bundled CLI, its licence notices, and no dependencies', async () => {
    const { stdout } = await run('tar', ['tzf', tarball], { maxBuffer: 16 << 20 });
    const entries = stdout.split('\n').filter(Boolean);
    expect(entries).toEqual(
      expect.arrayContaining([
        'package/bin/run.js',
        'package/oclif.manifest.json',
        'package/dist/launcher.js',
        'package/dist/bundle/oclif.cjs',
        'package/dist/bundle/cli.cjs',
        'package/dist/bundle/commands.cjs',
        'package/dist/bundle/THIRD-PARTY-NOTICES.txt',
        // The -o json|yaml contracts, for users to validate against.
        'package/schemas/cluster-reports.schema.json',
      ]),
    );
    // Everything is in the bundle: no node_modules, no tsc output besides the launcher.
    expect(entries.filter((e) => e.includes('/node_modules/'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('package/dist/commands/'))).toEqual([]);
    const { stdout: pj } = await run('tar', ['xzOf', tarball, 'package/package.json']);
    const pkg = JSON.parse(pj) as Record<string, unknown>;
    for (const key of ['dependencies', 'bundleDependencies', 'bundledDependencies', 'scripts'])
      expect(pkg[key]).toBeUndefined();
    const { stdout: notices } = await run(
      'tar',
      ['xzOf', tarball, 'package/dist/bundle/THIRD-PARTY-NOTICES.txt'],
      { maxBuffer: 16 << 20 },
    );
    for (const name of ['@oclif/core', '@kubernetes/client-node', '@aws-sdk/client-eks', 'yaml'])
      expect(notices).toContain(`\n${name}@`);
  });

  it('bundles of each AWS SDK client the commands core-node sends, and not the rest', async () => {
    const cli = await packedCliBundle();
    // A class the bundle defines names itself (keepNames): `static{…(this,"Name")}`.
    const defines = (name: string) => cli.includes(`(this,"${name}")`);
    const sent = ['DescribeAddonVersionsCommand', 'AttachRolePolicyCommand', 'HeadBucketCommand'];
    expect(sent.filter((name) => !defines(name))).toEqual([]);
    // Never sent: the clients' other operations (and their aggregated classes) are left out.
    const unused = ['CreateNodegroupCommand', 'CreateTrainingJobCommand', 'PutObjectCommand'];
    expect(unused.filter((name) => cli.includes(name))).toEqual([]);
    expect(['SageMaker', 'EKS', 'IAM', 'S3'].filter(defines)).toEqual([]);
  });
});

describe('npm install -g kubectl-hyperpod-<version>.tgz', () => {
  it('puts kubectl-hyperpod on PATH; its help speaks of `kubectl hyperpod`', async () => {
    const r = await exec('kubectl-hyperpod', ['--help'], userEnv(), work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ kubectl hyperpod');
    expect(r.stdout).toContain(`kubectl-hyperpod/${VERSION}`);
  });

  it("suggests the command meant for a mistyped one (the launcher's dist/closest.js is shipped)", async () => {
    const r = await exec('kubectl-hyperpod', ['stauts'], userEnv(), work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "stauts"');
    expect(r.stderr).toContain('try: kubectl hyperpod status');
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

  it('runs entirely from the prefix: every module a `status` run loads is its bundle', async () => {
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
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
    expect(files.sort()).toEqual(
      [
        'bin/run.js',
        'dist/launcher.js',
        'dist/bundle/oclif.cjs',
        'dist/bundle/commands.cjs',
        'dist/bundle/cli.cjs',
      ]
        .map((f) => path.join(installed, f))
        .sort(),
    );
  });

  it('keeps a compile cache in its cache directory, and runs the same from it or without it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'hyperpod-home-'));
    const cache = path.join(home, '.cache', 'kubectl-hyperpod', 'compile-cache');
    const env = (extra: Record<string, string> = {}) =>
      userEnv({
        ...sb.awsEnv('prod', 'us-east-1'),
        KUBECONFIG: kubeconfig,
        HOME: home,
        ...extra,
      });
    const status = ['status', '--context', 'ml-research-usw2', '-o', 'json'];
    const plain = await exec(
      'kubectl-hyperpod',
      status,
      env({ NODE_DISABLE_COMPILE_CACHE: '1' }),
      work,
    );
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(cache)).toBe(false);

    // The first run writes a cache per bundle; the next ones start from it.
    const first = await exec('kubectl-hyperpod', status, env(), work);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const written = readdirSync(cache).sort();
    expect(written).toEqual([
      expect.stringMatching(/^cli\.cjs-/),
      expect.stringMatching(/^oclif\.cjs-/),
    ]);
    const writtenAt = written.map((f) => statSync(path.join(cache, f)).mtimeMs);
    const second = await exec('kubectl-hyperpod', status, env(), work);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    // Used as it is: a cache V8 refused would have been written again.
    expect(readdirSync(cache).sort()).toEqual(written);
    expect(written.map((f) => statSync(path.join(cache, f)).mtimeMs)).toEqual(writtenAt);
    const cluster = (out: string) => (JSON.parse(out) as ClusterReport[])[0]!.cluster;
    expect(cluster(first.stdout)).toEqual(cluster(plain.stdout));
    expect(cluster(second.stdout)).toEqual(cluster(plain.stdout));

    // Another command, and help, get caches of their own (each holds what its runs compile);
    // status's stay as they were.
    const drift = await exec('kubectl-hyperpod', ['drift', ...status.slice(1)], env(), work);
    expect(drift).toMatchObject({ code: 0, stderr: '' });
    const help = await exec('kubectl-hyperpod', ['--help'], env(), work);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    const all = readdirSync(cache).sort();
    expect(all).toEqual(expect.arrayContaining(written));
    expect(all.filter((f) => !written.includes(f))).toEqual([
      expect.stringMatching(/^cli\.cjs-.*-drift--/),
      expect.stringMatching(/^oclif\.cjs-.*-help--/),
    ]);
    expect(written).toEqual([
      expect.stringMatching(/^cli\.cjs-.*-status--/),
      expect.stringMatching(/^oclif\.cjs-.*-run--/),
    ]);
    expect(written.map((f) => statSync(path.join(cache, f)).mtimeMs)).toEqual(writtenAt);

    // A cache V8 refuses (here: garbage) is ignored and rewritten.
    const cliCache = path.join(cache, written[0]!);
    writeFileSync(cliCache, 'not a V8 code cache');
    const third = await exec('kubectl-hyperpod', status, env(), work);
    expect(third).toMatchObject({ code: 0, stderr: '' });
    expect(cluster(third.stdout)).toEqual(cluster(plain.stdout));
    expect(readFileSync(cliCache, 'utf8')).not.toBe('not a V8 code cache');

    // A cache directory that cannot be made costs the cache, never the command.
    const notADir = path.join(home, 'not-a-directory');
    writeFileSync(notADir, '');
    const unwritable = await exec(
      'kubectl-hyperpod',
      ['--help'],
      env({ KUBECTL_HYPERPOD_CACHE_DIR: path.join(notADir, 'cache') }),
      work,
    );
    expect(unwritable).toMatchObject({ code: 0, stderr: '' });
    expect(unwritable.stdout).toContain('$ kubectl hyperpod');
    rmSync(home, { recursive: true, force: true });
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
