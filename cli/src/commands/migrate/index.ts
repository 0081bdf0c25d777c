/**
 * `kubectl hyperpod migrate [PROFILE]`: moves one cluster's Helm install to its EKS add-on with
 * the core's migration engine. What the `migrate` topic's commands share is MigrationCommand
 * (../../migrate).
 */
import { Flags } from '@oclif/core';
import type { MigrationOutcome, MigrationPlan } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { usageError } from '../../CliError';
import { CommandLine } from '../../CommandLine';
import { ExitCode } from '../../exitCodes';
import { MigrationCommand } from '../../migrate/MigrationCommand';
import { PLAN_FLAGS, profileArg, RUN_FLAGS, STORE_FLAGS } from '../../migrate/migrationFlags';
import { newRunId } from '../../newRunId';
import { DRY_RUN, normalizeDryRun } from '../../normalizeDryRun';
import { outputFlag } from '../../outputFlag';

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
