/**
 * What the `migrate` topic's commands share (every file under commands/ is a command to oclif, so
 * it lives here): the gateways, the run store, the plan flags, approval, progress and the end
 * report, on the one cluster SingleClusterCommand resolves.
 */
import type { Command, Interfaces } from '@oclif/core';
import {
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
import { CliError, configError, usageError } from '../CliError';
import { CommandLine } from '../CommandLine';
import { leaseOptions, pollMs } from '../executorTiming';
import { ExitCode } from '../exitCodes';
import { colourEnabled } from '../format/colour';
import { formatMigrationPlan } from '../format/formatMigrationPlan';
import {
  formatMigrationOutcome,
  MigrationProgress,
  type NextCommands,
} from '../format/formatMigrationProgress';
import { gatewayErrorExitCode, gatewayErrorFix } from '../gatewayErrorAdvice';
import { actor, lockHolder } from '../lockHolder';
import { SingleClusterCommand } from '../SingleClusterCommand';
import { closest } from '../validateNames';
import { migrationGatewaysFor } from '../wiring/migrationGatewaysFor';
import { migrationStore } from '../wiring/migrationStore';
import {
  DEFAULT_PROFILE,
  FSX_CSI,
  RUN_ID,
  S3_CSI,
  type PLAN_FLAGS,
  type RUN_FLAGS,
  type STORE_FLAGS,
} from './migrationFlags';

/** An IAM role ARN in any partition, with an optional path. */
const ROLE_ARN = /^arn:aws(?:-[a-z-]+)?:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;
/** `NAME` or `NAMESPACE/NAME`: a Kubernetes namespace and a Helm release name. */
const RELEASE = /^(?:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]{0,51}[a-z0-9])?$/;

type PlanFlagValues = Interfaces.InferredFlags<typeof PLAN_FLAGS>;
type StoreFlagValues = Interfaces.InferredFlags<typeof STORE_FLAGS>;
type RunFlagValues = Interfaces.InferredFlags<typeof RUN_FLAGS>;

/** What the `migrate` commands share. */
export abstract class MigrationCommand<T extends typeof Command> extends SingleClusterCommand<T> {
  // Restated on purpose: oclif's manifest (cacheCommand's mergePrototype) stops climbing the class
  // chain at the first class with no static property of its own, and would leave out the rest.
  static override notApplicable: readonly string[] = SingleClusterCommand.notApplicable;
  /** The lock the executor took, released when the process is interrupted. */
  private heldLock: LeaseLock | undefined;

  protected get singleClusterName(): string {
    return 'migrate';
  }

  protected override get allClustersName(): string {
    return `${this.commandLine.bin} ${this.id?.split(':').join(' ')}`;
  }

  private get planFlags(): PlanFlagValues {
    return this.flags as unknown as PlanFlagValues;
  }

  private get storeFlags(): StoreFlagValues {
    return this.flags as unknown as StoreFlagValues;
  }

  protected get runFlags(): RunFlagValues {
    return this.flags as unknown as RunFlagValues;
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
  private runSelectionArgs(store = true): string[] {
    const keep = this.selectionArgs();
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
    return new CommandLine('migrate:plan', [...args, ...this.runSelectionArgs(false)]).toString();
  }

  /** The command lines the end report offers, on the same cluster and store as this one. */
  protected nextCommands(runId: string, profile?: string): NextCommands {
    const keep = this.runSelectionArgs();
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
