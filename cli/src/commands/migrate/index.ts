/**
 * `kubectl hyperpod migrate [PROFILE]`: moves one cluster's Helm install to its EKS add-on with
 * the core's migration engine. Also the home of what the `migrate` topic's commands share
 * (MigrationCommand: one target, the gateways, the store, the plan flags, approval and progress),
 * since every file under commands/ is a command to oclif.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { Args, Flags, type Command, type Interfaces } from '@oclif/core';
import {
  BLOCKING_RELEASE_STATUSES,
  DEFAULT_MIGRATION_PROFILE,
  formatMigrationRunId,
  MIGRATION_RUN_ID,
  profileIds,
  RUN_ID_RANDOM_HEX,
  UPGRADE_TARGET,
  type ClusterTarget,
  type ExecuteMigrationDeps,
  type LeaseLock,
  type MigrationGateways,
  type MigrationOutcome,
  type MigrationPlan,
  type MigrationStep,
  type MigrationStore,
  type StepAnswer,
} from '@hyperpod/core';
import { BaseCommand, COMMON_EXIT_CODES, baseFlagsWithout, exitCodesHelp } from '../../BaseCommand';
import { accessError, CliError, configError, usageError } from '../../CliError';
import { CommandLine } from '../../CommandLine';
import { ExitCode } from '../../exitCodes';
import { colourEnabled } from '../../format/colour';
import { formatMigrationPlan } from '../../format/formatMigrationPlan';
import {
  formatMigrationOutcome,
  MigrationProgress,
  type NextCommands,
} from '../../format/formatMigrationProgress';
import { gatewayErrorExitCode, gatewayErrorFix } from '../../gatewayErrorAdvice';
import { closest } from '../../validateNames';
import { migrationGatewaysFor, migrationStore, resolveTargets } from '../../wiring';

export const DEFAULT_PROFILE = DEFAULT_MIGRATION_PROFILE;
const S3_CSI = 'aws-mountpoint-s3-csi-driver';
const FSX_CSI = 'aws-fsx-csi-driver';

/** What FileMigrationStore accepts as a run id. */
export const RUN_ID = MIGRATION_RUN_ID;
/** An IAM role ARN in any partition, with an optional path. */
const ROLE_ARN = /^arn:aws(?:-[a-z-]+)?:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;
/** `NAME` or `NAMESPACE/NAME`: a Kubernetes namespace and a Helm release name. */
const RELEASE = /^(?:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]{0,51}[a-z0-9])?$/;

/** `-o` for the migrate commands: the plan (or run list) as a table, JSON or YAML. */
export const outputFlag = (summary: string, options: string[] = ['table', 'json', 'yaml']) =>
  Flags.string({ char: 'o', summary, options, default: 'table', helpGroup: 'GLOBAL' });

/** The flags that shape a plan, shared by `migrate` and `migrate plan`. */
export const PLAN_FLAGS = {
  release: Flags.string({
    summary: 'Helm release to migrate, NAME or NAMESPACE/NAME, when several install the component.',
    helpValue: 'NAME|NS/NAME',
  }),
  'addon-version': Flags.string({
    summary:
      'Add-on version to install: a version, `default` (the default for the cluster’s Kubernetes version) or `latest`.',
    helpValue: 'VERSION|default|latest',
  }),
  'accept-drop': Flags.string({
    summary:
      'Accept losing this Helm value the add-on has no place for (repeatable; the plan lists them). A KEY the plan does not drop is a usage error (exit 2).',
    multiple: true,
    helpValue: 'KEY',
  }),
  'allow-release-status': Flags.string({
    summary:
      'Migrate a Helm release whose newest revision is in this status (normally a blocker: roll it back first). Recorded in the plan with who and when. A status the release is not in is a usage error (exit 2).',
    multiple: true,
    options: [...BLOCKING_RELEASE_STATUSES],
    helpValue: 'STATUS',
  }),
  'skip-dependencies-migration': Flags.boolean({
    summary:
      'Leave Helm-installed dependencies (CSI drivers, cert-manager, metrics-server) on Helm.',
  }),
  's3-mountpoint-role-arn': Flags.string({
    summary: `IAM role for the ${S3_CSI} add-on's service account (instead of the one the Helm values name).`,
    helpValue: 'ARN',
  }),
  'fsx-role-arn': Flags.string({
    summary: `IAM role for the ${FSX_CSI} add-on's service account (instead of the one the Helm values name).`,
    helpValue: 'ARN',
  }),
};

