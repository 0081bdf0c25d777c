/**
 * `kubectl hyperpod resolve-conflicts ADDON`: the fix for an add-on's ConfigurationConflict.
 * Re-applies the installed version with resolveConflicts OVERWRITE after showing, field by field,
 * what EKS takes over from whom (the objects' managedFields), saving the objects as they are for
 * the undo. Its own verb rather than `upgrade --to current`: no version changes, and its plan and
 * undo are about field ownership, not versions (docs/cli.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { ClusterTarget, ResolveConflictsOutcome, ResolveConflictsPlan } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../BaseCommand';
import { CliError, usageError } from '../CliError';
import { ExitCode } from '../exitCodes';
import { colourEnabled } from '../format/colour';
import {
  formatResolveConflictsEvent,
  formatResolveConflictsOutcome,
  formatResolveConflictsPlan,
} from '../format/formatResolveConflicts';
import { validateAddonName } from '../validateNames';
import { leaseOptions, pollMs } from '../executorTiming';
import { lockHolder } from '../lockHolder';
import { newRunId } from '../newRunId';
import { normalizeDryRun } from '../normalizeDryRun';
import { outputFlag } from '../outputFlag';
import { SingleClusterCommand } from '../SingleClusterCommand';
import { upgradeGatewaysFor } from '../wiring/upgradeGatewaysFor';

const EXIT_FOR: Record<ResolveConflictsOutcome['status'], ExitCode> = {
  succeeded: ExitCode.Ok,
  refused: ExitCode.UpgradeRefused,
  'rolled-back': ExitCode.UpgradeRolledBack,
  failed: ExitCode.UpgradeFailed,
};

export default class ResolveConflicts extends SingleClusterCommand<typeof ResolveConflicts> {
  static override summary =
    'Fix an add-on’s ConfigurationConflict: show the fields EKS will take over, then re-apply it with OVERWRITE.';
  static override description = `For add-on ADDON on ONE cluster (the current context unless --context, --cluster or a one-cluster --fleet says otherwise) that EKS reports with a ConfigurationConflict (another field manager — kubectl, Helm, a controller — owns fields the add-on manages).

It reads the add-on and the objects its conflict names (nothing changed) and prints the plan: every contested field, who owns it now (from the objects' managedFields) and its value now; EKS (field manager eks) owns each one afterwards. A plan that cannot run (not installed, in flight, no ConfigurationConflict) exits 9; --dry-run stops there.

Then it asks (on a terminal; without one it refuses unless --auto-approve), saves the objects as they are (the undo: kubectl replace -f FILE), takes the add-on's lock (the Lease kube-system/kubectl-hyperpod-upgrade-ADDON, shared with upgrades) and calls UpdateAddon at the installed version with resolveConflicts OVERWRITE (configuration and role unchanged), waiting for ACTIVE. If it does not get there, the saved objects are written back (exit 10).

${exitCodesHelp([
  ...COMMON_EXIT_CODES,
  ExitCode.UpgradeRefused,
  ExitCode.UpgradeRolledBack,
  ExitCode.UpgradeFailed,
])}`;

  static override usage = [
    'resolve-conflicts ADDON [--dry-run] [--auto-approve] [-o table|json|yaml] [--context NAME | --cluster NAME]',
  ];

  static override args = {
    addon: Args.string({ description: 'EKS add-on name, e.g. coredns' }),
  };

  static override flags = {
    'dry-run': Flags.string({
      summary: 'Only plan: print the fields EKS would take over and change nothing.',
      options: ['none', 'client'],
      default: 'none',
    }),
    'auto-approve': Flags.boolean({ summary: 'Never ask: run without a prompt.' }),
    'wait-timeout': Flags.integer({
      summary: 'Seconds to wait for the add-on to be ACTIVE.',
      default: 1200,
      min: 1,
    }),
    output: outputFlag('Format of the plan (--dry-run) or the end report; json|yaml as data.'),
  };

  static override examples = [
    {
      description: 'See which fields EKS would take over, change nothing',
      command: 'kubectl hyperpod resolve-conflicts coredns --cluster ml-batch-use1 --dry-run',
    },
    {
      description: 'Resolve it without a prompt',
      command: 'kubectl hyperpod resolve-conflicts coredns --cluster ml-batch-use1 --auto-approve',
    },
  ];

  override async init(): Promise<void> {
    this.argv = normalizeDryRun(this.argv);
    await super.init();
  }

  async run(): Promise<ResolveConflictsPlan | ResolveConflictsOutcome> {
    const f = this.flags;
    const addonName = this.args.addon;
    if (addonName === undefined)
      throw usageError(
        'resolve-conflicts needs the add-on: kubectl hyperpod resolve-conflicts ADDON',
        `${this.sameTarget('status', [])}  # the add-ons and their issues`,
      );
    validateAddonName(addonName, (v) => this.commandLine.withArgument(addonName, v));
    const dryRun = f['dry-run'] !== 'none';
    if (!dryRun) this.requireApproval('resolve-conflicts');
    const target = await this.oneTarget();
    const g = await upgradeGatewaysFor(
      target,
      { timeoutMs: this.timeoutMs, kube: true },
      this.commandLine,
    );
    const { discoverResolveConflicts, planResolveConflicts, runResolveConflicts } =
      await import('@hyperpod/core');
    this.progress(`reading ${target.name}…`);
    const plan = planResolveConflicts(
      await discoverResolveConflicts({ eks: g.eks, kube: g.kube! }, target.name, addonName).finally(
        () => this.progress(undefined),
      ),
    );
    const colour = colourEnabled(process.stderr);
    if (dryRun || plan.refusals.length > 0) {
      if (this.output === 'table')
        process.stdout.write(formatResolveConflictsPlan(plan, { colour }));
      else await this.print(plan, () => '');
      if (plan.refusals.length > 0)
        throw new CliError(
          ExitCode.UpgradeRefused,
          `${plan.refusals.join('; ')}; nothing was changed`,
          `${this.sameTarget('status', [])}  # the add-on's status and issues`,
        );
      process.stderr.write('dry run: plan only, nothing was changed\n');
      return plan;
    }

    const runId = newRunId(`${plan.clusterName}-${plan.addonName}`);
    const rollbackFile = this.saveRollback(runId, plan);
    const undo = `kubectl --context ${target.context ?? target.name} replace -f ${rollbackFile}`;
    process.stderr.write(formatResolveConflictsPlan(plan, { colour, rollbackFile }));
    if (!f['auto-approve']) await this.confirm(plan);
    const startedAt = Date.now();
    const outcome = await runResolveConflicts(plan, {
      eks: g.eks,
      kube: g.kube!,
      holder: lockHolder(),
      runId,
      lease: leaseOptions(),
      pollMs: pollMs(),
      timeoutMs: f['wait-timeout'] * 1000,
      onEvent: (e) => process.stderr.write(formatResolveConflictsEvent(e, startedAt)),
    });
    await this.print(outcome, (o) => formatResolveConflictsOutcome(o, undo));
    if (outcome.status !== 'succeeded')
      process.stderr.write(
        new CliError(
          EXIT_FOR[outcome.status],
          outcome.message.replace(/^refused: /, ''),
          outcome.status === 'refused'
            ? this.commandLine.toString()
            : `${this.sameTarget('status', [])}  # the add-on's issues; undo by hand: ${undo}`,
        ).render(),
      );
    process.exitCode = EXIT_FOR[outcome.status];
    return outcome;
  }

  /** The objects as they are, as a kubectl List: `kubectl replace -f` puts them back. */
  private saveRollback(runId: string, plan: ResolveConflictsPlan): string {
    const root = process.env.KUBECTL_HYPERPOD_HOME
      ? path.resolve(process.env.KUBECTL_HYPERPOD_HOME)
      : path.join(process.env.HOME ?? '.', '.local', 'state', 'kubectl-hyperpod');
    const dir = path.join(root, 'resolve-conflicts');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${runId}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: plan.rollbackObjects }, null, 2)}\n`,
      { mode: 0o600, flag: 'wx' },
    );
    return file;
  }

  private async confirm(plan: ResolveConflictsPlan): Promise<void> {
    const answer = await this.select<'yes' | 'no'>(
      `Let EKS take over ${plan.takeovers.length} field(s) of ${plan.addonName} on ${plan.clusterName}?`,
      [
        { value: 'yes', name: 'yes: re-apply with OVERWRITE' },
        { value: 'no', name: 'no: change nothing' },
      ],
    );
    if (answer !== 'yes')
      throw new CliError(
        ExitCode.UpgradeRefused,
        'declined at the prompt: nothing was changed',
        this.commandLine.with({ 'dry-run': true, 'auto-approve': undefined }),
      );
  }

  protected get singleClusterName(): string {
    return 'resolve-conflicts';
  }

  /** Its own wording; unlike `migrate` and `upgrade` it does not refuse --fail-on. */
  protected override async oneTarget(): Promise<ClusterTarget> {
    const f = this.flags;
    if (f['all-clusters'])
      throw usageError(
        'resolve-conflicts works on one cluster at a time; -A selects every cluster',
        this.commandLine.with({ 'all-clusters': undefined }),
      );
    const targets = await this.resolveSelection(this.selection());
    if (targets.length !== 1)
      throw usageError(
        `resolve-conflicts works on one cluster at a time; the selection names ${targets.length}`,
        this.commandLine.with({ cluster: targets[0]?.name ?? '<name>' }),
      );
    return targets[0]!;
  }
}
