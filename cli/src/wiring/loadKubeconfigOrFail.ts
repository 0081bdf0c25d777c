import type { LoadedKubeconfig } from '@hyperpod/core-node';
import { configError } from '../CliError';
import type { CommandLine } from '../CommandLine';
import { closest } from '../validateNames';
import { coreNode } from './loadModules';
import type { TargetSelection } from './TargetSelection';

/** The command that writes a kubeconfig context for an EKS cluster: the fix when there is none. */
export const UPDATE_KUBECONFIG = 'aws eks update-kubeconfig --name <cluster> --region <region>';

/**
 * The kubeconfig `--kubeconfig` (else $KUBECONFIG, else ~/.kube/config) names, at `context`
 * (else its current context); each way it can be unusable is a configuration error with the fix.
 */
export async function loadKubeconfigOrFail(
  sel: TargetSelection,
  cl: CommandLine,
  context?: string,
): Promise<LoadedKubeconfig> {
  const { loadKubeconfig, KubeconfigError } = await coreNode();
  try {
    return await loadKubeconfig({ kubeconfig: sel.kubeconfig, context });
  } catch (e) {
    if (!(e instanceof KubeconfigError)) throw e;
    const path = e.paths.join(':');
    switch (e.reason) {
      case 'FileMissing':
        throw configError(
          `kubeconfig ${path} does not exist`,
          sel.kubeconfig
            ? cl.with({ kubeconfig: '<path to an existing kubeconfig>' })
            : UPDATE_KUBECONFIG,
        );
      case 'NotAFile':
        throw configError(
          e.message,
          sel.kubeconfig
            ? cl.with({ kubeconfig: `${path.replace(/\/+$/, '')}/config` })
            : `KUBECONFIG=${path.replace(/\/+$/, '')}/config ${cl.toString()}`,
        );
      case 'Empty':
        throw configError(e.message, UPDATE_KUBECONFIG);
      case 'Malformed':
        throw configError(
          e.message,
          `kubectl config view --kubeconfig ${path}  # shows what is wrong; or regenerate it: ${UPDATE_KUBECONFIG}`,
        );
      case 'UnknownContext': {
        const asked = context ?? e.context ?? '';
        const guess = closest(asked, e.knownContexts) ?? e.knownContexts[0];
        const known = e.knownContexts.length
          ? ` (known: ${e.knownContexts.join(', ')})`
          : ' (it has no contexts)';
        throw configError(
          context === undefined
            ? `current-context "${asked}" of ${path} is not one of its contexts${known}`
            : `context "${context}" not found in ${path}${known}`,
          guess ? cl.with({ context: guess }) : UPDATE_KUBECONFIG,
        );
      }
      case 'NoCurrentContext': {
        const first = e.knownContexts[0];
        throw configError(
          `kubeconfig ${path} has no current context${e.knownContexts.length ? ` (known: ${e.knownContexts.join(', ')})` : ''}`,
          first ? cl.with({ context: first }) : UPDATE_KUBECONFIG,
        );
      }
    }
  }
}