export const STORE_FLAGS = {
  'backup-dir': Flags.string({
    summary:
      'Directory of migration runs (plan, backup, journal), default $KUBECTL_HYPERPOD_HOME/migrations or ~/.local/state/kubectl-hyperpod/migrations.',
    helpValue: 'DIR',
  }),
};

export const RUN_FLAGS = {
  'auto-approve': Flags.boolean({
    summary: 'Never ask: run every step (and roll back on failure) without a prompt.',
  }),
  'wait-timeout': Flags.integer({
    summary: 'Seconds to wait for an add-on to become ACTIVE (or to be deleted on rollback).',
    default: 1200,
    min: 1,
  }),
};

export const profileArg = Args.string({
  description: 'Migration profile: which Helm-installed component moves to which add-on.',
  options: profileIds(),
  default: DEFAULT_PROFILE,
});

type PlanFlagValues = Interfaces.InferredFlags<typeof PLAN_FLAGS>;
type StoreFlagValues = Interfaces.InferredFlags<typeof STORE_FLAGS>;
type RunFlagValues = Interfaces.InferredFlags<typeof RUN_FLAGS>;

/**
 * A fresh run id, `<cluster>-<yyyymmdd-hhmmss>-<128 random bits>` (core's formatMigrationRunId,
 * as the backend makes them): a run id is also the handle to read or roll back a run.
 */
export function newRunId(
  clusterName: string,
  now: Date = new Date(),
  randomHex: string = randomBytes(RUN_ID_RANDOM_HEX / 2).toString('hex'),
): string {
  return formatMigrationRunId(clusterName, now, randomHex);
}

/** Who runs it, for the lock and the journal. */
export function actor(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container with an arbitrary uid): the environment's name will do.
  }
  return `${user}@${hostname()}`;
}

/**
 * This process, as a lock names it: `user@host/pid-4242` (the lock adds a random part). A lease
 * names the process that holds it, never the run: a second process is refused while this one
 * lives, even a `--resume` of the same run.
 */
export function lockHolder(): string {
  return `${actor()}/pid-${process.pid}`;
}

/**
 * The lease's duration (default 60 s); KUBECTL_HYPERPOD_LEASE_SECONDS shortens it (tests, the
 * sandbox): how long a dead process's lock stands in the way of a resume.
 */
export function leaseOptions(): { durationSeconds?: number } {
  const n = Number(process.env.KUBECTL_HYPERPOD_LEASE_SECONDS);
  return Number.isInteger(n) && n >= 3 ? { durationSeconds: n } : {};
}

/** Add-on status polling; KUBECTL_HYPERPOD_POLL_MS shortens it (tests, the sandbox). */
function pollMs(): number {
  const n = Number(process.env.KUBECTL_HYPERPOD_POLL_MS);
  return Number.isFinite(n) && n > 0 ? n : 5_000;
}

/** What the `migrate` commands share. */
export abstract class MigrationCommand<T extends typeof Command> extends BaseCommand<T> {
  /** The lock the executor took, released when the process is interrupted. */
  private heldLock: LeaseLock | undefined;
  // One cluster at a time: -A and --fail-on are refused with their own message (oneTarget).
  static override baseFlags = baseFlagsWithout([
    'all-clusters',
    'fail-on',
    'concurrency',
    'rate-limit',
  ]);
  static notApplicable: readonly string[] = ['concurrency', 'rate-limit'];

  private get planFlags(): PlanFlagValues {
    return this.flags as unknown as PlanFlagValues;
  }

  private get storeFlags(): StoreFlagValues {
    return this.flags as unknown as StoreFlagValues;
  }

  protected get runFlags(): RunFlagValues {
    return this.flags as unknown as RunFlagValues;
  }

