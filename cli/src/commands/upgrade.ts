/**
 * `kubectl hyperpod upgrade ADDON --to VERSION|default|latest`: upgrades one EKS add-on on one
 * cluster with the core's planner and executor: plan (versions, hops, configuration schema,
 * dependencies), ask, take the add-on's upgrade lock, update hop by hop, roll back on failure.
 */
import { Args, Flags } from '@oclif/core';
import {
  type ClusterTarget,
  type EksGateway,
  type UpgradeOutcome,
  type UpgradePlan,
} from '@hyperpod/core';
import { missingPermissionLine, missingPermissionOfText } from '@hyperpod/core-node';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../BaseCommand';
import { CliError, configError, usageError } from '../CliError';
import { CommandLine } from '../CommandLine';
import { ExitCode } from '../exitCodes';
import { colourEnabled } from '../format/colour';
import {
  formatUpgradeEvent,
  formatUpgradeOutcome,
  formatUpgradePlan,
  type UpgradeNextCommands,
} from '../format/formatUpgrade';
import { closest, validateAddonName, validateUpgradeTarget } from '../validateNames';
import { leaseOptions, pollMs } from '../executorTiming';
import { lockHolder } from '../lockHolder';
import { newRunId } from '../newRunId';
import { normalizeDryRun } from '../normalizeDryRun';
import { outputFlag } from '../outputFlag';
import { SingleClusterCommand } from '../SingleClusterCommand';
import { upgradeGatewaysFor } from '../wiring/upgradeGatewaysFor';

const RESOLVE_CONFLICTS = ['NONE', 'OVERWRITE', 'PRESERVE'] as const;
const DRY_RUN = ['none', 'client'] as const;

const EXIT_FOR: Record<UpgradeOutcome['status'], ExitCode> = {
  succeeded: ExitCode.Ok,
  refused: ExitCode.UpgradeRefused,
  'rolled-back': ExitCode.UpgradeRolledBack,
  failed: ExitCode.UpgradeFailed,
};

export default class Upgrade extends SingleClusterCommand<typeof Upgrade> {
  static override summary =
    'Upgrade an EKS add-on on one cluster: plan, ask, update hop by hop, roll back on failure.';
  static override description = `Upgrades add-on ADDON on ONE cluster (the current context unless --context, --cluster or a one-cluster --fleet says otherwise) to --to: a version, \`default\` (the default for the cluster's Kubernetes version) or \`latest\`.

It reads the cluster (nothing changed) and prints the plan: from, each hop (add-ons such as vpc-cni move one minor version at a time), to, whether the current configuration fits the target version's schema, dependency add-ons to move first, and refusals. A plan with refusals exits 9. --dry-run stops there (the plan on stdout).

Then it asks (on a terminal; without one it refuses unless --auto-approve), takes the add-on's upgrade lock (a Lease kube-system/kubectl-hyperpod-upgrade-ADDON: one upgrade per add-on per cluster at a time), and updates hop by hop, waiting for ACTIVE after each. A failed hop is rolled back to the version, configuration and role from before the upgrade. Progress goes to stderr; the end report (or -o json|yaml the outcome, secrets redacted) to stdout.

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.UpgradeRefused, ExitCode.UpgradeRolledBack, ExitCode.UpgradeFailed])}`;

  static override usage = [
    'upgrade ADDON --to VERSION|default|latest [--dry-run] [--auto-approve] [--resolve-conflicts NONE|OVERWRITE|PRESERVE] [-o table|json|yaml] [--context NAME | --cluster NAME]',
  ];

  static override args = {
    addon: Args.string({
      // Checked in run(): oclif's own message for a missing argument spans several lines.
      description: 'EKS add-on name, e.g. vpc-cni or amazon-sagemaker-hyperpod-inference',
    }),
  };

