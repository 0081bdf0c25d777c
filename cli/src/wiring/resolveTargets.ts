/**
 * Where the CLI chooses its clusters: kubeconfig contexts and fleet files become ClusterTargets,
 * each with its region and AWS profile, and with the kubeconfig that holds its context remembered
 * for the gateways (kubeGatewayFor).
 */
import type { ClusterTarget } from '@hyperpod/core';
import { configError } from '../CliError';
import type { CommandLine } from '../CommandLine';
import { rememberKubeconfig } from './kubeGatewayFor';
import { targetsFromFleetFile } from './targetsFromFleetFile';
import { targetsFromKubeconfig } from './targetsFromKubeconfig';
import type { SourceErrors, TargetSelection } from './TargetSelection';

export type { SourceErrors, TargetSelection } from './TargetSelection';

export interface ResolvedTargets {
  targets: ClusterTarget[];
  sourceErrors: SourceErrors;
}

/**
 * Chooses the clusters: `--fleet` entries, else kubeconfig contexts (`--context`, `--cluster`
 * names, `-A` for all, or the current context). Every "not found" lists what exists and prints
 * the corrected command.
 */
export async function resolveTargets(
  sel: TargetSelection,
  cl: CommandLine,
  timeoutMs: number,
): Promise<ResolvedTargets> {
  const r = sel.fleet
    ? await targetsFromFleetFile(sel, cl, timeoutMs)
    : await targetsFromKubeconfig(sel, cl);
  const envRegion = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const out: ClusterTarget[] = [];
  for (const t of r.targets) {
    const target: ClusterTarget = {
      ...t,
      region: t.region ?? sel.region ?? envRegion,
      ...(sel.profile !== undefined ? { profile: sel.profile } : {}),
    };
    if (target.region === undefined) {
      throw configError(
        `no AWS region known for cluster "${t.name}"`,
        cl.with({ region: 'us-east-1' }),
      );
    }
    if (r.kubeconfig && target.context) rememberKubeconfig(target, r.kubeconfig);
    out.push(target);
  }
  if (out.length === 0 && (r.sourceErrors ?? []).length === 0) {
    throw configError(
      `fleet file ${sel.fleet} names no clusters`,
      `${cl.with({ fleet: '<fleet.yaml>' })}  # the format is in docs/cli.md#fleet-files`,
    );
  }
  return { targets: out, sourceErrors: r.sourceErrors ?? [] };
}
