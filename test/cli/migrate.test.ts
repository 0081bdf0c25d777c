/**
 * `kubectl hyperpod migrate` end to end on a sandbox cluster running the inference operator from
 * Helm: the built CLI as a child process (stdin a pipe, not a terminal), with a kubeconfig written
 * by the real `aws eks update-kubeconfig` and the run store in a temp directory. Every run ends
 * with the sandbox exactly as it started.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkMigrationPlan,
  MigrationLock,
  type MigrationOutcome,
  type MigrationPlan,
  type MigrationRunSummary,
} from '@hyperpod/core';
import { gatewaysFor, helmSandbox } from '../migrate/support';
import { CLI_BIN, runCli, type CliResult } from './support/runCli';
import { runCliOnTty } from './support/runCliOnTty';
import { useCliSandbox } from './support/useCliSandbox';

const CLUSTER = 'ml-cli-mig-use1';
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
/** Words of the step prompt; never on screen with --auto-approve. */
const PROMPT = /Run step|skip to rollback/;

const backupDir = mkdtempSync(path.join(tmpdir(), 'hyperpod-migrations-'));
const t = useCliSandbox(
  () => helmSandbox(CLUSTER),
  (fleet) => ({
    KUBECTL_HYPERPOD_HOME: path.join(fleet.dir, '.hyperpod'),
    KUBECTL_HYPERPOD_POLL_MS: '20',
  }),
);

const migrate = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> =>
  runCli(['migrate', ...args], { ...t.env, ...extraEnv }, 120_000);
const rollBack = (runId: string): Promise<CliResult> =>
  runCli(
    ['migrate', 'rollback', '--run', runId, '--auto-approve', '--backup-dir', backupDir],
    t.env,
    120_000,
  );
/** `migrate rollback --run` succeeds and leaves the sandbox exactly as it started. */
const rollBackToStart = async (runId: string): Promise<void> => {
  expect((await rollBack(runId)).code).toBe(0);
  expect(t.sb.diff(t.before)).toEqual([]);
};
const runIdOf = (r: CliResult): string => /^run: +(\S+)$/m.exec(r.stderr)![1]!;
const addonStatus = async (): Promise<string | undefined> =>
  (await gatewaysFor(t.sb, CLUSTER).eks.describeAddon(CLUSTER, INFERENCE))?.status;
const history = async (): Promise<MigrationRunSummary[]> => {
  const r = await runCli(['migrate', 'history', '--backup-dir', backupDir, '-o', 'json'], t.env);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as MigrationRunSummary[];
};

afterEach(() => {
  t.sb.timing.addonTransitionMs = 20;
});