  static override flags = {
    to: Flags.string({
      summary:
        'Version to upgrade to: a version, `default` (the default for the cluster’s Kubernetes version) or `latest`.',
      helpValue: 'VERSION|default|latest',
    }),
    'dry-run': Flags.string({
      summary: 'Only plan: print the plan and change nothing. A bare --dry-run is client.',
      options: [...DRY_RUN],
      default: 'none',
    }),
    'resolve-conflicts': Flags.string({
      summary:
        'How EKS treats fields of the add-on’s objects that others changed (sent with every update and the rollback); default: EKS’s.',
      options: [...RESOLVE_CONFLICTS],
    }),
    'auto-approve': Flags.boolean({
      summary: 'Never ask: run the upgrade (and roll back on failure) without a prompt.',
    }),
    'wait-timeout': Flags.integer({
      summary: 'Seconds to wait for each update (and the rollback) to settle.',
      default: 1200,
      min: 1,
    }),
    output: outputFlag(
      'Format of the result: the plan (--dry-run) or the end report; json|yaml print it as data.',
    ),
  };

  static override examples = [
    {
      description: 'Review the plan for the current context’s cluster, change nothing',
      command: 'kubectl hyperpod upgrade vpc-cni --to latest --dry-run',
    },
    {
      description: 'Upgrade, asking first',
      command: 'kubectl hyperpod upgrade coredns --to default --context ml-prod-use1',
    },
    {
      description: 'In CI, without a prompt, the outcome as JSON on stdout',
      command:
        'kubectl hyperpod upgrade amazon-sagemaker-hyperpod-inference --to v1.2.0-eksbuild.1 --cluster ml-prod-use1 --auto-approve -o json',
    },
  ];

  override async init(): Promise<void> {
    this.argv = normalizeDryRun(this.argv);
    await super.init();
  }

  async run(): Promise<UpgradePlan | UpgradeOutcome> {
    const f = this.flags;
    const addonName = this.args.addon;
    if (addonName === undefined)
      throw usageError(
        'upgrade needs the add-on to upgrade: kubectl hyperpod upgrade ADDON --to VERSION|default|latest',
        `${this.sameTarget('status', [])}  # lists the installed add-ons; then: ${new CommandLine('upgrade', ['ADDON', ...this.argv]).toString()}`,
      );
    validateAddonName(addonName, (v) => this.commandLine.withArgument(addonName, v));
    validateUpgradeTarget(f.to, (v) => this.commandLine.with({ to: v }));
    const dryRun = f['dry-run'] !== 'none';
    if (!dryRun) this.requireApproval('upgrade');
    const target = await this.oneTarget();
    const gateways = await upgradeGatewaysFor(
      target,
      { timeoutMs: this.timeoutMs, kube: !dryRun },
      this.commandLine,
    );
    const plan = await this.plan(gateways.eks, target, addonName);
    if (plan.refusals.length === 0 && plan.hops.length === 0 && f['resolve-conflicts'])
      // Nothing to update: --resolve-conflicts would be sent with no call at all.
      throw usageError(
        `${addonName} is already at ${plan.from}: an upgrade sends no update, so --resolve-conflicts ${f['resolve-conflicts']} would change nothing; re-applying the installed version with OVERWRITE is resolve-conflicts`,
        `${this.sameTarget('resolve-conflicts', [addonName, '--dry-run'])}  # the fields EKS would take over; then without --dry-run`,
      );

    if (dryRun) {
      await this.printPlan(plan, process.stdout);
      if (plan.refusals.length > 0) throw this.refused(plan);
      process.stderr.write('dry run: plan only, nothing was changed\n');
      return plan;
    }

    process.stderr.write(formatUpgradePlan(plan, { colour: this.colour }));
    // A plan with refusals runs too: the executor answers `refused` without a call or a lock,
    // so the end report (and -o json) is an outcome whatever happened.
    if (plan.refusals.length === 0 && plan.hops.length > 0 && !f['auto-approve'])
      await this.confirm(plan);

    const { runUpgradeLocked, redactUpgradeOutcome } = await import('@hyperpod/core');
    const startedAt = Date.now();
    const runId = newRunId(`${plan.clusterName}-${plan.addonName}`);
    let captured: string | undefined;
    const interrupted = () => {
      process.stderr.write(
        `\ninterrupted: the upgrade of ${addonName} stopped where it was${captured ? ` (it was at ${captured} before)` : ''}; an update already sent goes on in EKS and nothing will roll it back; the lock lapses within a minute\ncheck:   ${this.next().status}\n`,
      );
      process.exit(130);
    };
    process.on('SIGINT', interrupted);
    let outcome: UpgradeOutcome;
    try {
      outcome = await runUpgradeLocked(plan, {
        eks: gateways.eks,
        kube: gateways.kube!,
        holder: lockHolder(),
        runId,
        lease: leaseOptions(),
        pollMs: pollMs(),
        timeoutMs: f['wait-timeout'] * 1000,
        onCaptured: (c) => {
          captured = c.addonVersion;
        },
        onEvent: (e) =>
          process.stderr.write(formatUpgradeEvent(e, { colour: this.colour, startedAt })),
      });
    } finally {
      process.off('SIGINT', interrupted);
    }
    const shown = redactUpgradeOutcome(outcome);
    const next = this.next();
    await this.print(shown, (o, opts) => formatUpgradeOutcome(o, next, { colour: opts.colour }));
    if (outcome.status !== 'succeeded') process.stderr.write(this.failure(outcome, plan).render());
    process.exitCode = EXIT_FOR[outcome.status];
    return shown;
  }