  protected get colour(): boolean {
    return colourEnabled(process.stderr);
  }

  /** Prompts need a person at a terminal: stdin to answer, stderr to show them. */
  protected get interactive(): boolean {
    return process.stdin.isTTY === true && process.stderr.isTTY === true;
  }

  /** Without --auto-approve a run asks; with nobody to ask it refuses before anything is read. */
  protected requireApproval(what: string): void {
    if (this.runFlags['auto-approve'] || this.interactive) return;
    throw usageError(
      `${what} asks before it changes anything, and stdin is not a terminal: pass --auto-approve to run without prompts`,
      this.commandLine.with({ 'auto-approve': true }),
    );
  }

  /**
   * The one cluster a migration command works on: the current context, `--context`, one
   * `--cluster`, or one fleet file entry. `run` (a stored run's plan) picks its cluster when no
   * selection flag says otherwise.
   */
  protected async oneTarget(run?: MigrationPlan['cluster']): Promise<ClusterTarget> {
    const f = this.flags;
    if (f['all-clusters'])
      throw usageError(
        `${this.commandLine.bin} ${this.id?.split(':').join(' ')} works on one cluster at a time; -A selects every cluster`,
        this.commandLine.with({ 'all-clusters': undefined }),
      );
    if ((f['fail-on'] ?? []).length > 0)
      throw usageError(
        '--fail-on applies to status and drift',
        this.commandLine.with({ 'fail-on': undefined }),
      );
    const selection = this.selection();
    if (selection.clusters.length > 1)
      throw usageError(
        `migrate works on one cluster at a time; --cluster was given ${selection.clusters.length} times`,
        this.commandLine.with({ cluster: selection.clusters[0] }),
      );
    const chosenByUser =
      selection.context !== undefined || selection.clusters.length > 0 || selection.fleet;
    if (run && !chosenByUser) {
      selection.clusters = [run.name];
      selection.region ??= run.region;
    }
    const { targets, sourceErrors } = await resolveTargets(
      selection,
      this.commandLine,
      this.timeoutMs,
    );
    const failed = sourceErrors[0];
    if (targets.length === 0 && failed) {
      const e = failed.errors[0]!;
      throw accessError(
        `${failed.cluster.name}: ${e.step} failed: ${e.message.split('\n')[0]}`,
        gatewayErrorFix(e, e.step, failed.cluster, this.commandLine),
      );
    }
    if (targets.length !== 1) {
      throw usageError(
        `migrate works on one cluster at a time; the selection names ${targets.length} (${targets
          .map((t) => t.name)
          .join(', ')})`,
        this.commandLine.with({ cluster: targets[0]?.name ?? '<name>' }),
      );
    }
    const target = targets[0]!;
    if (
      run &&
      (target.name !== run.name ||
        (target.arn !== undefined && target.arn !== run.arn) ||
        (target.region !== undefined && target.region !== run.region))
    ) {
      throw usageError(
        `the run is for cluster ${run.name} (${run.arn}), not ${target.name}${target.arn ? ` (${target.arn})` : ''}`,
        this.commandLine.with({ cluster: run.name, context: undefined, fleet: undefined }),
      );
    }
    return target;
  }

  protected gatewaysFor(target: ClusterTarget): Promise<MigrationGateways> {
    return migrationGatewaysFor(target, { timeoutMs: this.timeoutMs }, this.commandLine);
  }

  protected store(): Promise<MigrationStore & { readonly root: string }> {
    return migrationStore(this.storeFlags['backup-dir']);
  }

