/**
 * Bad input that needs no AWS: each case is one `error:` line, one `try:` line with the
 * corrected command, and the documented exit code. Runs the built CLI as a child process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectOneLineError } from './support/expectOneLineError';
import { buildCli, cleanEnv, runCli } from './support/runCli';

const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-cli-errors-'));
const kubeconfig = path.join(dir, 'config');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
current-context: ml-prod-use1
clusters:
- name: arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1
  cluster: { server: 'https://127.0.0.1:1' }
- name: arn:aws:eks:us-east-1:222222222222:cluster/ml-dev-use1
  cluster: { server: 'https://127.0.0.1:1' }
users:
- name: u
  user: { token: t }
contexts:
- name: ml-prod-use1
  context: { cluster: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1', user: u }
- name: ml-dev-use1
  context: { cluster: 'arn:aws:eks:us-east-1:222222222222:cluster/ml-dev-use1', user: u }
`,
);
const malformed = path.join(dir, 'malformed');
writeFileSync(malformed, 'apiVersion: v1\nclusters:\n  - name: a\n   cluster: [oops\n');
const env = cleanEnv({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
});

beforeAll(() => buildCli(), 180_000);

describe('usage errors exit 2', () => {
  it('an output format kubectl does not know', async () => {
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '-o', 'xml'], env);
    expectOneLineError(
      r,
      2,
      /Expected --output=xml to be one of: table, wide, json, yaml/,
      /^try: kubectl hyperpod status --help$/,
    );
  });

  it('a number out of range (--concurrency 0)', async () => {
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '--concurrency', '0'], env);
    expectOneLineError(
      r,
      2,
      /^error: --concurrency: Expected an integer greater than or equal to 1 but received: 0$/,
      /^try: kubectl hyperpod status --help$/,
    );
  });

  it('a flag that does not exist', async () => {
    const r = await runCli(['drift', '--namespace', 'x'], env);
    expectOneLineError(
      r,
      2,
      /Nonexistent flag: --namespace/,
      /^try: kubectl hyperpod drift --help$/,
    );
  });

  it('--context together with --cluster', async () => {
    const r = await runCli(
      [
        'status',
        '--kubeconfig',
        kubeconfig,
        '--context',
        'ml-prod-use1',
        '--cluster',
        'ml-dev-use1',
      ],
      env,
    );
    expectOneLineError(
      r,
      2,
      /--context selects one cluster; it cannot be combined with --cluster/,
      new RegExp(
        `^try: kubectl hyperpod status --kubeconfig ${kubeconfig} --context ml-prod-use1$`,
      ),
    );
  });

  it('a timeout that is not a duration', async () => {
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '--timeout', 'soon'], env);
    expectOneLineError(r, 2, /invalid duration "soon"/, /--timeout 30s$/);
  });

  it('addons versions without the add-on name', async () => {
    const r = await runCli(['addons', 'versions', '--kubeconfig', kubeconfig], env);
    expectOneLineError(
      r,
      2,
      /^error: missing argument NAME \(EKS add-on name, e\.g\. amazon-sagemaker-hyperpod-inference\): kubectl hyperpod addons versions NAME$/,
      /^try: kubectl hyperpod addons versions --help$/,
    );
  });
});

describe('configuration errors exit 3', () => {
  it('a kubeconfig that does not exist', async () => {
    const r = await runCli(['status', '--kubeconfig', path.join(dir, 'nope')], env);
    expectOneLineError(
      r,
      3,
      new RegExp(`kubeconfig ${path.join(dir, 'nope')} does not exist`),
      /--kubeconfig/,
    );
  });

  it('no kubeconfig at all (default ~/.kube/config)', async () => {
    const r = await runCli(['status'], env);
    expectOneLineError(
      r,
      3,
      /kubeconfig .*\.kube\/config does not exist/,
      /^try: aws eks update-kubeconfig --name <cluster> --region <region>$/,
    );
  });

  it('a kubeconfig that is not YAML', async () => {
    const r = await runCli(['status', '--kubeconfig', malformed], env);
    expectOneLineError(r, 3, /is not valid YAML/, /kubectl config view --kubeconfig/);
  });

  it('an unknown context, naming the known ones and the closest as the fix', async () => {
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '--context', 'ml-prod'], env);
    expectOneLineError(
      r,
      3,
      new RegExp(
        `context "ml-prod" not found in ${kubeconfig} \\(known: ml-prod-use1, ml-dev-use1\\)`,
      ),
      new RegExp(
        `^try: kubectl hyperpod status --kubeconfig ${kubeconfig} --context ml-prod-use1$`,
      ),
    );
  });

  it('an unknown cluster', async () => {
    const r = await runCli(['drift', '--kubeconfig', kubeconfig, '--cluster', 'ml-dev-use2'], env);
    expectOneLineError(
      r,
      3,
      /cluster "ml-dev-use2" not found in .* \(known: ml-prod-use1, ml-dev-use1\)/,
      /--cluster ml-dev-use1$/,
    );
  });

  it('an invalid cluster name, before any call', async () => {
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '--cluster', 'ml prod!'], env);
    // The fix is the nearest cluster of the kubeconfig, not the input "cleaned" (ml-prod-).
    expectOneLineError(
      r,
      3,
      /"ml prod!" is not a valid EKS cluster name .*\(known: ml-prod-use1, ml-dev-use1\)$/,
      /--cluster ml-prod-use1$/,
    );
  });

  it('a region that does not exist, with the nearest real one', async () => {
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '--region', 'us-east-7'], env);
    expectOneLineError(r, 3, /region "us-east-7" is not an AWS region/, /--region us-east-[12]$/);
  });

  it('an invalid add-on name', async () => {
    const r = await runCli(['addons', 'versions', 'VPC CNI', '--kubeconfig', kubeconfig], env);
    expectOneLineError(
      r,
      3,
      /"VPC CNI" is not a valid EKS add-on name/,
      /^try: kubectl hyperpod addons versions vpc-cni --kubeconfig/,
    );
  });
});

describe('help', () => {
  it('reads `kubectl hyperpod ...` and lists the exit codes', async () => {
    const r = await runCli(['status', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ kubectl hyperpod status');
    expect(r.stdout).not.toContain('kubectl-hyperpod');
    expect(r.stdout).toContain('kubectl hyperpod status -A -o wide');
    expect(r.stdout).toMatch(/EXIT CODES[\s\S]*5 {2}--fail-on degraded/);
    expect(r.stdout).toMatch(/-o, --output=<option>/);
  });

  it('lists only the exit codes the command can exit with', async () => {
    const codes = (text: string) =>
      [...text.slice(text.indexOf('EXIT CODES')).matchAll(/^ {2}(\d+) {2}/gm)].map((m) =>
        Number(m[1]),
      );
    const help = async (...cmd: string[]) => (await runCli([...cmd, '--help'], env)).stdout;
    expect(codes(await help('status'))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(codes(await help('addons', 'versions'))).toEqual([0, 1, 2, 3, 4]);
    expect(codes(await help('upgrade'))).toEqual([0, 1, 2, 3, 4, 9, 10, 11]);
    expect(codes(await help('migrate'))).toEqual([0, 1, 2, 3, 4, 7, 8]);
    expect(codes(await help('migrate', 'history'))).toEqual([0, 1, 2, 3]);
    expect(codes(await help('requests', 'approve'))).toEqual([0, 1, 2, 3, 4, 12]);
  });

  it('migrate and upgrade help list no flag that does not apply to one cluster', async () => {
    for (const cmd of [['migrate'], ['upgrade'], ['migrate', 'rollback']]) {
      const out = (await runCli([...cmd, '--help'], env)).stdout;
      expect(out).toContain('--context');
      // Neither in USAGE (`[--fail-on <value>]`, `[-A]`) nor under FLAGS (`--fail-on=<option>`).
      expect(out).not.toMatch(
        /\[-A\]|--all-clusters|\[--fail-on|--fail-on=|--concurrency|--rate-limit/,
      );
    }
    const r = await runCli(['upgrade', 'vpc-cni', '--to', 'latest', '--concurrency', '4'], env);
    expectOneLineError(
      r,
      2,
      /^error: --concurrency does not apply to kubectl hyperpod upgrade$/,
      /^try: kubectl hyperpod upgrade vpc-cni --to latest$/,
    );
  });

  it('`help status` is `status --help`', async () => {
    const r = await runCli(['help', 'status'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await runCli(['status', '--help'], env)).stdout);
    expect(r.stdout).toContain('$ kubectl hyperpod status');
  });

  it('lists the commands with topics separated by a space', async () => {
    const r = await runCli(['--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ kubectl hyperpod [COMMAND]');
    expect(r.stdout).toMatch(/status\s+Health of every EKS add-on/);
    expect(r.stdout).toMatch(/addons\s+EKS add-on catalog queries/);
  });
});
