import type { ClusterTarget } from '@hyperpod/core';
import { awsProfileOfExec, type ExecUser } from '@hyperpod/core';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { LoadedKubeconfig } from '@hyperpod/core-node';
import { CliError, configError } from '../CliError';
import type { CommandLine } from '../CommandLine';
import { closest } from '../validateNames';
import { loadKubeconfigOrFail, UPDATE_KUBECONFIG } from './loadKubeconfigOrFail';
import { coreNode } from './loadModules';
import type { TargetSelection, TargetsFound } from './TargetSelection';

/**
 * The kubeconfig's EKS contexts the selection names: `--cluster` names (a name with no context
 * but a `--region` is read from AWS only), `-A` for all, `--context`, or the current context.
 */
export async function targetsFromKubeconfig(
  sel: TargetSelection,
  cl: CommandLine,
): Promise<TargetsFound> {
  // `--cluster X --region R` needs no kubeconfig: AWS-side reads only when X has no context.
  let kc: LoadedKubeconfig;
  try {
    kc = await loadKubeconfigOrFail(sel, cl, sel.context);
  } catch (e) {
    if (
      e instanceof CliError &&
      sel.clusters.length > 0 &&
      sel.region !== undefined &&
      /does not exist/.test(e.message)
    ) {
      return { targets: sel.clusters.map((name) => ({ name, region: sel.region })) };
    }
    throw e;
  }
  const { contextToEksCluster } = await coreNode();
  const path = kc.paths.join(':');
  const eksContexts = kc.contexts.flatMap((c) => {
    const id = contextToEksCluster(kc.kubeConfig, c.name);
    return id ? [{ context: c.name, id, profile: profileOfContext(kc.kubeConfig, c.name) }] : [];
  });
  const toTarget = (e: (typeof eksContexts)[number]): ClusterTarget => ({
    name: e.id.name,
    region: e.id.region,
    accountId: e.id.accountId,
    arn: e.id.arn,
    context: e.context,
    ...(e.profile ? { profile: e.profile } : {}),
  });

  if (sel.allClusters) {
    if (eksContexts.length === 0) {
      throw configError(`no context in ${path} points at an EKS cluster`, UPDATE_KUBECONFIG);
    }
    // One cluster reached through several contexts is scanned once.
    const seen = new Set<string>();
    return {
      kubeconfig: kc,
      targets: eksContexts
        .filter((e) => !seen.has(e.id.arn ?? e.context) && seen.add(e.id.arn ?? e.context))
        .map(toTarget),
    };
  }
  if (sel.clusters.length > 0) {
    const targets: ClusterTarget[] = [];
    const known = [...new Set(eksContexts.map((e) => e.id.name))];
    for (const name of sel.clusters) {
      const match = eksContexts.find(
        (e) => e.id.name === name && (sel.region === undefined || e.id.region === sel.region),
      );
      if (match) targets.push(toTarget(match));
      else if (sel.region !== undefined) targets.push({ name, region: sel.region });
      else {
        const guess = closest(name, known);
        throw configError(
          `cluster "${name}" not found in ${path}${known.length ? ` (known: ${known.join(', ')})` : ''}`,
          guess
            ? cl.with({ cluster: guess })
            : `aws eks update-kubeconfig --name ${name} --region <region>`,
        );
      }
    }
    return { kubeconfig: kc, targets };
  }
  const current = eksContexts.find((e) => e.context === kc.currentContext);
  if (!current) {
    const other = eksContexts[0]?.context;
    throw configError(
      `context "${kc.currentContext}" in ${path} does not point at an EKS cluster`,
      other ? cl.with({ context: other }) : UPDATE_KUBECONFIG,
    );
  }
  return { kubeconfig: kc, targets: [toTarget(current)] };
}

/**
 * The AWS profile `aws eks update-kubeconfig --profile P` records in the context's user, read by
 * core's awsProfileOfExec (`--profile` over AWS_PROFILE, as the AWS CLI reads them): the
 * credentials that reach the cluster reach its account too.
 */
function profileOfContext(kubeConfig: KubeConfig, context: string): string | undefined {
  const ctx = kubeConfig.getContextObject(context);
  const user = ctx ? kubeConfig.getUser(ctx.user) : undefined;
  return awsProfileOfExec(user?.exec as ExecUser | undefined);
}