  /** Flag values that need no network: release name, version, role ARNs. */
  protected checkPlanFlags(): void {
    const f = this.planFlags;
    if (f.release !== undefined && !RELEASE.test(f.release))
      throw configError(
        `"${f.release}" is not a Helm release name (NAME or NAMESPACE/NAME, lower-case letters, digits, - and .)`,
        this.commandLine.with({ release: 'kube-system/hyperpod-inference-operator' }),
      );
    if (f['addon-version'] !== undefined && !UPGRADE_TARGET.pattern.test(f['addon-version']))
      throw usageError(
        `"${f['addon-version']}" is not an add-on version (e.g. v1.1.0-eksbuild.1, default or latest)`,
        this.commandLine.with({ 'addon-version': 'default' }),
      );
    for (const flag of ['s3-mountpoint-role-arn', 'fsx-role-arn'] as const) {
      const arn = f[flag];
      if (arn !== undefined && !ROLE_ARN.test(arn))
        throw usageError(
          `--${flag} "${arn}" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
          this.commandLine.with({ [flag]: 'arn:aws:iam::111122223333:role/<name>' }),
        );
    }
  }

  /** Reads the cluster (nothing changed) and computes the plan from what it found. */
  protected async discoverAndPlan(
    profile: string,
    target: ClusterTarget,
    gateways: MigrationGateways,
  ): Promise<MigrationPlan> {
    const f = this.planFlags;
    const { discoverMigration, planMigration } = await import('@hyperpod/core');
    this.progress(`reading ${target.name}…`);
    const discovery = await discoverMigration(gateways, {
      clusterName: target.name,
      profile,
      release: f.release,
      addonVersion: f['addon-version'],
    });
    this.progress(undefined);
    const dependencyRoles: Record<string, string> = {};
    if (f['s3-mountpoint-role-arn']) dependencyRoles[S3_CSI] = f['s3-mountpoint-role-arn'];
    if (f['fsx-role-arn']) dependencyRoles[FSX_CSI] = f['fsx-role-arn'];
    const planned = planMigration(discovery, {
      now: new Date().toISOString(),
      acceptDrops: f['accept-drop'] ?? [],
      allowReleaseStatus: f['allow-release-status'] ?? [],
      // STS is not read on this path: the OS user is who is known.
      requestedBy: actor(),
      skipDependenciesMigration: f['skip-dependencies-migration'],
      dependencyRoles,
    });
    // The validate step: every permission the run and its rollback need; missing ones block.
    const { preflightMigration, onlyRefusedReads } = await import('@hyperpod/core-node');
    this.progress(`checking permissions on ${target.name}…`);
    const { plan } = await preflightMigration(planned, discovery, gateways);
    this.progress(undefined);
    // A cluster that did not answer is an access error; a refused read is a blocker naming the
    // permission (exit 7, as the other blockers).
    const failed = onlyRefusedReads(discovery) ? undefined : discovery.failedReads?.[0];
    if (failed) {
      await this.printPlan(plan, this.planStream);
      throw new CliError(
        gatewayErrorExitCode(failed, failed.step),
        `${target.name}: ${failed.step} failed: ${failed.message.split('\n')[0]}; nothing was changed${discovery.failedReads!.length > 1 ? ` (and ${discovery.failedReads!.length - 1} more failed reads, listed in the plan's blockers)` : ''}`,
        gatewayErrorFix(
          failed,
          failed.step,
          {
            name: target.name,
            ...(target.region ? { region: target.region } : {}),
            ...(target.context ? { context: target.context } : {}),
          },
          this.commandLine,
        ),
      );
    }
    const { unmatchedPlanOverrides } = await import('@hyperpod/core');
    const unmatched = unmatchedPlanOverrides(plan, {
      acceptDrops: f['accept-drop'] ?? [],
      allowReleaseStatus: f['allow-release-status'] ?? [],
    });
    if (unmatched.length > 0) {
      const u = unmatched[0]!;
      const near =
        u.flag === 'accept-drop'
          ? closest(
              u.value,
              plan.drops.map((d) => d.key),
            )
          : undefined;
      throw usageError(
        `${unmatched.map((x) => x.message).join('; ')}; nothing was changed`,
        this.withoutFlagValues(
          unmatched.map((x) => [x.flag, x.value]),
          near,
        ),
      );
    }
    this.lastDiscoveryAccessReviews = discovery.access.length;
    return plan;
  }

  /** This command line without the given `--flag value` pairs (the first replaced by `replacement`). */
  private withoutFlagValues(pairs: [string, string][], replacement?: string): string {
    const argv = [...this.commandLine.argv];
    const out: string[] = [];
    let replaced = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const pair = pairs.find(
        ([flag, value]) =>
          (a === `--${flag}` && argv[i + 1] === value) || a === `--${flag}=${value}`,
      );
      if (!pair) {
        out.push(a);
        continue;
      }
      if (a === `--${pair[0]}`) i++;
      if (replacement && !replaced) {
        out.push(`--${pair[0]}`, replacement);
        replaced = true;
      }
    }
    return new CommandLine(this.commandLine.id, out, this.commandLine.bin).toString();
  }

  protected lastDiscoveryAccessReviews = 0;

  /** Where `-o table` prints the plan: stderr for `migrate` (the run's output), stdout for `migrate plan`. */
  protected get planStream(): NodeJS.WritableStream {
    return process.stderr;
  }

  /** `-o json|yaml`: the plan document on stdout. `table`: the human rendering on `stream`. */
  protected async printPlan(plan: MigrationPlan, stream: NodeJS.WritableStream): Promise<void> {
    // Shown, never run from: secrets in the derived configuration stay out of terminals and CI logs.
    const { redactMigrationPlan } = await import('@hyperpod/core');
    plan = redactMigrationPlan(plan);
    if (this.output === 'table')
      stream.write(
        formatMigrationPlan(plan, {
          colour: colourEnabled(stream as { isTTY?: boolean }),
        }),
      );
    else await this.print(plan, () => '');
  }

  /** The plan may not run: exit 7 with the blockers. */
  protected blocked(plan: MigrationPlan, fix: string): CliError {
    const n = plan.blockers.length;
    return new CliError(
      ExitCode.MigrationBlocked,
      `the plan has ${n} blocker${n === 1 ? '' : 's'}, nothing was changed: ${plan.blockers.join('; ')}`,
      fix,
    );
  }

  /** The flags that chose this command's cluster and store, to repeat in suggested commands. */
  private selectionArgs(store = true): string[] {
    const keep: string[] = [];
    const f = this.flags;
    if (f.kubeconfig) keep.push('--kubeconfig', f.kubeconfig);
    if (f.context) keep.push('--context', f.context);
    for (const c of f.cluster ?? []) keep.push('--cluster', c);
    if (f.fleet) keep.push('--fleet', f.fleet);
    if (f.region) keep.push('--region', f.region);
    if (f.profile) keep.push('--profile', f.profile);
    const dir = this.storeFlags['backup-dir'];
    if (store && dir) keep.push('--backup-dir', dir);
    return keep;
  }

  /** `migrate plan` with this command's profile, plan flags and cluster. */
  protected planCommandLine(profile: string | undefined): string {
    const f = this.planFlags;
    const args: string[] = profile && profile !== DEFAULT_PROFILE ? [profile] : [];
    if (f.release) args.push('--release', f.release);
    if (f['addon-version']) args.push('--addon-version', f['addon-version']);
    for (const k of f['accept-drop'] ?? []) args.push('--accept-drop', k);
    for (const s of f['allow-release-status'] ?? []) args.push('--allow-release-status', s);
    if (f['skip-dependencies-migration']) args.push('--skip-dependencies-migration');
    if (f['s3-mountpoint-role-arn'])
      args.push('--s3-mountpoint-role-arn', f['s3-mountpoint-role-arn']);
    if (f['fsx-role-arn']) args.push('--fsx-role-arn', f['fsx-role-arn']);
    return new CommandLine('migrate:plan', [...args, ...this.selectionArgs(false)]).toString();
  }

  /** The command lines the end report offers, on the same cluster and store as this one. */
  protected nextCommands(runId: string, profile?: string): NextCommands {
    const keep = this.selectionArgs();
    const line = (id: string, extra: string[]) =>
      new CommandLine(id, [...extra, ...keep]).toString();
    return {
      resume: line('migrate', ['--resume', runId]),
      rollback: line('migrate:rollback', ['--run', runId]),
      retry: this.planCommandLine(profile),
    };
  }

  /** Executor dependencies: the store, progress lines on stderr, and prompts unless auto-approved. */
  protected executeDeps(
    gateways: MigrationGateways,
    store: MigrationStore,
    opts: {
      onFailure?: 'rollback' | 'stop';
      ask: boolean;
      /** The plan's steps: progress numbers them as the plan does, resumed or not. */
      steps?: readonly MigrationStep[];
    },
  ): ExecuteMigrationDeps {
    const progress = new MigrationProgress({
      colour: this.colour,
      startedAt: Date.now(),
      steps: opts.steps,
    });
    return {
      ...gateways,
      store,
      actor: actor(),
      holder: lockHolder(),
      lease: leaseOptions(),
      onLock: (lock) => {
        this.heldLock = lock;
      },
      onFailure: opts.onFailure ?? 'rollback',
      wait: { pollMs: pollMs(), timeoutMs: this.runFlags['wait-timeout'] * 1000 },
      onEvent: (e) => {
        const line = progress.line(e);
        if (line) process.stderr.write(line);
      },
      ...(opts.ask ? { confirm: (step, i, n) => this.askStep(step, i, n) } : {}),
    };
  }

  private async askStep(step: MigrationStep, index: number, total: number): Promise<StepAnswer> {
    process.stderr.write(
      `\nstep ${index + 1}/${total}: ${step.title}: ${step.description}\n${step.actions
        .map((a) => `  - ${a.summary}\n`)
        .join('')}`,
    );
    return this.select<StepAnswer>(`Run step ${index + 1}/${total} (${step.title})?`, [
      { value: 'yes', name: 'yes: run this step' },
      { value: 'rollback', name: 'skip to rollback: undo everything done so far' },
      { value: 'abort', name: 'abort: stop here (resume or roll back later)' },
    ]);
  }

  /** One question on stderr; Ctrl-C answers with the last choice (the safe one). */
  protected async select<V extends string>(
    message: string,
    choices: { value: V; name: string }[],
  ): Promise<V> {
    const { default: select } = await import('@inquirer/select');
    try {
      return await select<V>({ message, choices }, { output: process.stderr });
    } catch (e) {
      if (e instanceof Error && e.name === 'ExitPromptError')
        return choices[choices.length - 1]!.value;
      throw e;
    }
  }

  /**
   * Runs `fn` (an executor entry point on run `runId`): a held lock becomes exit 7; with
   * `refusals`, the executor's plain errors (a run that cannot be resumed) become usage errors.
   * Ctrl-C outside a prompt stops the process where the run is (its journal says how far it got)
   * and prints how to resume or undo it.
   */
  protected async execute(
    runId: string,
    fn: () => Promise<MigrationOutcome>,
    opts: { refusals?: boolean; profile?: string } = {},
  ): Promise<MigrationOutcome> {
    const next = this.nextCommands(runId, opts.profile);
    const interrupted = () => {
      // Released (when the API answers within 2 s), so a resume may start at once; otherwise
      // it lapses. Any step still running stops at its next call: the lock is no longer held.
      const lock = this.heldLock;
      const released = lock
        ? Promise.race([
            lock.release().then(
              () => true,
              () => false,
            ),
            new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref()),
          ])
        : Promise.resolve(true);
      void released.then((ok) => {
        process.stderr.write(
          `\ninterrupted: run ${runId} stopped where it was; ${ok ? 'its lock was released' : 'its lock lapses within a minute'}\nresume:  ${next.resume}\nundo:    ${next.rollback}\n`,
        );
        process.exit(130);
      });
    };
    process.on('SIGINT', interrupted);
    try {
      return await fn();
    } catch (e) {
      if (e instanceof Error && e.name === 'MigrationLockedError') {
        const held = e as Error & { runId?: string; expiresAt?: string };
        throw new CliError(
          ExitCode.MigrationBlocked,
          `${e.message}; nothing was changed`,
          `${this.commandLine.bin} migrate history  # wait for ${held.runId ? `run ${held.runId}` : 'it'} to end${held.expiresAt ? `, or retry after ${held.expiresAt} if its process died` : ''}`,
        );
      }
      if (opts.refusals && e instanceof Error && e.name === 'Error')
        throw usageError(e.message, `${this.commandLine.bin} migrate history`);
      throw e;
    } finally {
      process.off('SIGINT', interrupted);
    }
  }

  /** The end report on stderr; exit 0 for `ok` statuses, 8 otherwise. */
  protected report(
    outcome: MigrationOutcome,
    ok: MigrationOutcome['status'][],
    profile?: string,
  ): void {
    process.stderr.write(
      formatMigrationOutcome(outcome, this.nextCommands(outcome.runId, profile), {
        colour: this.colour,
      }),
    );
    process.exitCode = ok.includes(outcome.status) ? ExitCode.Ok : ExitCode.MigrationFailed;
  }

  /** A stored run, or a configuration error listing where runs are looked for. */
  protected async storedRun(
    store: MigrationStore & { readonly root: string },
    runId: string,
    flag: string,
  ) {
    if (!RUN_ID.test(runId))
      throw usageError(
        `"${runId}" is not a run id (lower-case letters, digits and -)`,
        `${this.commandLine.bin} migrate history`,
      );
    const stored = await store.read(runId);
    if (!stored)
      throw configError(
        `no migration run ${runId} in ${store.root}`,
        `${this.commandLine.bin} migrate history${this.storeFlags['backup-dir'] ? ` --backup-dir ${this.storeFlags['backup-dir']}` : ''}  # lists the runs; then ${this.commandLine.with({ [flag]: '<run>' })}`,
      );
    return stored;
  }
}

