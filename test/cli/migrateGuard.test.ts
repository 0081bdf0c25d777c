/**
 * The migration guards through the built CLI on the demo fleet, as a user meets them: an
 * `--accept-drop` key that is not dropped (exit 2, nothing changed, even with --auto-approve), a
 * release stuck in pending-upgrade (blocked with the exact rollback; `--allow-release-status`
 * overrides it and the plan records who), and a cluster whose API server does not answer
 * (`status` says Unknown with the error, not Missing; `migrate --dry-run` exits 4, not 7).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import type { ClusterReport, MigrationPlan } from '@hyperpod/core';
import { Sandbox, type SandboxSnapshot } from '@hyperpod/sandbox';
import { parse } from 'yaml';
import { buildCli, runCli } from './support/runCli';
import { sandboxFleet, type SandboxFleet } from './support/sandboxFleet';

const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

let sb: Sandbox;
let fleet: SandboxFleet;
let before: SandboxSnapshot;
/** Accepts connections and never answers: an API server that hangs. */
let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 20 });
  fleet = await sandboxFleet(sb);
  before = sb.snapshot();
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
}, 240_000);
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent?.close(r));
  await sb?.stop();
});

const lines = (stderr: string) => stderr.trimEnd().split('\n');

/** A kubeconfig where `cluster`'s API server is `server`, the rest as update-kubeconfig wrote it. */
function kubeconfigWith(cluster: string, server: string, name: string): string {
  const kc = parse(readFileSync(fleet.kubeconfig, 'utf8')) as {
    clusters: { name: string; cluster: { server: string } }[];
  };
  kc.clusters.find((c) => c.name === sb.cluster(cluster).arn)!.cluster.server = server;
  const file = path.join(fleet.dir, name);
  writeFileSync(file, JSON.stringify(kc));
  return file;
}

describe('--accept-drop with a key that is not dropped', () => {
  it('is a usage error (exit 2) naming the key, and nothing changes even with --auto-approve', async () => {
    const r = await runCli(
      [
        'migrate',
        '--context',
        'ml-prod-use1',
        '--auto-approve',
        '--accept-drop',
        'image.tag',
        '--backup-dir',
        path.join(fleet.dir, 'runs'),
      ],
      fleet.env,
      120_000,
    );
    expect(r.code).toBe(2);
    const [error, fix, ...rest] = lines(r.stderr);
    expect(rest).toEqual([]);
    expect(error).toBe(
      "error: --accept-drop image.tag names no value this migration drops (the release's values have no image.tag); it drops none; nothing was changed",
    );
    expect(fix).toBe(
      `try: kubectl hyperpod migrate --context ml-prod-use1 --auto-approve --backup-dir ${path.join(fleet.dir, 'runs')}`,
    );
    expect(r.stdout).toBe('');
    expect(sb.diff(before)).toEqual([]);
  });
});

