/**
 * A KubeGateway on one context of a loaded kubeconfig (a copy of it: one loaded kubeconfig serves
 * every cluster). An `aws eks get-token` user gets its token minted in-process with the SDK instead
 * of spawning the aws CLI per cluster; other exec plugins keep their own auth.
 */
import type { KubeGateway } from '@hyperpod/core';
import { ClientNodeKubeGateway } from './ClientNodeKubeGateway';
import type { LoadedKubeconfig } from './loadKubeconfig';
import { eksGetTokenExec, eksTokenProvider } from './mintEksToken';

export async function kubeGatewayForContext(
  loaded: LoadedKubeconfig,
  context: string,
  opts: { requestTimeoutMs?: number } = {},
): Promise<KubeGateway> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const base = loaded.kubeConfig;
  const getToken = eksGetTokenExec(base, context);
  const userName = base.getContextObject(context)?.user;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters,
    users: getToken
      ? base.users.map((u) => (u.name === userName ? { name: u.name } : u))
      : base.users,
    contexts: base.contexts,
    currentContext: context,
  });
  return new ClientNodeKubeGateway(kc, {
    name: context,
    ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    ...(getToken
      ? {
          bearerToken: eksTokenProvider(getToken, {
            ...(opts.requestTimeoutMs !== undefined
              ? { requestTimeoutMs: opts.requestTimeoutMs }
              : {}),
          }),
        }
      : {}),
  });
}
