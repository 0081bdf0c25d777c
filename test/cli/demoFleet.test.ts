/**
 * `kubectl hyperpod` end to end on the sandbox's demo fleet, through the real AWS SDK and
 * client-node: the built CLI runs as a child process with a kubeconfig written by the real
 * `aws eks update-kubeconfig --profile <account>` and an AWS profile per account, as a user has.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import type { AddonReport, ClusterReport } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { parse } from 'yaml';
import type { AddonVersionsReport } from 'kubectl-hyperpod/testing';
import { CLI_BIN, buildCli, runCli } from './support/runCli';
import { sandboxFleet, type SandboxFleet } from './support/sandboxFleet';

let sb: Sandbox;
let fleet: SandboxFleet;
let reports: ClusterReport[];

const report = (name: string) => reports.find((r) => r.cluster.name === name)!;
const addon = (cluster: string, name: string): AddonReport =>
  report(cluster).addons.find((a) => a.name === name)!;
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  fleet = await sandboxFleet(sb);
  const r = await runCli(['status', '-A', '-o', 'json'], fleet.env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  reports = JSON.parse(r.stdout) as ClusterReport[];
}, 240_000);
afterAll(async () => {
  await sb?.stop();
});

describe('status -A -o json on the demo fleet (two accounts, two regions)', () => {
  it('reads every cluster, each with the account and region its kubeconfig context names, sorted by name', () => {
    expect(reports.map((r) => r.cluster.name)).toEqual([...sb.clusters.map((c) => c.name)].sort());
    for (const c of sb.clusters) {
      expect(report(c.name).cluster).toMatchObject({
        arn: c.arn,
        accountId: c.accountId,
        region: c.region,
        context: c.name,
        kubernetesVersion: c.kubernetesVersion,
      });
      expect(report(c.name).errors).toEqual([]);
    }
    expect(new Set(reports.map((r) => r.cluster.accountId)).size).toBe(2);
  });

  it('ml-prod-use1: the inference operator is a Helm install (chart 2.2.2) and a migration candidate', () => {
    const a = addon('ml-prod-use1', INFERENCE);
    expect(a).toMatchObject({ installedVia: 'helm', health: 'Healthy', migrationCandidate: true });
    expect(a.helm).toMatchObject({
      release: 'hyperpod-inference-operator',
      namespace: 'kube-system',
      chartVersion: '2.2.2',
      status: 'deployed',
    });
    expect(a.addon).toBeUndefined();
  });

  it('ml-dev-use1: the operator found as a sub-chart of the umbrella release', () => {
    const a = addon('ml-dev-use1', INFERENCE);
    expect(a).toMatchObject({ installedVia: 'helm', migrationCandidate: true });
    expect(a.helm).toMatchObject({ chartVersion: '2.1.0', subchartOf: 'hyperpod-dependencies' });
  });

  it('ml-research-usw2: the add-on at the newest version, Healthy', () => {
    const a = addon('ml-research-usw2', INFERENCE);
    expect(a).toMatchObject({
      installedVia: 'addon',
      health: 'Healthy',
      migrationCandidate: false,
    });
    expect(a.drift).toMatchObject({ status: 'latest', newerVersions: 0 });
    expect(a.drift!.installed).toBe(a.drift!.latest);
    expect(report('ml-research-usw2').health).toBe('Healthy');
  });

  it('ml-staging-usw2: the add-on drifted behind its default version', () => {
    expect(addon('ml-staging-usw2', INFERENCE).drift).toMatchObject({
      installed: 'v1.0.0-eksbuild.1',
      default: 'v1.1.0-eksbuild.1',
      status: 'behind-default',
    });
  });

  it('ml-batch-use1: Degraded with InsufficientNumberOfReplicas, and coredns ConfigurationConflict parsed into fields', () => {
    expect(report('ml-batch-use1').health).toBe('Degraded');
    const inference = addon('ml-batch-use1', INFERENCE);
    expect(inference.health).toBe('Degraded');
    expect(inference.addon!.status).toBe('DEGRADED');
    expect(inference.addon!.issues.map((i) => i.code)).toEqual(['InsufficientNumberOfReplicas']);
    expect(inference.addon!.issues[0]!.fix).toMatch(/pods/);
    const coredns = addon('ml-batch-use1', 'coredns');
    expect(coredns.health).toBe('Degraded');
    const conflict = coredns.addon!.issues.find((i) => i.code === 'ConfigurationConflict')!;
    expect(conflict.conflicts).toEqual(
      expect.arrayContaining([
        { resource: 'ConfigMap', name: 'coredns', field: '.data.Corefile' },
        {
          resource: 'Deployment.apps',
          name: 'coredns',
          field: '.spec.template.spec.containers[name="coredns"].image',
        },
      ]),
    );
  });

  it('ml-canary-usw2: the Helm release stuck in pending-upgrade is a Degraded finding', () => {
    const a = addon('ml-canary-usw2', INFERENCE);
    expect(a.helm!.status).toBe('pending-upgrade');
    expect(a.health).toBe('Degraded');
    expect(a.findings.map((f) => f.code)).toContain('helm-pending');
    expect(report('ml-canary-usw2').health).toBe('Degraded');
  });

  it('ml-legacy-use1 (Kubernetes 1.28): snapshot-controller blocks the move to 1.29; coredns and kube-proxy follow the control plane', () => {
    const r = report('ml-legacy-use1');
    expect(r.readiness).toMatchObject({ targetVersion: '1.29', ready: false });
    const verdict = (name: string) => r.readiness!.addons.find((a) => a.addonName === name);
    expect(verdict('snapshot-controller')).toMatchObject({
      verdict: 'upgrade-first',
      requiredVersion: 'v8.0.0-eksbuild.1',
    });
    expect(verdict('coredns')?.verdict).toBe('upgrade-after');
    expect(verdict('kube-proxy')?.verdict).toBe('upgrade-after');
    expect(verdict('metrics-server')?.verdict).toBe('ready');
  });

  it('keeps the JSON shape of a report (the -o json contract)', () => {
    // The sandbox draws HyperPod cluster ids at random; everything else is deterministic.
    const text = JSON.stringify({ ...report('ml-batch-use1'), scannedAt: '<time>', durationMs: 0 })
      .replace(/(:cluster\/)[a-z0-9]{12}\b/g, '$1<hyperpod-id>')
      .replace(/(SageMakerHyperPodInference-)[a-z0-9]{8}-/g, '$1<id8>-');
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});

describe('tables, YAML and the CI gates', () => {
  it('status -A prints one row per cluster and add-on with kubectl columns', async () => {
    const r = await runCli(['status', '-A'], fleet.env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/ {2,}/)).toEqual([
      'CLUSTER',
      'ADDON',
      'VIA',
      'VERSION',
      'HEALTH',
      'REASON',
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ml-prod-use1 +amazon-sagemaker-hyperpod-inference +helm +2\.2\.2 \(chart\) +Healthy /,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ml-batch-use1 +amazon-sagemaker-hyperpod-inference +addon +v1\.1\.0-eksbuild\.1 +Degraded +DEGRADED: Insuffici/,
      ),
    );
    expect(lines).toHaveLength(1 + reports.reduce((n, x) => n + x.addons.length, 0));
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('drift shows versions against default and latest, and NEXT-K8S readiness', async () => {
    const r = await runCli(
      ['drift', '--cluster', 'ml-staging-usw2', '--cluster', 'ml-legacy-use1'],
      fleet.env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ml-staging-usw2 +amazon-sagemaker-hyperpod-inference +addon +v1\.0\.0-eksbuild\.1 +v1\.1\.0-eksbuild\.1 +v1\.2\.0-eksbuild\.1 +behind-default +ready$/m,
    );
    expect(r.stdout).toMatch(/^ml-legacy-use1 +coredns +addon +\S+ +\S+ +\S+ +latest +after$/m);
    expect(r.stdout).toMatch(
      /^ml-legacy-use1 +snapshot-controller +addon +v6\.3\.2-eksbuild\.1 +\S+ +\S+ +behind-\S+ +upgrade$/m,
    );
  });

  it('-o yaml prints the same data as -o json', async () => {
    const r = await runCli(['status', '--context', 'ml-research-usw2', '-o', 'yaml'], fleet.env);
    expect(r.code).toBe(0);
    const doc = parse(r.stdout) as ClusterReport[];
    expect(doc[0]!.cluster.name).toBe('ml-research-usw2');
    expect({ ...doc[0], scannedAt: 0, durationMs: 0 }).toEqual({
      ...report('ml-research-usw2'),
      scannedAt: 0,
      durationMs: 0,
    });
  });

  it('--fail-on degraded exits 5 when a cluster is Degraded, 0 when all are Healthy; the data is still printed', async () => {
    const bad = await runCli(
      ['status', '--cluster', 'ml-batch-use1', '--fail-on', 'degraded'],
      fleet.env,
    );
    expect(bad.code).toBe(5);
    expect(bad.stdout).toContain('ml-batch-use1');
    const ok = await runCli(
      ['status', '--cluster', 'ml-research-usw2', '--fail-on', 'degraded'],
      fleet.env,
    );
    expect(ok.code).toBe(0);
  });

  it('--fail-on drift exits 6 on an add-on behind its default', async () => {
    const r = await runCli(
      ['drift', '--context', 'ml-staging-usw2', '--fail-on', 'drift', '-o', 'json'],
      fleet.env,
    );
    expect(r.code).toBe(6);
    expect((JSON.parse(r.stdout) as ClusterReport[])[0]!.cluster.name).toBe('ml-staging-usw2');
  });
});

describe('the first hour on the demo fleet', () => {
  it('--fail-on drift passes a cluster at default or latest (kube-proxy NEXT-K8S after is not drift), and trips on real drift', async () => {
    const research = report('ml-research-usw2');
    expect(research.readiness!.ready).toBe(true);
    expect(research.readiness!.addons.find((a) => a.addonName === 'kube-proxy')!.verdict).toBe(
      'upgrade-after',
    );
    const ok = await runCli(
      ['status', '--context', 'ml-research-usw2', '--fail-on', 'drift'],
      fleet.env,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // snapshot-controller must move before 1.29: NEXT-K8S upgrade.
    const legacy = await runCli(
      ['drift', '--context', 'ml-legacy-use1', '--fail-on', 'drift'],
      fleet.env,
    );
    expect(legacy.code).toBe(6);
  });

  it('piped output is never cut: every REASON whole, no ellipsis', async () => {
    const r = await runCli(['status', '-A'], fleet.env);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('…');
    const batch = addon('ml-batch-use1', INFERENCE);
    // Longer than the ~20 characters REASON was cut to when the width was fixed at 80.
    expect(batch.reason.length).toBeGreaterThan(30);
    expect(r.stdout).toMatch(
      new RegExp(
        `^ml-batch-use1 +${INFERENCE} +addon +\\S+ +Degraded +${batch.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        'm',
      ),
    );
  });

  it('status -o wide ends with FIX: the top fix of each unhealthy add-on, <none> for healthy ones', async () => {
    const r = await runCli(['status', '--context', 'ml-batch-use1', '-o', 'wide'], fleet.env);
    expect(r.code).toBe(0);
    const [head, ...rows] = r.stdout.trimEnd().split('\n');
    expect(head!.split(/ {2,}/).at(-1)).toBe('FIX');
    const row = (name: string) => rows.find((l) => l.split(/ {2,}/)[1] === name)!;
    const inference = addon('ml-batch-use1', INFERENCE);
    expect(row(INFERENCE).endsWith(`   ${inference.addon!.issues[0]!.fix}`)).toBe(true);
    const coredns = addon('ml-batch-use1', 'coredns');
    const conflictFix = coredns.addon!.issues.find((i) => i.code === 'ConfigurationConflict')!.fix;
    expect(row('coredns').endsWith(`   ${conflictFix}`)).toBe(true);
    expect(row('vpc-cni').split(/ {2,}/).at(-1)).toBe('<none>');
  });

  it('drift: VIA in the table, VERSION always an add-on version (<none> for a chart no add-on version carries), the chart version in wide', async () => {
    const narrow = await runCli(['drift', '--context', 'ml-prod-use1'], fleet.env);
    expect(narrow.code).toBe(0);
    const cols = (out: string, name: string) =>
      out
        .split('\n')
        .find((l) => l.split(/ {2,}/)[1] === name)!
        .split(/ {2,}/);
    expect(narrow.stdout.split('\n')[0]).toMatch(
      /^CLUSTER {2,}ADDON {2,}VIA {2,}VERSION {2,}DEFAULT {2,}LATEST {2,}STATUS {2,}NEXT-K8S$/,
    );
    // The inference operator's chart versions independently of the add-on: nothing to compare.
    expect(cols(narrow.stdout, INFERENCE).slice(2)).toEqual(
      Array(6)
        .fill('<none>')
        .map((v, i) => (i === 0 ? 'helm' : v)),
    );
    // The S3 CSI chart carries the software of an add-on version: compared like an add-on.
    const s3 = addon('ml-prod-use1', 'aws-mountpoint-s3-csi-driver');
    expect(cols(narrow.stdout, 'aws-mountpoint-s3-csi-driver').slice(2, 7)).toEqual([
      'helm',
      s3.drift!.installed,
      s3.drift!.default,
      s3.drift!.latest,
      s3.drift!.status,
    ]);
    const wide = await runCli(['drift', '--context', 'ml-prod-use1', '-o', 'wide'], fleet.env);
    expect(cols(wide.stdout, INFERENCE).slice(0, 8)).toEqual(cols(narrow.stdout, INFERENCE));
    expect(cols(wide.stdout, INFERENCE)[8]).toBe('2.2.2');
    // NEXT-K8S is the verdict in both; the version it is judged for is TARGET-K8S.
    expect(cols(wide.stdout, 'kube-proxy').slice(7)).toEqual([
      'after',
      '<none>',
      '0',
      '1.31',
      '1.32',
      report('ml-prod-use1').readiness!.addons.find((a) => a.addonName === 'kube-proxy')!
        .requiredVersion,
    ]);
  });
});

describe('addons versions', () => {
  it('lists the versions offered for the cluster’s Kubernetes version, marking default and installed', async () => {
    const r = await runCli(
      ['addons', 'versions', INFERENCE, '--context', 'ml-staging-usw2'],
      fleet.env,
    );
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/ {2,}/));
    expect(rows[0]).toEqual(['VERSION', 'DEFAULT', 'INSTALLED']);
    expect(rows).toContainEqual(['v1.1.0-eksbuild.1', 'true', 'false']);
    expect(rows).toContainEqual(['v1.0.0-eksbuild.1', 'false', 'true']);
    expect(rows[1]![0]).toBe('v1.2.0-eksbuild.1');
  });

  it('-o json is an AddonVersionsReport per cluster', async () => {
    const r = await runCli(
      ['addons', 'versions', 'coredns', '--context', 'ml-legacy-use1', '-o', 'json'],
      fleet.env,
    );
    expect(r.code).toBe(0);
    const [v] = JSON.parse(r.stdout) as AddonVersionsReport[];
    expect(v).toMatchObject({
      schemaVersion: 1,
      addonName: 'coredns',
      kubernetesVersion: '1.28',
      cluster: { name: 'ml-legacy-use1', accountId: '111111111111' },
      errors: [],
    });
    expect(v!.versions.every((x) => x.kubernetesVersions.includes('1.28'))).toBe(true);
    expect(v!.versions.filter((x) => x.default)).toHaveLength(1);
  });

  it('a name EKS does not offer is a configuration error naming the closest one', async () => {
    const r = await runCli(
      ['addons', 'versions', 'amazon-sagemaker-hyperpod-inferenc', '--context', 'ml-staging-usw2'],
      fleet.env,
    );
    expect(r.code).toBe(3);
    const [error, fix, ...rest] = r.stderr.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^error: add-on "amazon-sagemaker-hyperpod-inferenc" is not offered by EKS in us-west-2 \(known: .*amazon-sagemaker-hyperpod-inference/,
    );
    expect(fix).toBe(
      'try: kubectl hyperpod addons versions amazon-sagemaker-hyperpod-inference --context ml-staging-usw2',
    );
  });
});

describe('through kubectl plugin discovery', () => {
  it('`kubectl hyperpod status` runs the plugin found on PATH', async () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'hyperpod-path-'));
    symlinkSync(CLI_BIN, path.join(bin, 'kubectl-hyperpod'));
    const env = { ...fleet.env, PATH: `${bin}:${process.env.PATH}` };
    const out = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        'kubectl',
        ['hyperpod', 'status', '--context', 'ml-research-usw2'],
        { env },
        (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout }),
      ),
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^CLUSTER +ADDON/);
    expect(out.stdout).toMatch(
      /^ml-research-usw2 +amazon-sagemaker-hyperpod-inference +addon +v1\.2\.0-eksbuild\.1 +Healthy/m,
    );
  });
});

describe('the end of a run', () => {
  // A handle something in the process left open (an idle keep-alive socket, a timer): the CLI
  // exits once the command is done and its output written, not when the event loop runs dry.
  let env: Record<string, string>;
  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-open-handle-'));
    writeFileSync(path.join(dir, 'open-handle.js'), 'setInterval(() => {}, 60_000);\n');
    env = { ...fleet.env, NODE_OPTIONS: `--require ${path.join(dir, 'open-handle.js')}` };
  });

  it('exits after the output, all of it, with the command’s exit code', async () => {
    const r = await runCli(['status', '-A', '-o', 'json'], env, 30_000);
    expect(r.code).toBe(0);
    // The whole document (~60 kB through a pipe), the same as the run without the open handle.
    const timeless = (rs: ClusterReport[]) =>
      rs.map(({ durationMs: _d, scannedAt: _s, ...rest }) => rest);
    expect(timeless(JSON.parse(r.stdout) as ClusterReport[])).toEqual(timeless(reports));
  });

  it('keeps a failing command’s exit code', async () => {
    const r = await runCli(['status', '--context', 'nope'], env, 30_000);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: context "nope" not found/);
  });
});
