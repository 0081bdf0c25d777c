import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { ClusterReport } from '@hyperpod/core';
import type { KubeconfigExec } from '@hyperpod/sandbox';
import { parse } from 'yaml';
import { buildCli, cleanEnv, runCli } from '../cli/support/runCli';
import { SANDBOX_CLI, startSandboxProcess, type SandboxProcess } from '../support/sandboxProcess';
import { kubectlPath } from '../support/tools';

const run = promisify(execFile);

describe('hyperpod-sandbox command', () => {
  let sb: SandboxProcess;
  beforeAll(async () => {
    sb = await startSandboxProcess(['--scenario', 'demo', '--addon-transition', '200']);
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('prints the endpoints and commands to try on stderr', () => {
    expect(sb.stderr()).toContain(`AWS endpoint  ${sb.info.awsEndpoint}`);
    expect(sb.stderr()).toMatch(/kubectl --context \S+ get deployments -A/);
    expect(sb.stderr()).toContain('aws eks list-clusters');
  });

  it('serves the demo fleet: at least 6 clusters over 2 accounts and 2 regions', () => {
    expect(sb.info.scenario).toBe('demo');
    expect(sb.info.clusters.length).toBeGreaterThanOrEqual(6);
    expect(new Set(sb.info.clusters.map((c) => c.accountId)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(sb.info.clusters.map((c) => c.region)).size).toBeGreaterThanOrEqual(2);
  });

  it('writes a kubeconfig with one context per cluster, and credential files only its owner can read', () => {
    const kc = parse(readFileSync(sb.info.files.kubeconfig, 'utf8')) as {
      contexts: { name: string; context: { cluster: string; user: string } }[];
      clusters: { name: string; cluster: { server: string } }[];
    };
    expect(kc.contexts.map((c) => c.name).sort()).toEqual(
      sb.info.clusters.map((c) => c.context).sort(),
    );
    for (const c of sb.info.clusters) {
      expect(kc.clusters.find((x) => x.name === c.arn)?.cluster.server).toBe(c.server);
    }
    for (const f of Object.values(sb.info.files)) {
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    expect(statSync(sb.outDir).mode & 0o077).toBe(0);
  });

  it('names the AWS profile of each cluster in its context, as aws eks update-kubeconfig --profile does', async () => {
    const kc = parse(readFileSync(sb.info.files.kubeconfig, 'utf8')) as {
      users: {
        name: string;
        user: { exec: { args: string[]; env: { name: string; value: string }[] } };
      }[];
    };
    for (const c of sb.info.clusters) {
      const exec = kc.users.find((u) => u.name === c.arn)!.user.exec;
      const alias = sb.info.accounts.find((a) => a.accountId === c.accountId)!.alias;
      expect(exec.env).toEqual([{ name: 'AWS_PROFILE', value: alias }]);
      expect(exec.args).toEqual(
        expect.arrayContaining(['--cluster-name', c.name, '--region', c.region]),
      );
    }
    // kubectl runs the credential plugin and reaches a dev-account cluster with it.
    const dev = sb.info.clusters.find((c) => c.accountId === '222222222222')!;
    const out = await run(await kubectlPath(), [
      '--kubeconfig',
      sb.info.files.kubeconfig,
      '--context',
      dev.context,
      'get',
      'ns',
      '-o',
      'name',
    ]);
    expect(out.stdout).toContain('namespace/kube-system');
  });

  it('gives the portal the fleet as aws eks update-kubeconfig writes it, read with tokens minted in-process', async () => {
    const appConfig = parse(readFileSync(sb.info.files.appConfig, 'utf8')) as {
      hyperpod: { kubeconfig: string };
    };
    expect(appConfig.hyperpod.kubeconfig).toBe(sb.info.files.kubeconfigEks);
    const kc = parse(readFileSync(sb.info.files.kubeconfigEks, 'utf8')) as {
      contexts: { name: string }[];
      users: { name: string; user: { exec: KubeconfigExec } }[];
    };
    expect(kc.contexts.map((c) => c.name).sort()).toEqual(
      sb.info.clusters.map((c) => c.context).sort(),
    );
    for (const c of sb.info.clusters) {
      const alias = sb.info.accounts.find((a) => a.accountId === c.accountId)!.alias;
      const getToken = `--region ${c.region} eks get-token --cluster-name ${c.name} --output json`;
      expect(kc.users.find((u) => u.name === c.arn)!.user.exec).toMatchObject({
        command: 'aws',
        args: getToken.split(' '),
        env: [{ name: 'AWS_PROFILE', value: alias }],
      });
    }
    // With no aws CLI on PATH, kubectl-hyperpod reads a dev-account cluster through it.
    buildCli();
    const dev = sb.info.clusters.find((c) => c.accountId === '222222222222')!;
    const r = await runCli(
      ['status', '--context', dev.context, '-o', 'json'],
      cleanEnv({
        PATH: mkdtempSync(join(tmpdir(), 'hyperpod-no-aws-')),
        KUBECONFIG: sb.info.files.kubeconfigEks,
        AWS_CONFIG_FILE: sb.info.files.awsConfig,
        AWS_SHARED_CREDENTIALS_FILE: sb.info.files.awsCredentials,
      }),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [report] = JSON.parse(r.stdout) as ClusterReport[];
    expect(report!.cluster).toMatchObject({ name: dev.name, accountId: '222222222222' });
    expect(report!.errors).toEqual([]);
  }, 120_000);

  it('refuses a token for a cluster to a profile of another account', async () => {
    const dev = sb.info.clusters.find((c) => c.accountId === '222222222222')!;
    const token = SANDBOX_CLI.replace(/cli\.js$/, 'token.js');
    const args = [
      token,
      '--state',
      sb.info.files.json,
      '--cluster-name',
      dev.name,
      '--region',
      dev.region,
    ];
    const ok = await run(process.execPath, args, { env: { ...process.env, AWS_PROFILE: 'dev' } });
    expect(JSON.parse(ok.stdout)).toMatchObject({
      kind: 'ExecCredential',
      status: { token: dev.token },
    });
    await expect(
      run(process.execPath, args, { env: { ...process.env, AWS_PROFILE: 'prod' } }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `no cluster ${dev.name} in ${dev.region} for account 111111111111`,
      ),
    });
  });

  it('changes fault knobs at run time through the control API and refuses bad ones', async () => {
    const ok = await sb.control<{ latencyMs: number; throttleRate: number }>('PUT', '/faults', {
      latencyMs: 5,
      throttleRate: 0.25,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ latencyMs: 5, throttleRate: 0.25 });
    const bad = await sb.control<{ error: string }>('PUT', '/faults', { throttleRate: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/throttleRate must be between 0 and 1/);
    const unknown = await sb.control<{ error: string }>('PUT', '/faults', { fastMode: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/unknown setting 'fastMode'/);
    const notJson = await sb.control<{ error: string }>('PUT', '/faults', '{oops');
    expect(notJson.status).toBe(400);
    const after = await sb.control<{ throttleRate: number }>('GET', '/faults');
    expect(after.body.throttleRate).toBe(0.25);
    const limit = await sb.control('PUT', '/faults', {
      rateLimitPerAccount: 5,
      rateLimitScope: 'account-region',
    });
    expect(limit.body).toMatchObject({ rateLimitPerAccount: 5, rateLimitScope: 'account-region' });
    const badScope = await sb.control<{ error: string }>('PUT', '/faults', {
      rateLimitScope: 'planet',
    });
    expect(badScope.status).toBe(400);
    expect(badScope.body.error).toMatch(/rateLimitScope must be account or account-region/);
    await sb.control('PUT', '/faults', {
      latencyMs: 0,
      throttleRate: 0,
      rateLimitPerAccount: 0,
      rateLimitScope: 'account',
    });
  });

  it('counts AWS calls per operation, and from zero again after DELETE /stats', async () => {
    const c = sb.info.clusters[0]!;
    const a = sb.info.accounts.find((x) => x.accountId === c.accountId)!;
    const eks = new EKSClient({
      endpoint: sb.info.awsEndpoint,
      region: c.region,
      credentials: { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey },
    });
    type Stats = { total: number; byOperation: Record<string, number> };
    const reset = await sb.control<Stats>('DELETE', '/stats');
    expect(reset.status).toBe(200);
    expect(reset.body.total).toBe(0);
    await eks.send(new DescribeClusterCommand({ name: c.name }));
    await eks.send(new DescribeClusterCommand({ name: c.name }));
    const counted = await sb.control<Stats>('GET', '/stats');
    expect(counted.body.total).toBe(2);
    expect(counted.body.byOperation['eks.DescribeCluster']).toBe(2);
    await sb.control('DELETE', '/stats');
    expect((await sb.control<Stats>('GET', '/stats')).body.total).toBe(0);
    eks.destroy();
  });

  it('refuses control calls without its token', async () => {
    const res = await fetch(sb.info.control.endpoint + '/status');
    expect(res.status).toBe(401);
  });

  it('takes snapshots that compare equal while nothing changes', async () => {
    const a = await sb.control('POST', '/snapshot');
    const d = await sb.control<{ differences: unknown[] }>('POST', '/diff', { before: a.body });
    expect(d.status).toBe(200);
    expect(d.body.differences).toEqual([]);
  });

  it('rejects an unknown scenario with the list of known ones and a non-zero exit', async () => {
    await expect(run(process.execPath, [SANDBOX_CLI, '--scenario', 'nope'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/unknown scenario 'nope'.*demo/),
    });
  });

  it('rejects a bad knob value before starting anything', async () => {
    await expect(
      run(process.execPath, [SANDBOX_CLI, '--throttle-rate', '3']),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/--throttle-rate must be a number from 0 to 1/),
    });
  });
});