  protected get singleClusterName(): string {
    return 'upgrade';
  }

  /** Reads the cluster and plans; an add-on that is not installed (or unknown) is a config error. */
  private async plan(
    eks: EksGateway,
    target: ClusterTarget,
    addonName: string,
  ): Promise<UpgradePlan> {
    const { prepareUpgrade, AddonNotInstalledError } = await import('@hyperpod/core');
    const resolveConflicts = this.flags['resolve-conflicts'] as
      (typeof RESOLVE_CONFLICTS)[number] | undefined;
    this.progress(`reading ${target.name}…`);
    try {
      return await prepareUpgrade(eks, {
        clusterName: target.name,
        addonName,
        target: this.flags.to!,
        ...(resolveConflicts ? { resolveConflicts } : {}),
      });
    } catch (e) {
      if (!(e instanceof AddonNotInstalledError)) throw e;
      throw await this.notInstalled(eks, target, addonName);
    } finally {
      this.progress(undefined);
    }
  }

  /** A name EKS does not offer (a typo: the nearest offered name) or an add-on not installed. */
  private async notInstalled(
    eks: EksGateway,
    target: ClusterTarget,
    addonName: string,
  ): Promise<CliError> {
    const { version } = await eks.describeCluster(target.name);
    const offered = (await eks.describeAddonVersions({ kubernetesVersion: version }))
      .map((e) => e.addonName)
      .sort();
    if (!offered.includes(addonName)) {
      const guess = closest(addonName, offered);
      return configError(
        `add-on "${addonName}" is not offered by EKS for Kubernetes ${version} in ${target.region}${offered.length ? ` (known: ${offered.join(', ')})` : ''}`,
        guess
          ? this.commandLine.withArgument(addonName, guess)
          : 'aws eks describe-addon-versions --query "addons[].addonName"',
      );
    }
    return configError(
      `${addonName} is not installed on ${target.name}: there is nothing to upgrade`,
      `aws eks create-addon --cluster-name ${target.name} --addon-name ${addonName}${target.region ? ` --region ${target.region}` : ''}${target.profile ? ` --profile ${target.profile}` : ''}  # to install it`,
    );
  }

  /** `-o table`: the plan as text on `stream`; `-o json|yaml`: the plan document on stdout. */
  private async printPlan(plan: UpgradePlan, stream: NodeJS.WritableStream): Promise<void> {
    if (this.output === 'table')
      stream.write(
        formatUpgradePlan(plan, { colour: colourEnabled(stream as { isTTY?: boolean }) }),
      );
    else await this.print(plan, () => '');
  }

