#!/usr/bin/env node
/**
 * The credential plugin of the kubeconfig `hyperpod-sandbox` writes: like `aws eks get-token`, it
 * runs per context with `--cluster-name`, `--region` and the context's AWS_PROFILE, and prints a
 * client.authentication.k8s.io ExecCredential. It hands out the sandbox cluster's bearer token
 * when the profile is the account that owns the cluster, as EKS authorises only its account.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

interface SandboxState {
  accounts: { alias: string; accountId: string }[];
  clusters: { name: string; region: string; accountId: string; token: string }[];
}

export function execCredential(
  state: SandboxState,
  clusterName: string,
  region: string,
  profile: string | undefined,
  now = new Date(),
): unknown {
  const account = profile ? state.accounts.find((a) => a.alias === profile) : state.accounts[0];
  if (!account)
    throw new Error(
      `AWS profile '${profile}' is not a sandbox account (known: ${state.accounts.map((a) => a.alias).join(', ')})`,
    );
  const cluster = state.clusters.find(
    (c) => c.name === clusterName && c.region === region && c.accountId === account.accountId,
  );
  if (!cluster)
    throw new Error(
      `no cluster ${clusterName} in ${region} for account ${account.accountId} (profile ${account.alias})`,
    );
  return {
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    spec: {},
    // EKS tokens live 15 minutes; clients cache until then.
    status: {
      expirationTimestamp: new Date(now.getTime() + 14 * 60_000).toISOString(),
      token: cluster.token,
    },
  };
}

if (require.main === module) {
  const o = new Command('hyperpod-sandbox-token')
    .requiredOption('--state <file>', 'sandbox.json written by hyperpod-sandbox')
    .requiredOption('--cluster-name <name>')
    .requiredOption('--region <region>')
    .parse(process.argv)
    .opts<{ state: string; clusterName: string; region: string }>();
  try {
    const state = JSON.parse(readFileSync(o.state, 'utf8')) as SandboxState;
    process.stdout.write(
      JSON.stringify(execCredential(state, o.clusterName, o.region, process.env['AWS_PROFILE'])) +
        '\n',
    );
  } catch (e) {
    process.stderr.write(
      `error: ${(e as Error).message}\nIs the sandbox still running? Start it with: npm start\n`,
    );
    process.exit(1);
  }
}