describe('a Helm release stuck in pending-upgrade (ml-canary-usw2)', () => {
  it('blocks the plan (exit 7) with the exact rollback command, nothing changed', async () => {
    const r = await runCli(
      ['migrate', '--context', 'ml-canary-usw2', '--dry-run'],
      fleet.env,
      120_000,
    );
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(
      /^Helm values set on the release: \d+ \(\d+ mapped, 0 dropped, \d+ left to the add-on; -o yaml lists each\)$/m,
    );
    expect(r.stderr).toContain(
      'Helm release kube-system/hyperpod-inference-operator is not deployed: it is stuck in pending-upgrade at revision 3 (a Helm operation never finished), so its newest values and objects may not be what runs; roll it back to revision 2, the last deployed one: helm rollback hyperpod-inference-operator 2 -n kube-system, or migrate its newest revision anyway with --allow-release-status pending-upgrade',
    );
    expect(sb.diff(before)).toEqual([]);
  });

  it('--allow-release-status pending-upgrade plans it and the plan records who overrode it and when', async () => {
    const started = Date.now();
    const r = await runCli(
      [
        'migrate',
        '--context',
        'ml-canary-usw2',
        '--dry-run',
        '--allow-release-status',
        'pending-upgrade',
        '-o',
        'json',
      ],
      fleet.env,
      120_000,
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as MigrationPlan;
    expect(plan.blockers).toEqual([]);
    expect(plan.overrides).toEqual([
      {
        blocker: 'release-status:pending-upgrade',
        message: expect.stringContaining(
          'helm rollback hyperpod-inference-operator 2 -n kube-system',
        ),
        by: `${userInfo().username}@${hostname()}`,
        at: plan.createdAt,
      },
    ]);
    expect(Date.parse(plan.createdAt)).toBeGreaterThanOrEqual(started - 1000);
    expect(sb.diff(before)).toEqual([]);
  });

  it('--allow-release-status for a status the release is not in is a usage error (exit 2)', async () => {
    const r = await runCli(
      ['migrate', '--context', 'ml-prod-use1', '--dry-run', '--allow-release-status', 'failed'],
      fleet.env,
      120_000,
    );
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toBe(
      'error: --allow-release-status failed overrides nothing: Helm release kube-system/hyperpod-inference-operator is deployed (revision 2); nothing was changed',
    );
    expect(sb.diff(before)).toEqual([]);
  });
});

describe('a cluster whose Kubernetes API server does not answer', () => {
  it('status: the ACTIVE inference add-on is Unknown with the error, not Missing, and no create-addon advice', async () => {
    const file = kubeconfigWith('ml-research-usw2', 'https://127.0.0.1:1', 'closed-research');
    const r = await runCli(
      ['status', '--kubeconfig', file, '--context', 'ml-research-usw2', '-o', 'json'],
      fleet.env,
    );
    expect(r.code).toBe(4);
    const [rep] = JSON.parse(r.stdout) as ClusterReport[];
    const op = rep!.addons.find((a) => a.name === INFERENCE)!;
    expect(op.addon?.status).toBe('ACTIVE');
    expect(op.health).toBe('Unknown');
    expect(op.reason).toMatch(
      /^(CSI drivers|CRDs) could not be read \(list (CSI drivers|CRDs): Unavailable: .*\): whether .* installed is unknown$/,
    );
    expect(JSON.stringify(rep)).not.toContain('"Missing"');
    expect(JSON.stringify(rep)).not.toContain('create-addon');

    const table = await runCli(
      ['status', '--kubeconfig', file, '--context', 'ml-research-usw2', '-o', 'wide'],
      fleet.env,
    );
    const row = table.stdout.split('\n').find((l) => l.includes(` ${INFERENCE} `));
    expect(row).toMatch(/\bUnknown\b/);
    expect(table.stdout).not.toMatch(/Missing/);
  });

  it('migrate --dry-run exits 4 (access), not 7 with a false "no Helm release" blocker', async () => {
    const file = kubeconfigWith('ml-prod-use1', 'https://127.0.0.1:1', 'closed-prod');
    const r = await runCli(
      ['migrate', '--kubeconfig', file, '--context', 'ml-prod-use1', '--dry-run'],
      fleet.env,
      180_000,
    );
    expect(r.code).toBe(4);
    expect(r.stderr).not.toContain('no Helm release installs');
    expect(r.stderr).toContain(
      'whether a Helm release installs hyperpod-inference in ml-prod-use1 is unknown: its Helm releases could not be read',
    );
    const [error, fix] = lines(r.stderr).slice(-2);
    expect(error).toMatch(
      /^error: ml-prod-use1: list Helm releases failed: .*; nothing was changed/,
    );
    expect(fix).toMatch(/^try: kubectl --context ml-prod-use1 get --raw \/version/);
    expect(sb.diff(before)).toEqual([]);
  }, 200_000);

  it('migrate --dry-run against an API server that accepts and never answers: exit 4 within the timeout', async () => {
    const { port } = silent.address() as { port: number };
    const file = kubeconfigWith('ml-prod-use1', `https://127.0.0.1:${port}`, 'silent-prod');
    const r = await runCli(
      [
        'migrate',
        '--kubeconfig',
        file,
        '--context',
        'ml-prod-use1',
        '--dry-run',
        '--timeout',
        '2s',
      ],
      fleet.env,
      180_000,
    );
    expect(r.code).toBe(4);
    expect(r.stderr).not.toContain('no Helm release installs');
    expect(sb.diff(before)).toEqual([]);
  }, 200_000);
});