const DRY_RUN = ['none', 'client', 'server'] as const;

/**
 * kubectl's `--dry-run` alone means `--dry-run=client`; oclif flags always take a value, so the
 * bare form is rewritten before parsing (`--dry-run server` keeps its value).
 */
export function normalizeDryRun(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a !== '--dry-run') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && (DRY_RUN as readonly string[]).includes(next)) {
      out.push(`--dry-run=${next}`);
      i++;
    } else out.push('--dry-run=client');
  }
  return out;
}

export default class Migrate extends MigrationCommand<typeof Migrate> {
  static override summary = 'Move a Helm install to its EKS add-on: plan, backup, run, rollback.';
  static override description = `Migrates ONE cluster (the current context unless --context, --cluster or a one-cluster --fleet says otherwise) from the Helm release that installs PROFILE's component to the EKS add-on, with its IAM roles, tags and dependency add-ons.

It reads the cluster (nothing changed) and prints the plan: every step, every action and how a rollback undoes it, dropped Helm values, warnings and blockers (on stderr with -o table; the plan document on stdout with -o json|yaml). A plan with blockers exits 7. --dry-run stops there.

Then it takes the cluster's migration lock, writes a backup and runs the steps, asking before each one on a terminal (yes / skip to rollback / abort). Without a terminal it refuses unless --auto-approve, which never asks. A failed step rolls everything back to the backup (--on-failure stop leaves it for --resume or migrate rollback). Progress goes to stderr, one line per event.

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.MigrationBlocked, ExitCode.MigrationFailed])}`;

