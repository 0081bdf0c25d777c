/**
 * The CLI reads clusters whose kubeconfig user is `aws eks get-token` without running it: the
 * token is minted in-process with the profile's SDK credentials. Proven by running the built CLI
 * with a PATH that has no `aws` at all. Other exec plugins are still left to client-node.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterReport } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { parse, stringify } from 'yaml';
import { buildCli, runCli } from './support/runCli';
import { sandboxFleet, type SandboxFleet } from './support/sandboxFleet';

let sb: Sandbox;
let fleet: SandboxFleet;
/** A directory with nothing in it: on PATH, no `aws` (nor anything else) can be found. */
let emptyBin: string;

interface KubeconfigFile {
  clusters: { name: string }[];
  users: { name: string; user: { exec?: { command: string; args: string[] } } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  fleet = await sandboxFleet(sb);
  emptyBin = mkdtempSync(path.join(tmpdir(), 'hyperpod-no-aws-'));
}, 240_000);
afterAll(async () => {
  await sb?.stop();
});

const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

describe('status through `aws eks get-token` kubeconfig users, with no aws CLI installed', () => {
  it('the kubeconfig users are the aws CLI exec plugin (the thing that must not run)', () => {
    const kc = parse(readFileSync(fleet.kubeconfig, 'utf8')) as KubeconfigFile;
    const prod = sb.clusters.find((c) => c.name === 'ml-prod-use1')!;
    const user = kc.users.find((u) => u.name === prod.arn)!.user;
    expect(user.exec?.command).toBe('aws');
    expect(user.exec?.args).toEqual(
      expect.arrayContaining(['eks', 'get-token', '--cluster-name', 'ml-prod-use1']),
    );
  });

  it('ml-prod-use1: reads the in-cluster Helm install with a token minted in-process', async () => {
    const r = await runCli(['status', '--context', 'ml-prod-use1', '-o', 'json'], {
      ...fleet.env,
      PATH: emptyBin,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [report] = JSON.parse(r.stdout) as ClusterReport[];
    expect(report!.cluster).toMatchObject({ name: 'ml-prod-use1', accountId: '111111111111' });
    expect(report!.errors).toEqual([]);
    const inference = report!.addons.find((a) => a.name === INFERENCE)!;
    expect(inference).toMatchObject({ installedVia: 'helm', migrationCandidate: true });
    expect(inference.helm).toMatchObject({
      release: 'hyperpod-inference-operator',
      chartVersion: '2.2.2',
    });
  });

  it('-A: every cluster of both accounts is read, each with its own profile, and no kube errors', async () => {
    const r = await runCli(['status', '-A', '-o', 'json'], { ...fleet.env, PATH: emptyBin });
    expect(r.stderr).toBe('');
    const reports = JSON.parse(r.stdout) as ClusterReport[];
    expect(reports.map((x) => x.cluster.name).sort()).toEqual(
      sb.clusters.map((c) => c.name).sort(),
    );
    for (const report of reports) expect(report.errors).toEqual([]);
    expect(reports.find((x) => x.cluster.name === 'ml-dev-use1')!.cluster.accountId).toBe(
      '222222222222',
    );
  });

  it('a context whose exec plugin is not the aws CLI keeps its own auth: its failure is a kube scan error', async () => {
    const kc = parse(readFileSync(fleet.kubeconfig, 'utf8')) as KubeconfigFile;
    const prod = sb.clusters.find((c) => c.name === 'ml-prod-use1')!;
    kc.users.push({
      name: 'bogus-plugin-user',
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'hyperpod-no-such-credential-plugin',
          // The aws CLI's own words, to show the command (not the arguments) decides.
          args: ['eks', 'get-token', '--cluster-name', 'ml-prod-use1', '--region', 'us-east-1'],
        },
      } as KubeconfigFile['users'][number]['user'],
    });
    kc.contexts.push({
      name: 'prod-via-bogus-plugin',
      context: { cluster: prod.arn, user: 'bogus-plugin-user' },
    });
    const file = path.join(fleet.dir, 'bogus-kubeconfig');
    writeFileSync(file, stringify(kc));
    const r = await runCli(
      ['status', '--kubeconfig', file, '--context', 'prod-via-bogus-plugin', '-o', 'json'],
      // The EKS side still reads with the prod profile; only the Kubernetes side lacks credentials.
      { ...fleet.env, PATH: emptyBin, AWS_PROFILE: 'prod' },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace: not a crash
    const [report] = JSON.parse(r.stdout) as ClusterReport[];
    expect(report!.cluster).toMatchObject({
      name: 'ml-prod-use1',
      context: 'prod-via-bogus-plugin',
    });
    expect(report!.errors.length).toBeGreaterThan(0);
    for (const e of report!.errors) {
      expect(e).toMatchObject({ service: 'kubernetes', kind: 'Unauthenticated' });
      expect(e.message).toMatch(/hyperpod-no-such-credential-plugin|ENOENT/);
    }
    // The AWS side of the same cluster was read: the add-ons EKS lists are there.
    expect(report!.addons.some((a) => a.installedVia === 'addon')).toBe(true);
  });
});