describe('kubectl hyperpod migrate on a Helm install of the inference operator', () => {
  it('--dry-run=client -o json prints a valid plan on stdout and changes nothing', async () => {
    const r = await migrate(['--dry-run=client', '-o', 'json', '--backup-dir', backupDir]);
    expect(r.stderr).toContain('dry run (client)');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as MigrationPlan;
    expect(checkMigrationPlan(plan)).toEqual({ valid: true, errors: [] });
    expect(plan).toMatchObject({
      kind: 'MigrationPlan',
      profile: 'hyperpod-inference',
      cluster: { name: CLUSTER, region: 'us-east-1' },
      source: { release: 'hyperpod-inference-operator', namespace: 'kube-system' },
      target: { addonName: INFERENCE },
      blockers: [],
    });
    expect(t.sb.diff(t.before)).toEqual([]);
    expect(readdirSync(backupDir)).toEqual([]);
  });

  it('a bare --dry-run is client: the numbered steps and their actions on stderr, stdout empty', async () => {
    const r = await migrate(['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^Migration plan hyperpod-inference for cluster ${CLUSTER}`),
    );
    expect(r.stderr).toMatch(/^ {2}1\. IAM roles: /m);
    expect(r.stderr).toMatch(
      new RegExp(
        `^ {2}\\d\\. Create add-on ${INFERENCE}: .*\\n {5}- create add-on ${INFERENCE} v`,
        'm',
      ),
    );
    expect(r.stderr).toMatch(/^ {7}undo: /m);
    expect(r.stderr).toContain('dry run (client): plan only, nothing was changed');
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('--dry-run=server sends the Kubernetes changes with dryRun=All, and changes nothing', async () => {
    const r = await migrate(['--dry-run=server', '-o', 'yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^schemaVersion: 1\nkind: MigrationPlan\n/);
    expect(r.stderr).toMatch(
      /dry run \(server\): every Kubernetes change was sent with dryRun=All and accepted, after \d+ access review/,
    );
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('without --auto-approve and with stdin not a terminal it refuses (exit 2) and changes nothing', async () => {
    const r = await migrate(['--backup-dir', backupDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: migrate asks before it changes anything, and stdin is not a terminal: pass --auto-approve/m,
    );
    expect(r.stderr).toMatch(/^try: kubectl hyperpod migrate --backup-dir \S+ --auto-approve$/m);
    expect(r.stdout).toBe('');
    expect(t.sb.diff(t.before)).toEqual([]);
    expect(readdirSync(backupDir)).toEqual([]);
  });

  it('refuses flags that make no sense for one migration before reading anything', async () => {
    const bad = [
      [['-A', '--auto-approve'], /one cluster at a time/],
      [['--cluster', CLUSTER, '--cluster', 'other', '--auto-approve'], /one cluster at a time/],
      [['--fsx-role-arn', 'FsxRole', '--dry-run'], /not an IAM role ARN/],
      [['--addon-version', 'newest', '--dry-run'], /not an add-on version/],
      [['-o', 'wide', '--dry-run'], /wide/],
    ] as const;
    for (const [args, message] of bad) {
      const r = await migrate([...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('--auto-approve with the add-on ending CREATE_FAILED: exit 8, rolled back without a prompt, cluster as before', async () => {
    t.sb.services.eks.failOn({ addonName: INFERENCE, kind: 'create', outcome: 'CREATE_FAILED' });
    const r = await migrate(['--auto-approve', '--backup-dir', backupDir]);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(new RegExp(`✗ failed: .*${INFERENCE} is CREATE_FAILED`));
    expect(r.stderr).toMatch(/^\[\d+\.\ds\] ↩ rollback done: rolled back to the backup$/m);
    expect(r.stderr).toMatch(/^status: +rolled-back$/m);
    expect(r.stderr).toContain('the cluster is back as it was before the run');
    expect(r.stderr).not.toMatch(PROMPT);
    expect(await addonStatus()).toBeUndefined();
    expect(t.sb.diff(t.before)).toEqual([]);
    const [run] = await history();
    expect(run).toMatchObject({
      runId: runIdOf(r),
      clusterName: CLUSTER,
      lastEvent: 'rollback-done',
    });
  });

  describe('a migration that succeeds', () => {
    let ok: CliResult;
    let runId: string;
    beforeAll(async () => {
      // Transitions long enough that a 20 ms poll sees CREATING even on a loaded machine.
      t.sb.timing.addonTransitionMs = 400;
      try {
        ok = await migrate(['--auto-approve', '--backup-dir', backupDir]);
      } finally {
        t.sb.timing.addonTransitionMs = 20;
      }
      runId = runIdOf(ok);
    }, 120_000);

    it('exits 0 with the add-on ACTIVE in EKS, its progress one line per event with elapsed time', async () => {
      expect(ok.stderr).toMatch(/^status: +succeeded$/m);
      expect(ok.code).toBe(0);
      expect(await addonStatus()).toBe('ACTIVE');
      expect(ok.stderr).toMatch(
        new RegExp(`^\\[\\d+\\.\\ds\\] ✓ create add-on ${INFERENCE} v\\S+$`, 'm'),
      );
      // A wait says what it waits for.
      expect(ok.stderr).toMatch(
        new RegExp(
          `^\\[\\d+\\.\\ds\\] … wait until ${INFERENCE} is ACTIVE: ${INFERENCE} is CREATING`,
          'm',
        ),
      );
      expect(ok.stderr).not.toMatch(PROMPT);
      // Plain output off a terminal: no colour codes.
      expect(ok.stderr).not.toContain('\u001b[');
      expect(runId).toMatch(new RegExp(`^${CLUSTER}-\\d{8}-\\d{6}-[0-9a-z]{25}$`));
      expect(ok.stderr).toMatch(new RegExp(`^backup: +${backupDir}/${runId}$`, 'm'));
      expect(ok.stderr).toMatch(
        new RegExp(
          `^undo: +kubectl hyperpod migrate rollback --run ${runId} --backup-dir ${backupDir}$`,
          'm',
        ),
      );
    });

    it('migrate history lists the run first, then the rolled-back one', async () => {
      const runs = await history();
      expect(runs).toHaveLength(2);
      expect(runs[0]).toMatchObject({
        runId,
        clusterName: CLUSTER,
        profile: 'hyperpod-inference',
        lastEvent: 'run-succeeded',
      });
      expect(runs[1]!.lastEvent).toBe('rollback-done');
      const table = await runCli(['migrate', 'history', '--backup-dir', backupDir], t.env);
      expect(table.stdout.split('\n')[0]).toMatch(
        /^RUN {2,}CLUSTER {2,}PROFILE {2,}CREATED {2,}STATE {2,}LAST EVENT$/,
      );
      expect(table.stdout.split('\n')[1]).toMatch(
        new RegExp(`^${runId} +${CLUSTER} +hyperpod-inference +\\S+Z +succeeded +run-succeeded$`),
      );
      const other = await runCli(
        ['migrate', 'history', '--backup-dir', backupDir, '--cluster', 'ml-other', '-o', 'json'],
        t.env,
      );
      expect(JSON.parse(other.stdout)).toEqual([]);
    });

    it('a second migrate has a blocker (the add-on is installed): exit 7 with the blocker, nothing changed', async () => {
      const now = t.sb.snapshot();
      const r = await migrate(['--auto-approve', '--backup-dir', backupDir]);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: the plan has 1 blocker, nothing was changed: ${INFERENCE} is already installed as an EKS add-on`,
          'm',
        ),
      );
      expect(r.stderr).toMatch(/^Blockers \(1\): the plan may not run$/m);
      expect(r.stderr).toMatch(/^try: kubectl hyperpod migrate plan {2}#/m);
      expect(t.sb.diff(now)).toEqual([]);
      expect(await history()).toHaveLength(2);
      const plan = await runCli(['migrate', 'plan', '-o', 'json'], t.env);
      expect(plan.code).toBe(7);
      expect((JSON.parse(plan.stdout) as MigrationPlan).blockers).toHaveLength(1);
    });

    it('migrate rollback without a terminal refuses unless --auto-approve', async () => {
      const r = await runCli(['migrate', 'rollback', '--backup-dir', backupDir], t.env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/pass --auto-approve/);
      expect(await addonStatus()).toBe('ACTIVE');
    });

    it('migrate rollback --auto-approve undoes the newest run: the sandbox is as it was before any run', async () => {
      const r = await runCli(
        ['migrate', 'rollback', '--auto-approve', '--backup-dir', backupDir, '-o', 'json'],
        t.env,
        120_000,
      );
      expect(r.stderr).toMatch(/^status: +rolled-back$/m);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout) as MigrationOutcome).toMatchObject({
        runId,
        status: 'rolled-back',
        rollbackErrors: [],
      });
      expect(r.stderr).not.toMatch(/Roll back run/);
      expect(await addonStatus()).toBeUndefined();
      expect(t.sb.diff(t.before)).toEqual([]);
      expect((await history())[0]).toMatchObject({ runId, lastEvent: 'rollback-done' });
      const again = await rollBack(runId);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('already rolled back: nothing to do');
    });
  });

  it('--on-failure stop leaves a stopped run that --resume finishes and rollback --run undoes', async () => {
    // The add-on takes longer than --wait-timeout allows: the wait fails, the run stops.
    t.sb.timing.addonTransitionMs = 3_000;
    const stopped = await migrate([
      '--auto-approve',
      '--on-failure',
      'stop',
      '--wait-timeout',
      '1',
      '--backup-dir',
      backupDir,
    ]);
    expect(stopped.code).toBe(8);
    expect(stopped.stderr).toMatch(/^status: +failed$/m);
    const runId = runIdOf(stopped);
    expect(stopped.stderr).toMatch(
      new RegExp(
        `^resume: +kubectl hyperpod migrate --resume ${runId} --backup-dir ${backupDir}$`,
        'm',
      ),
    );
    expect(stopped.stderr).toMatch(
      /✗ failed: .* was not ACTIVE after 1 s \(last status CREATING\)$/m,
    );
    // Nothing was rolled back: what the run did is still there for --resume.
    expect(stopped.stderr).not.toMatch(/↩ rollback/);
    t.sb.timing.addonTransitionMs = 20;
    await t.sb.services.eks.settled();

    const planFlag = await migrate(['--resume', runId, '--release', 'x', '--auto-approve']);
    expect(planFlag.code).toBe(2);
    expect(planFlag.stderr).toMatch(
      /--resume continues the stored plan; --release cannot change it/,
    );

    const resumed = await migrate(['--resume', runId, '--auto-approve', '--backup-dir', backupDir]);
    expect(resumed.stderr).toMatch(/^status: +succeeded$/m);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming run ${runId}`);
    await rollBackToStart(runId);
    const rolledBack = await migrate([
      '--resume',
      runId,
      '--auto-approve',
      '--backup-dir',
      backupDir,
    ]);
    expect(rolledBack.code).toBe(2);
    expect(rolledBack.stderr).toContain(
      `error: run ${runId} was rolled back: it cannot be resumed`,
    );
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('Ctrl-C during a run stops it (exit 130) with the commands to resume or undo it; --resume finishes it', async () => {
    t.sb.timing.addonTransitionMs = 3_000;
    const child = spawn(
      process.execPath,
      [CLI_BIN, 'migrate', '--auto-approve', '--backup-dir', backupDir],
      {
        env: t.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!interrupted && /… wait until \S+ is ACTIVE/.test(stderr))
        interrupted = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const runId = /^interrupted: run (\S+) stopped where it was/m.exec(stderr)![1]!;
    expect(stderr).toMatch(
      new RegExp(
        `^resume: +kubectl hyperpod migrate --resume ${runId} --backup-dir ${backupDir}$`,
        'm',
      ),
    );
    t.sb.timing.addonTransitionMs = 20;
    await t.sb.services.eks.settled();
    // Ctrl-C released the lease: the same run resumes at once.
    const resumed = await migrate(['--resume', runId, '--auto-approve', '--backup-dir', backupDir]);
    expect(resumed.stderr).toMatch(/^status: +succeeded$/m);
    expect(resumed.code).toBe(0);
    expect(await addonStatus()).toBe('ACTIVE');
    await rollBackToStart(runId);
  });

  it('another run holding the cluster lock: exit 7 naming the holder and since when, nothing changed', async () => {
    const lock = await MigrationLock.acquire(
      gatewaysFor(t.sb, CLUSTER).kube,
      'alice@laptop',
      'alice-run-1',
    );
    try {
      const held = t.sb.snapshot();
      const r = await migrate(['--auto-approve', '--backup-dir', backupDir]);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(
        /^error: another migration holds this cluster: alice@laptop\/[0-9a-f]{12} \(run alice-run-1\) since \S+/m,
      );
      expect(r.stderr).toMatch(
        /^try: kubectl hyperpod migrate history {2}# wait for run alice-run-1/m,
      );
      expect(t.sb.diff(held)).toEqual([]);
    } finally {
      await lock.release();
    }
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('on a terminal it asks before each step: yes runs it, "skip to rollback" undoes what ran (exit 8)', async () => {
    const down = '\u001b[B';
    // One answer for each new step prompt: yes to step 1, then "skip to rollback".
    const answers = ['\r', `${down}\r`];
    let asked = 0;
    const r = await runCliOnTty(['migrate', '--backup-dir', backupDir], t.env, (screen) => {
      const prompts = new Set([...screen.matchAll(/Run step (\d+)\//g)].map((m) => m[1])).size;
      return asked < prompts && asked < answers.length ? answers[asked++] : undefined;
    });
    expect(r.screen).toMatch(/step 1\/7: IAM roles: /);
    expect(r.screen).toMatch(/Run step 1\/7 \(IAM roles\)\?/);
    expect(r.screen).toMatch(/✓ create IAM role SageMakerHyperPodInference-/);
    expect(r.screen).toMatch(/Run step 2\/7 \(Tag CreatedBy=HyperPodInference\)\?/);
    expect(r.screen).not.toMatch(/Run step 3\//);
    expect(r.screen).toMatch(/status: +rolled-back/);
    expect(r.code).toBe(8);
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('--resume of a run that does not exist is a configuration error naming the store', async () => {
    const r = await migrate([
      '--resume',
      'no-such-run',
      '--auto-approve',
      '--backup-dir',
      backupDir,
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`error: no migration run no-such-run in ${backupDir}`);
  });
});
