import { configError } from '../CliError';
import type { CommandLine } from '../CommandLine';
import { closest } from '../validateNames';
import { eksGateways } from './awsGateways';
import { loadKubeconfigOrFail } from './loadKubeconfigOrFail';
import { coreNode } from './loadModules';
import type { SourceErrors, TargetSelection, TargetsFound } from './TargetSelection';

/**
 * The clusters of the `--fleet` file (its `discover:` entries listed through EKS), narrowed to the
 * `--cluster` names; the kubeconfig is read only when an entry names a context.
 */
export async function targetsFromFleetFile(
  sel: TargetSelection,
  cl: CommandLine,
  timeoutMs: number,
): Promise<TargetsFound> {
  const { loadFleetFile, FleetFileError, fleetTargets } = await coreNode();
  let file: Awaited<ReturnType<typeof loadFleetFile>>;
  try {
    file = await loadFleetFile(sel.fleet!);
  } catch (e) {
    if (!(e instanceof FleetFileError)) throw e;
    const more =
      e.problems.length > 1
        ? ` (and ${e.problems.length - 1} more problem${e.problems.length > 2 ? 's' : ''})`
        : '';
    throw configError(
      `bad fleet file: ${e.problems[0]}${more}`,
      `${cl.with({ fleet: '<fleet.yaml>' })}  # the format is in docs/cli.md#fleet-files`,
    );
  }
  // `discover:` entries list clusters through EKS ListClusters (with the entry's role or profile).
  const gateways = await eksGateways(timeoutMs);
  const found = await fleetTargets(file, async (scope) => ({ eks: gateways.eksFor(scope) }), {
    hyperpod: false,
  });
  let targets = found.targets;
  const sourceErrors: SourceErrors = found.errors.map((f) => ({
    cluster: {
      name: `${f.source} ${f.accountId ?? 'default account'} ${f.region ?? ''}`.trim(),
      accountId: f.accountId,
      region: f.region,
    },
    errors: [{ ...f.error, step: f.source === 'discover' ? 'list clusters' : f.source }],
  }));
  if (sel.clusters.length > 0) {
    const known = targets.map((t) => t.name);
    for (const name of sel.clusters) {
      if (!known.includes(name)) {
        const guess = closest(name, known);
        throw configError(
          `cluster "${name}" not found in fleet file ${sel.fleet} (known: ${known.join(', ')})`,
          guess ? cl.with({ cluster: guess }) : cl.with({ cluster: undefined }),
        );
      }
    }
    targets = targets.filter((t) => sel.clusters.includes(t.name));
  }
  // Contexts named in the fleet file come from the kubeconfig; without any, AWS-side reads only.
  if (!targets.some((t) => t.context)) return { targets, sourceErrors };
  const kubeconfig = await loadKubeconfigOrFail(sel, cl, undefined);
  const names = new Set(kubeconfig.contexts.map((c) => c.name));
  const missing = targets.find((t) => t.context && !names.has(t.context));
  if (missing) {
    throw configError(
      `context "${missing.context}" of cluster ${missing.name} in ${sel.fleet} not found in ${kubeconfig.paths.join(':')} (known: ${[...names].join(', ')})`,
      `aws eks update-kubeconfig --name ${missing.name} --region ${missing.region ?? '<region>'} --alias ${missing.context}`,
    );
  }
  return { kubeconfig, targets, sourceErrors };
}
