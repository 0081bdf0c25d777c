import type { ClusterTarget, KubeGateway } from '@hyperpod/core';
import type { LoadedKubeconfig } from '@hyperpod/core-node';
import { configError } from '../CliError';
import type { CommandLine } from '../CommandLine';
import { coreNode } from './loadModules';

/** The kubeconfig each resolved target was found in, so its gateway can use its context. */
const resolvedKubeconfigs = new WeakMap<ClusterTarget, LoadedKubeconfig>();

/** Records where resolveTargets found `target` (the kubeconfig holding its context). */
export function rememberKubeconfig(target: ClusterTarget, kubeconfig: LoadedKubeconfig): void {
  resolvedKubeconfigs.set(target, kubeconfig);
}

/** A client-node gateway on the target's context (core-node mints EKS tokens in-process). */
export async function kubeGatewayFor(
  target: ClusterTarget,
  timeoutMs: number,
): Promise<KubeGateway | undefined> {
  const loaded = resolvedKubeconfigs.get(target);
  if (!loaded || !target.context) return undefined;
  const { kubeGatewayForContext } = await coreNode();
  return kubeGatewayForContext(loaded, target.context, { requestTimeoutMs: timeoutMs });
}

/**
 * The target's gateway for a command that changes the cluster, or a configuration error saying
 * `why` it needs one and how to write the missing kubeconfig context.
 */
export async function requiredKubeGatewayFor(
  target: ClusterTarget,
  timeoutMs: number,
  why: string,
  cl: CommandLine,
): Promise<KubeGateway> {
  const kube = await kubeGatewayFor(target, timeoutMs);
  if (kube) return kube;
  throw configError(
    `cluster ${target.name} has no kubeconfig context: ${why}`,
    `aws eks update-kubeconfig --name ${target.name}${target.region ? ` --region ${target.region}` : ''}${target.profile ? ` --profile ${target.profile}` : ''}  # then: ${cl.toString()}`,
  );
}
