/**
 * Which EKS cluster a kubeconfig context points at, from what `aws eks update-kubeconfig` writes:
 * the cluster entry named by the cluster ARN, or a user running `aws eks get-token --cluster-name
 * X --region R` (or aws-iam-authenticator), or failing those an EKS endpoint host naming the region.
 */
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { execFlag } from '@hyperpod/core';

export interface EksClusterIdentity {
  name: string;
  region: string;
  /** Known when the context names the cluster by ARN. */
  accountId?: string;
  arn?: string;
}

const EKS_ARN = /^arn:(aws[a-z-]*):eks:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]*)$/;
const EKS_HOST = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com(?:\.cn)?$/;

export function parseEksClusterArn(arn: string): EksClusterIdentity | undefined {
  const m = EKS_ARN.exec(arn);
  return m ? { name: m[4]!, region: m[2]!, accountId: m[3]!, arn } : undefined;
}

/** Undefined when the context is not recognisably an EKS cluster (or does not exist). */
export function contextToEksCluster(
  kubeConfig: KubeConfig,
  contextName: string,
): EksClusterIdentity | undefined {
  const ctx = kubeConfig.getContextObject(contextName);
  if (!ctx) return undefined;
  const byArn = parseEksClusterArn(ctx.cluster);
  if (byArn) return byArn;
  const user = kubeConfig.getUser(ctx.user);
  const exec = user?.exec as
    | { command?: string; args?: string[]; env?: { name: string; value: string }[] | null }
    | undefined;
  const server = kubeConfig.getCluster(ctx.cluster)?.server;
  const serverRegion = server ? regionOfEndpoint(server) : undefined;
  if (exec?.args?.length) {
    const args = exec.args;
    const envRegion = exec.env?.find(
      (e) => e.name === 'AWS_REGION' || e.name === 'AWS_DEFAULT_REGION',
    )?.value;
    const isAwsCli = args.includes('get-token') && args.includes('eks');
    const isAuthenticator =
      /aws-iam-authenticator/.test(exec.command ?? '') && args.includes('token');
    if (isAwsCli) {
      const idArg = execFlag(args, '--cluster-id');
      const name = execFlag(args, '--cluster-name') ?? (idArg && parseEksClusterArn(idArg)?.name);
      const region = execFlag(args, '--region') ?? envRegion ?? serverRegion;
      if (name && region) return { name, region };
    }
    if (isAuthenticator) {
      const name = execFlag(args, '-i') ?? execFlag(args, '--cluster-id');
      const region = execFlag(args, '--region') ?? envRegion ?? serverRegion;
      if (name && region) return { name, region };
    }
  }
  return undefined;
}

function regionOfEndpoint(server: string): string | undefined {
  try {
    return EKS_HOST.exec(new URL(server).hostname)?.[1];
  } catch {
    return undefined;
  }
}