  static override args = { profile: profileArg };

  static override flags = {
    ...PLAN_FLAGS,
    ...STORE_FLAGS,
    ...RUN_FLAGS,
    'on-failure': Flags.string({
      summary: 'When a step fails: roll back to the backup, or stop and leave it for --resume.',
      options: ['rollback', 'stop'],
      default: 'rollback',
    }),
    'dry-run': Flags.string({
      summary:
        'Only plan: `client` or `server` (discovery has already read everything and run the access reviews) print the plan and change nothing. A bare --dry-run is client.',
      options: [...DRY_RUN],
      default: 'none',
    }),
    resume: Flags.string({
      summary: 'Continue a stored run from its journal (no new plan).',
      helpValue: 'RUN_ID',
    }),
    output: outputFlag('Format of the plan: table on stderr, or the plan document on stdout.'),
  };

  static override examples = [
    {
      description: 'Review the plan for the current context’s cluster, change nothing',
      command: 'kubectl hyperpod migrate --dry-run',
    },
    {
      description: 'Migrate, asking before each step',
      command: 'kubectl hyperpod migrate --context ml-prod-use1',
    },
    {
      description: 'Migrate in CI, without prompts, the plan as JSON on stdout',
      command:
        'kubectl hyperpod migrate --cluster ml-prod-use1 --auto-approve --accept-drop image.tag -o json',
    },
    {
      description: 'Continue a run that stopped',
      command:
        'kubectl hyperpod migrate --resume ml-prod-use1-20261121-101500-3rk1hqwuddcznp231i8poqy5o',
    },
  ];