  /** The plan may not run: exit 9 with its refusals and the first thing to do about them. */
  private refused(plan: UpgradePlan): CliError {
    const n = plan.refusals.length;
    const dep = plan.dependenciesFirst[0];
    const region = this.flags.region ? ` --region ${this.flags.region}` : '';
    const fix = !dep
      ? `${this.sameTarget('addons:versions', [plan.addonName])}  # the versions offered for Kubernetes ${plan.kubernetesVersion}; then: ${this.planCommandLine()}`
      : dep.installed
        ? `${this.sameTarget('upgrade', [dep.addonName, '--to', 'latest'])}  # then: ${this.planCommandLine()}`
        : `aws eks create-addon --cluster-name ${plan.clusterName} --addon-name ${dep.addonName}${region}  # then: ${this.planCommandLine()}`;
    return new CliError(
      ExitCode.UpgradeRefused,
      `the plan has ${n} refusal${n === 1 ? '' : 's'}, nothing was changed: ${plan.refusals.join('; ')}`,
      fix,
    );
  }

  /** One question on stderr; no (or Ctrl-C) is a refusal that changed nothing. */
  private async confirm(plan: UpgradePlan): Promise<void> {
    const answer = await this.select<'yes' | 'no'>(
      `Upgrade ${plan.addonName} on ${plan.clusterName} from ${plan.from} to ${plan.to} (${plan.hops.length} update${plan.hops.length === 1 ? '' : 's'})?`,
      [
        { value: 'yes', name: 'yes: upgrade (a failed update is rolled back)' },
        { value: 'no', name: 'no: change nothing' },
      ],
    );
    if (answer !== 'yes')
      throw new CliError(
        ExitCode.UpgradeRefused,
        'declined at the prompt: nothing was changed',
        `${this.planCommandLine()}  # the plan again`,
      );
  }

  /** The error and try lines after an upgrade that did not succeed. */
  private failure(o: UpgradeOutcome, plan: UpgradePlan): CliError {
    const next = this.next();
    // A refused call: one line naming the permission and the shipped file that grants it.
    const refused = missingPermissionOfText(o.message, { forSet: 'upgrade' });
    if (refused)
      return new CliError(
        o.status === 'refused'
          ? ExitCode.UpgradeRefused
          : o.status === 'rolled-back'
            ? ExitCode.UpgradeRolledBack
            : ExitCode.UpgradeFailed,
        `${o.addonName} on ${o.clusterName}: ${o.status}: ${missingPermissionLine(refused)}`,
        refused.grantedBy
          ? `aws iam create-policy --policy-name hyperpod-${refused.grantedBy.bundle} --policy-document file://${refused.grantedBy.file}  # attach it to the caller, then: ${next.status}`
          : next.status,
      );
    if (o.status === 'refused' && plan.refusals.length > 0) return this.refused(plan);
    if (o.status === 'refused' && o.heldBy) {
      const who = o.heldBy.runId ? `run ${o.heldBy.runId}` : o.heldBy.holder;
      return new CliError(
        ExitCode.UpgradeRefused,
        o.message.replace(/^refused: /, ''),
        `${this.commandLine.toString()}  # once ${who} has ended${o.heldBy.expiresAt ? `, or after ${o.heldBy.expiresAt} if its process died` : ''}`,
      );
    }
    if (o.status === 'refused')
      return new CliError(ExitCode.UpgradeRefused, o.message, this.commandLine.toString());
    if (o.status === 'rolled-back')
      return new CliError(
        ExitCode.UpgradeRolledBack,
        o.message,
        `${next.status}  # the add-on's health issues; then: ${next.plan}`,
      );
    const back = o.captured?.addonVersion ?? o.from;
    return new CliError(
      ExitCode.UpgradeFailed,
      o.message,
      `${next.status}  # then roll back by hand: aws eks update-addon --cluster-name ${o.clusterName} --addon-name ${o.addonName} --addon-version ${back}`,
    );
  }

  private next(): UpgradeNextCommands {
    return {
      plan: this.planCommandLine(),
      status: this.sameTarget('status', []),
    };
  }

  /** This upgrade again as a dry run. */
  private planCommandLine(): string {
    return this.commandLine.with({
      'dry-run': true,
      'auto-approve': undefined,
      output: undefined,
    });
  }
}
