/**
 * How `kubectl hyperpod` reaches the sandbox's demo fleet, end to end with the built CLI: EKS
 * calls paced per account (`--rate-limit`, or the learned rate), clusters named by a fleet file,
 * and the access and configuration errors of a fleet (a silent API server, a cluster not in the
 * account, wrong or expired credentials). The rest of the demo fleet is in demoFleet.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterReport } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { parse } from 'yaml';
import { runCli } from './support/runCli';
import { useCliSandbox } from './support/useCliSandbox';

const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
const t = useCliSandbox(() => Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 }));

describe('--rate-limit', () => {
  it('paces EKS calls under the account limit: none refused and retried', async () => {
    t.sb.faults.set({ rateLimitPerAccount: 4 });
    try {
      await new Promise((r) => setTimeout(r, 1100)); // let the server's bucket refill
      t.sb.resetAwsCallStats();
      const r = await runCli(
        ['status', '--cluster', 'ml-research-usw2', '--rate-limit', '4', '-o', 'json'],
        t.fleet.env,
      );
      expect(r.code).toBe(0);
      const [rep] = JSON.parse(r.stdout) as ClusterReport[];
      expect(rep!.errors).toEqual([]);
      const calls = t.sb.awsCallStats().byOperation;
      // Exactly one call per read: a refused call would have been retried and counted twice.
      expect(calls['eks.DescribeCluster']).toBe(1);
      expect(calls['eks.ListAddons']).toBe(1);
      expect(calls['eks.DescribeAddon']).toBe(rep!.addons.length);
      expect(calls['eks.DescribeAddonVersions']).toBe(rep!.addons.length);
    } finally {
      t.sb.faults.set({ rateLimitPerAccount: 0 });
    }
  });

  it("without it, learns the account and region's limit from throttling and remembers it for the next run", async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'hyperpod-cache-'));
    const env = { ...t.fleet.env, KUBECTL_HYPERPOD_CACHE_DIR: cache };
    const cluster = t.sb.clusters.find((c) => c.name === 'ml-research-usw2')!;
    const scope = `${cluster.accountId}/${cluster.region}`;
    const run = async (cacheDir = cache) => {
      await new Promise((r) => setTimeout(r, 1100)); // let the server's bucket refill
      t.sb.resetAwsCallStats();
      const r = await runCli(['status', '--cluster', cluster.name, '-o', 'json'], {
        ...env,
        KUBECTL_HYPERPOD_CACHE_DIR: cacheDir,
      });
      expect(r.code).toBe(0);
      const [rep] = JSON.parse(r.stdout) as ClusterReport[];
      expect(rep!.errors).toEqual([]);
      return t.sb.awsCallStats().total;
    };
    // The calls of one scan when nothing is refused (in a cache directory of its own).
    const minimum = await run(mkdtempSync(path.join(tmpdir(), 'hyperpod-cache-')));
    t.sb.faults.set({ rateLimitPerAccount: 3 });
    try {
      // Calls beyond the minimum: refused ones, each retried once it was paced.
      const refusedFirst = (await run()) - minimum;
      const learned = JSON.parse(readFileSync(path.join(cache, 'pacing.json'), 'utf8')) as {
        scopes: Record<string, { state: { rate: number; ceiling?: number } }>;
      };
      // Started at 10 requests/s, refused at the 3/s limit once its burst was spent, and cut.
      expect(refusedFirst).toBeGreaterThan(0);
      expect(learned.scopes[scope]!.state.rate).toBeLessThan(10);
      expect(learned.scopes[scope]!.state.ceiling).toBeDefined();
      // The next run starts from what the first learned (a fresh start would be 10/s, cut to 9 at
      // its first refusal): it ends at most at the first run's rate.
      await run();
      const again = JSON.parse(
        readFileSync(path.join(cache, 'pacing.json'), 'utf8'),
      ) as typeof learned;
      expect(again.scopes[scope]!.state.rate).toBeLessThanOrEqual(
        learned.scopes[scope]!.state.rate,
      );
    } finally {
      t.sb.faults.set({ rateLimitPerAccount: 0 });
    }
  });

  it('refuses a rate that is not a positive integer (exit 2)', async () => {
    const r = await runCli(
      ['status', '--cluster', 'ml-research-usw2', '--rate-limit', '0'],
      t.fleet.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'error: --rate-limit: Expected an integer greater than or equal to 1 but received: 0',
      'try: kubectl hyperpod status --help',
    ]);
  });
});

describe('a fleet file (-f)', () => {
  const writeFleet = (text: string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hyperpod-fleet-')), 'fleet.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('scans the clusters it names, each with its profile, and reports drift from the declared configuration', async () => {
    const staging = t.sb.cluster('ml-staging-usw2');
    const research = t.sb.cluster('ml-research-usw2');
    const file = writeFleet(`clusters:
  - name: ${staging.name}
    accountId: "${staging.accountId}"
    region: ${staging.region}
    profile: dev
    context: ${staging.name}
    labels: { team: ml-platform }
    addons:
      ${INFERENCE}:
        configurationValues:
          tlsCertificateS3Bucket: hyperpod-tls-declared
          executionRoleArn: arn:aws:iam::${staging.accountId}:role/SageMakerHyperPodInference-declared
  - name: ${research.name}
    accountId: "${research.accountId}"
    region: ${research.region}
    profile: prod
`);
    const r = await runCli(['status', '-f', file, '-o', 'json'], t.fleet.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ClusterReport[];
    expect(out.map((x) => x.cluster.name).sort()).toEqual([research.name, staging.name]);
    const inference = out
      .find((x) => x.cluster.name === staging.name)!
      .addons.find((a) => a.name === INFERENCE)!;
    expect(inference.configDrift).toEqual({
      changed: ['executionRoleArn', 'tlsCertificateS3Bucket'],
      missing: [],
      extra: ['hyperpodClusterArn'],
    });
    expect(inference.findings.map((f) => f.code)).toContain('config-drift');
    // Nothing declared for the other cluster: no configuration drift reported there.
    const other = out
      .find((x) => x.cluster.name === research.name)!
      .addons.find((a) => a.name === INFERENCE)!;
    expect(other.configDrift).toBeUndefined();
  });

  it('refuses an invalid fleet file naming the problem, its path and how many more, exit 3, before any AWS call', async () => {
    const file = writeFleet(`clusters:
  - name: ml-staging-usw2
    region: us-west-9
  - name: "bad name!"
    region: us-east-1
    addons:
      coredns: { version: v1 }
`);
    t.sb.resetAwsCallStats();
    const r = await runCli(['status', '-f', file], t.fleet.env);
    expect(r.code).toBe(3);
    // One error line (the first problem and how many more) and the fix, as every CLI error.
    const [error, fix, ...rest] = r.stderr.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^error: bad fleet file: .*fleet\.yaml: clusters\[1\]\.name: must be an EKS cluster name .*\(and 3 more problems\)$/,
    );
    expect(fix).toMatch(/^try: kubectl hyperpod status --fleet /);
    expect(t.sb.awsCallStats().total).toBe(0);
  });
});

describe('access and configuration errors on the fleet', () => {
  const errorLines = (stderr: string) => stderr.trimEnd().split('\n');

  it('a cluster whose API server does not answer: exit 4, the AWS side still reported', async () => {
    const kc = parse(readFileSync(t.fleet.kubeconfig, 'utf8')) as {
      clusters: { name: string; cluster: { server: string } }[];
    };
    const prod = t.sb.cluster('ml-prod-use1');
    kc.clusters.find((c) => c.name === prod.arn)!.cluster.server = 'https://127.0.0.1:1';
    const file = path.join(t.fleet.dir, 'closed-port-kubeconfig');
    writeFileSync(file, JSON.stringify(kc));
    const r = await runCli(
      ['status', '--kubeconfig', file, '--context', 'ml-prod-use1', '-o', 'json'],
      t.fleet.env,
    );
    expect(r.code).toBe(4);
    const [rep] = JSON.parse(r.stdout) as ClusterReport[];
    expect(rep!.cluster.kubernetesVersion).toBe('1.31');
    expect(rep!.errors.length).toBeGreaterThan(0);
    expect(rep!.errors[0]).toMatchObject({ service: 'kubernetes', kind: 'Unavailable' });
    const [error, fix, ...rest] = errorLines(r.stderr);
    expect(rest).toEqual([]);
    expect(error).toMatch(/^error: cluster ml-prod-use1: .* failed: /);
    expect(fix).toMatch(/^try: kubectl --context ml-prod-use1 get --raw \/version/);
  });

  it('a cluster that is not in the account: exit 3 with the list command', async () => {
    const r = await runCli(
      ['status', '--cluster', 'ml-ghost-use1', '--region', 'us-east-1', '--profile', 'prod'],
      t.fleet.env,
    );
    expect(r.code).toBe(3);
    const [error, fix, ...rest] = errorLines(r.stderr);
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^error: cluster ml-ghost-use1: describe cluster failed: .*ml-ghost-use1/,
    );
    expect(fix).toMatch(/^try: aws eks list-clusters --region us-east-1 --profile prod/);
  });

  it('credentials with a wrong secret: exit 4', async () => {
    const creds = readFileSync(path.join(t.fleet.dir, '.aws', 'credentials'), 'utf8');
    const prod = t.sb.account('prod');
    writeFileSync(
      path.join(t.fleet.dir, '.aws', 'credentials'),
      `${creds}\n[wrong]\naws_access_key_id = ${prod.accessKeyId}\naws_secret_access_key = not-the-secret\n`,
    );
    const r = await runCli(
      ['status', '--context', 'ml-prod-use1', '--profile', 'wrong'],
      t.fleet.env,
    );
    expect(r.code).toBe(4);
    const [error, fix] = errorLines(r.stderr);
    expect(error).toMatch(/^error: cluster ml-prod-use1: describe cluster failed: /);
    expect(fix).toMatch(/^try: aws sso login --profile wrong/);
  });

  // Last: it expires the dev account's keys for the rest of this sandbox's life.
  it('expired credentials: exit 4, one error line per cluster with the fix', async () => {
    const dev = t.sb.account('dev');
    t.sb.expireCredentials(dev.accessKeyId);
    const r = await runCli(['status', '--cluster', 'ml-batch-use1', '-o', 'json'], t.fleet.env);
    expect(r.code).toBe(4);
    const [rep] = JSON.parse(r.stdout) as ClusterReport[];
    expect(rep!.health).toBe('Unknown');
    expect(rep!.errors).toContainEqual(
      expect.objectContaining({
        kind: 'Unauthenticated',
        service: 'eks',
        operation: 'DescribeCluster',
      }),
    );
    const [error, fix, ...rest] = errorLines(r.stderr);
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^error: cluster ml-batch-use1: describe cluster failed: The security token included in the request is expired/,
    );
    expect(fix).toMatch(/^try: aws sso login/);
  });
});