  override async init(): Promise<void> {
    this.argv = normalizeDryRun(this.argv);
    await super.init();
  }

  async run(): Promise<MigrationOutcome | MigrationPlan> {
    const f = this.flags;
    if (f.resume !== undefined) return this.resume(f.resume);
    this.checkPlanFlags();
    const dryRun = f['dry-run'] as (typeof DRY_RUN)[number];
    if (dryRun === 'none') this.requireApproval('migrate');
    const target = await this.oneTarget();
    const gateways = await this.gatewaysFor(target);
    const plan = await this.discoverAndPlan(this.args.profile, target, gateways);
    await this.printPlan(plan, process.stderr);
    if (plan.blockers.length > 0)
      throw this.blocked(
        plan,
        `${this.planCommandLine(this.args.profile)}  # shows the plan; resolve its blockers, then run migrate again`,
      );
    if (dryRun === 'server') {
      const { dryRunOnServer } = await import('@hyperpod/core');
      const problems = await dryRunOnServer(plan, gateways);
      if (problems.length > 0)
        throw this.blocked(
          { ...plan, blockers: problems },
          `${this.planCommandLine(this.args.profile)}  # the API server refused part of the plan (dry run)`,
        );
      process.stderr.write(
        `dry run (server): every Kubernetes change was sent with dryRun=All and accepted, after ${this.lastDiscoveryAccessReviews} access review(s); AWS has no dry run for these calls (versions, schemas, roles and the bucket were checked when planning); nothing was changed\n`,
      );
      return plan;
    }
    if (dryRun === 'client') {
      process.stderr.write('dry run (client): plan only, nothing was changed\n');
      return plan;
    }
    const store = await this.store();
    const runId = newRunId(plan.cluster.name);
    process.stderr.write(`\nrun ${runId}: backup and journal in ${store.location(runId)}\n`);
    const { startMigration } = await import('@hyperpod/core');
    const outcome = await this.execute(
      runId,
      () =>
        startMigration(
          plan,
          runId,
          this.executeDeps(gateways, store, {
            onFailure: f['on-failure'] as 'rollback' | 'stop',
            ask: !f['auto-approve'],
            steps: plan.steps,
          }),
        ),
      { profile: this.args.profile },
    );
    this.report(outcome, ['succeeded'], this.args.profile);
    return outcome;
  }

