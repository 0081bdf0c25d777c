/**
 * What the commands that change one cluster share (`migrate` and its topic, `upgrade`,
 * `resolve-conflicts`): the one target (-A, --fail-on, --concurrency and --rate-limit refused),
 * approval before a change, one question at a time on stderr, and the flags that chose the
 * cluster, to repeat in suggested commands.
 */
import type { Command } from '@oclif/core';
import type { ClusterTarget, MigrationPlan } from '@hyperpod/core';
import { BaseCommand, baseFlagsWithout } from './BaseCommand';
import { accessError, usageError } from './CliError';
import { CommandLine } from './CommandLine';
import { colourEnabled } from './format/colour';
import { gatewayErrorFix } from './gatewayErrorAdvice';
import { resolveTargets, type TargetSelection } from './wiring/resolveTargets';

export abstract class SingleClusterCommand<T extends typeof Command> extends BaseCommand<T> {
  // One cluster at a time: -A and --fail-on are refused with their own message (oneTarget).
  static override baseFlags = baseFlagsWithout([
    'all-clusters',
    'fail-on',
    'concurrency',
    'rate-limit',
  ]);
  static notApplicable: readonly string[] = ['concurrency', 'rate-limit'];

  /** The command as its one-cluster refusals name it: `upgrade works on one cluster at a time`. */
  protected abstract get singleClusterName(): string;

  /** The command as the refusal of -A names it (default singleClusterName). */
  protected get allClustersName(): string {
    return this.singleClusterName;
  }

  protected get colour(): boolean {
    return colourEnabled(process.stderr);
  }

  /** Prompts need a person at a terminal: stdin to answer, stderr to show them. */
  protected get interactive(): boolean {
    return process.stdin.isTTY === true && process.stderr.isTTY === true;
  }

  /** Without --auto-approve it asks; with nobody to ask it refuses before anything is read. */
  protected requireApproval(what: string): void {
    if ((this.flags as { 'auto-approve'?: boolean })['auto-approve'] || this.interactive) return;
    throw usageError(
      `${what} asks before it changes anything, and stdin is not a terminal: pass --auto-approve to run without prompts`,
      this.commandLine.with({ 'auto-approve': true }),
    );
  }

  /**
   * The one cluster: the current context, `--context`, one `--cluster`, or one fleet file entry.
   * `run` (a stored migration run's plan) picks its cluster when no selection flag says otherwise.
   */
  protected async oneTarget(run?: MigrationPlan['cluster']): Promise<ClusterTarget> {
    const f = this.flags;
    if (f['all-clusters'])
      throw usageError(
        `${this.allClustersName} works on one cluster at a time; -A selects every cluster`,
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
        `${this.singleClusterName} works on one cluster at a time; --cluster was given ${selection.clusters.length} times`,
        this.commandLine.with({ cluster: selection.clusters[0] }),
      );
    const chosenByUser =
      selection.context !== undefined || selection.clusters.length > 0 || selection.fleet;
    if (run && !chosenByUser) {
      selection.clusters = [run.name];
      selection.region ??= run.region;
    }
    const targets = await this.resolveSelection(selection);
    if (targets.length !== 1) {
      throw usageError(
        `${this.singleClusterName} works on one cluster at a time; the selection names ${targets.length} (${targets
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

  /** The clusters `selection` names; none, and a source failed: the access error saying why. */
  protected async resolveSelection(selection: TargetSelection): Promise<ClusterTarget[]> {
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
    return targets;
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

  /** The flags that chose this command's cluster, to repeat in suggested commands. */
  protected selectionArgs(): string[] {
    const f = this.flags;
    const keep: string[] = [];
    if (f.kubeconfig) keep.push('--kubeconfig', f.kubeconfig);
    if (f.context) keep.push('--context', f.context);
    for (const c of f.cluster ?? []) keep.push('--cluster', c);
    if (f.fleet) keep.push('--fleet', f.fleet);
    if (f.region) keep.push('--region', f.region);
    if (f.profile) keep.push('--profile', f.profile);
    return keep;
  }

  /** Another command on the same cluster (the flags that chose it, repeated). */
  protected sameTarget(id: string, args: string[]): string {
    return new CommandLine(id, [...args, ...this.selectionArgs()]).toString();
  }
}
