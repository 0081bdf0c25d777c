/**
 * The ConfigurationConflict fix, end to end on the demo fleet: ml-batch-use1's coredns is DEGRADED
 * because someone edited its Corefile and image with kubectl (field manager kubectl-edit). The
 * advice `status` gives names `kubectl hyperpod resolve-conflicts coredns`; its plan shows the two
 * fields EKS takes over from kubectl-edit; running it makes the add-on ACTIVE with EKS owning them;
 * the saved objects undo it with the real kubectl.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClusterReport, ResolveConflictsOutcome, ResolveConflictsPlan } from '@hyperpod/core';
import { Sandbox, type SandboxSnapshot } from '@hyperpod/sandbox';
import { buildCli, ROOT, runCli, type CliResult } from './support/runCli';
import { sandboxFleet, type SandboxFleet } from './support/sandboxFleet';

const CLUSTER = 'ml-batch-use1';
const KUBECTL = path.join(ROOT, '.tools', 'bin', 'kubectl');
const IMAGE_FIELD = '.spec.template.spec.containers[name="coredns"].image';
const execFileP = promisify(execFile);

let sb: Sandbox;
let fleet: SandboxFleet;
let env: Record<string, string>;
let before: SandboxSnapshot;

const cm = () =>
  sb
    .kube(CLUSTER)
    .get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns' })!;
const corefile = () => (cm()['data'] as Record<string, string>)['Corefile']!;
const ownersOf = (field: string) =>
  (
    (cm().metadata['managedFields'] ?? []) as {
      manager: string;
      fieldsV1: Record<string, Record<string, unknown>>;
    }[]
  )
    .filter((m) => m.fieldsV1['f:data']?.[field] !== undefined)
    .map((m) => m.manager);
/** `kubectl hyperpod resolve-conflicts coredns --cluster CLUSTER` with `flags`. */
const resolveCoredns = (...flags: string[]): Promise<CliResult> =>
  runCli(['resolve-conflicts', 'coredns', '--cluster', CLUSTER, ...flags], env);
const coredns = async () => {
  const r = await runCli(['status', '--cluster', CLUSTER, '-o', 'json'], env);
  const report = (JSON.parse(r.stdout) as ClusterReport[])[0]!;
  return report.addons.find((a) => a.name === 'coredns')!;
};

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  fleet = await sandboxFleet(sb);
  env = {
    ...fleet.env,
    KUBECTL_HYPERPOD_POLL_MS: '20',
    KUBECTL_HYPERPOD_HOME: path.join(fleet.dir, '.hyperpod'),
  };
  before = sb.snapshot();
}, 240_000);
afterAll(async () => {
  await sb?.stop();
});

describe('kubectl hyperpod resolve-conflicts on the demo fleet', () => {
  it('the demo cluster really has the conflict: kubectl-edit owns the Corefile EKS names', () => {
    expect(corefile()).toContain('forward . 10.20.0.2');
    expect(ownersOf('f:Corefile')).toEqual(['kubectl-edit']);
  });

  it('status advises the command by name', async () => {
    const a = await coredns();
    expect(a.health).toBe('Degraded');
    const issue = a.addon!.issues.find((i) => i.code === 'ConfigurationConflict')!;
    expect(issue.fix).toContain('kubectl hyperpod resolve-conflicts coredns --dry-run');
  });

  it('upgrade at the installed version with --resolve-conflicts OVERWRITE says it would change nothing and names resolve-conflicts (exit 2)', async () => {
    const r = await runCli(
      [
        'upgrade',
        'coredns',
        '--to',
        'latest',
        '--resolve-conflicts',
        'OVERWRITE',
        '--cluster',
        CLUSTER,
        '--auto-approve',
      ],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: coredns is already at \S+: an upgrade sends no update/m);
    expect(r.stderr).toMatch(
      /^try: kubectl hyperpod resolve-conflicts coredns --dry-run --cluster ml-batch-use1 /m,
    );
    expect(sb.diff(before)).toEqual([]);
  });

  it('--dry-run -o json: the plan names each field, its owner now and value, and changes nothing', async () => {
    const r = await resolveCoredns('--dry-run', '-o', 'json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as ResolveConflictsPlan;
    expect(plan).toMatchObject({
      kind: 'ResolveConflictsPlan',
      addonName: 'coredns',
      status: 'DEGRADED',
      refusals: [],
    });
    expect(plan.takeovers.map((t) => [t.resource, t.namespace, t.name, t.field, t.owners])).toEqual(
      [
        ['ConfigMap', 'kube-system', 'coredns', '.data.Corefile', ['kubectl-edit']],
        ['Deployment.apps', 'kube-system', 'coredns', IMAGE_FIELD, ['kubectl-edit']],
      ],
    );
    expect(plan.takeovers[1]!.value).toMatch(/:v1\.11\.4-patched"$/);
    expect(plan.rollbackObjects.map((o) => o.kind)).toEqual(['ConfigMap', 'Deployment']);
    expect(sb.diff(before)).toEqual([]);
  });

  it('the table plan shows OBJECT FIELD OWNED BY NOW; without a terminal and --auto-approve it refuses (exit 2)', async () => {
    const dry = await resolveCoredns('--dry-run');
    expect(dry.stdout).toMatch(/^ {2}OBJECT +FIELD +OWNED BY NOW +VALUE NOW$/m);
    expect(dry.stdout).toMatch(
      /^ {2}ConfigMap kube-system\/coredns +\.data\.Corefile +kubectl-edit /m,
    );
    const r = await resolveCoredns();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^try: kubectl hyperpod resolve-conflicts coredns --cluster ml-batch-use1 --auto-approve$/m,
    );
    expect(sb.diff(before)).toEqual([]);
  });

  it('runs: coredns ACTIVE, EKS owns the fields; the saved objects undo it with kubectl; a second run has nothing to resolve (exit 9)', async () => {
    const r = await resolveCoredns('--auto-approve', '-o', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ResolveConflictsOutcome;
    expect(out).toMatchObject({ status: 'succeeded', takenOver: 2 });
    expect(r.stderr).toMatch(/re-applied with resolveConflicts OVERWRITE/);
    expect((await coredns()).health).toBe('Healthy');
    expect(corefile()).toContain('forward . /etc/resolv.conf');
    expect(ownersOf('f:Corefile')).toEqual(['eks']);
    // No lease left behind.
    expect(sb.kube(CLUSTER).list('coordination.k8s.io/v1', 'Lease', 'kube-system')).toEqual([]);

    const saved = /saved to (\S+\.json)$/m.exec(r.stderr)![1]!;
    const list = JSON.parse(readFileSync(saved, 'utf8')) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('List');
    await execFileP(
      KUBECTL,
      // The sandbox serves no OpenAPI document for kubectl's client-side validation.
      [
        '--kubeconfig',
        fleet.kubeconfig,
        '--context',
        CLUSTER,
        'replace',
        '--validate=false',
        '-f',
        saved,
      ],
      { env },
    );
    expect(corefile()).toContain('forward . 10.20.0.2');

    const again = await resolveCoredns('--auto-approve');
    expect(again.code).toBe(9);
    expect(again.stderr).toMatch(
      /^error: coredns reports no ConfigurationConflict, UnsupportedAddonModification, K8sResourceNotFound \(status ACTIVE\): nothing to resolve; nothing was changed$/m,
    );
  }, 120_000);
});