  private async resume(runId: string): Promise<MigrationOutcome> {
    const f = this.flags;
    const planning = (Object.keys(PLAN_FLAGS) as (keyof typeof PLAN_FLAGS)[]).filter(
      (k) => f[k] !== undefined && f[k] !== false,
    );
    if (planning.length > 0 || f['dry-run'] !== 'none')
      throw usageError(
        `--resume continues the stored plan; ${planning.length ? `--${planning[0]}` : '--dry-run'} cannot change it`,
        new CommandLine('migrate', ['--resume', runId]).toString(),
      );
    this.requireApproval('migrate --resume');
    const store = await this.store();
    const stored = await this.storedRun(store, runId, 'resume');
    const plan = stored.plan as MigrationPlan;
    const target = await this.oneTarget(plan.cluster);
    const gateways = await this.gatewaysFor(target);
    process.stderr.write(
      `resuming run ${runId} (plan of ${plan.createdAt}, ${plan.cluster.name}): backup and journal in ${store.location(runId)}\n`,
    );
    const { resumeMigration } = await import('@hyperpod/core');
    const outcome = await this.execute(
      runId,
      () =>
        resumeMigration(
          runId,
          this.executeDeps(gateways, store, {
            onFailure: f['on-failure'] as 'rollback' | 'stop',
            ask: !f['auto-approve'],
            steps: plan.steps,
          }),
        ),
      { refusals: true, profile: plan.profile },
    );
    this.report(outcome, ['succeeded'], plan.profile);
    return outcome;
  }
}
