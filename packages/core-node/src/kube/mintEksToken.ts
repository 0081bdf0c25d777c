/**
 * EKS bearer tokens minted in-process, the way `aws eks get-token` makes them, so a scan does not
 * spawn the Python AWS CLI (1–4 s) per cluster. A token is `k8s-aws-v1.` + base64url (unpadded)
 * of an STS GetCallerIdentity URL presigned with SigV4, signing the header `x-k8s-aws-id:
 * <cluster>`; EKS calls that URL to learn who the caller is.
 *
 * Only an exec user that is recognisably `aws eks get-token` is replaced (its AWS_PROFILE,
 * `--profile`, `--region` and `--role-arn` honoured); every other user keeps its own auth.
 */
import path from 'node:path';
import { awsProfileOfExec, execEnv, execFlag } from '@hyperpod/core';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import {
  assumeRoleProvider,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
} from '../aws/AwsClients';
import { AwsSdkStsGateway } from '../aws/AwsSdkStsGateway';
import { NodeSha256 } from '../aws/NodeSha256';

/** What an `aws eks get-token` exec user asks for. */
export interface EksGetTokenExec {
  clusterName: string;
  /** The STS region the token is signed for. */
  region: string;
  profile?: string;
  roleArn?: string;
}

export interface MintEksTokenInput {
  clusterName: string;
  region: string;
  credentials: AwsCredentialIdentity;
  /** Signing time; default now. */
  now?: Date;
}

export interface EksToken {
  token: string;
  /** When EKS stops accepting it (15 minutes after signing, whatever X-Amz-Expires says). */
  expiresAt: Date;
}

const TOKEN_PREFIX = 'k8s-aws-v1.';
/** `aws eks get-token` presigns for 60 s; EKS itself honours the token for 15 minutes. */
const PRESIGN_EXPIRES_S = 60;
const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Mint anew this long before EKS would refuse the token (clock skew, a long request). */
const REFRESH_MARGIN_MS = 3 * 60_000;
/** The session name `aws eks get-token --role-arn` uses, so CloudTrail reads the same. */
const ROLE_SESSION_NAME = 'EKSGetTokenAuth';

/**
 * The `aws eks get-token` arguments of the context's user; undefined for any other user
 * (aws-iam-authenticator, other plugins, static tokens, client certificates) or when the cluster
 * name or region cannot be read from it.
 */
export function eksGetTokenExec(
  kubeConfig: KubeConfig,
  contextName: string,
): EksGetTokenExec | undefined {
  const ctx = kubeConfig.getContextObject(contextName);
  const user = ctx ? kubeConfig.getUser(ctx.user) : undefined;
  const exec = user?.exec as
    | { command?: string; args?: string[]; env?: { name: string; value: string }[] | null }
    | undefined;
  if (!exec?.command || !exec.args) return undefined;
  const command = path
    .basename(exec.command)
    .toLowerCase()
    .replace(/\.(exe|cmd)$/, '');
  if (command !== 'aws') return undefined;
  const args = exec.args;
  // `aws [global options] eks get-token`: both words, in that order.
  const eks = args.indexOf('eks');
  if (eks < 0 || args[eks + 1] !== 'get-token') return undefined;
  const env = (name: string) => execEnv(exec, name);
  const clusterId = execFlag(args, '--cluster-id');
  const clusterName =
    execFlag(args, '--cluster-name') ??
    (clusterId && /^arn:[^:]+:eks:[^:]+:\d{12}:cluster\/(.+)$/.exec(clusterId)?.[1]);
  // The region the CLI would sign for; one only the profile's config names is left to the CLI.
  const region = execFlag(args, '--region') ?? env('AWS_REGION') ?? env('AWS_DEFAULT_REGION');
  if (!clusterName || !region) return undefined;
  const profile = awsProfileOfExec(exec);
  const roleArn = execFlag(args, '--role-arn');
  return {
    clusterName,
    region,
    ...(profile ? { profile } : {}),
    ...(roleArn ? { roleArn } : {}),
  };
}

/** One EKS token for `clusterName`, signed with `credentials` for STS in `region`. */
export async function mintEksToken(input: MintEksTokenInput): Promise<EksToken> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const signer = new SignatureV4({
    service: 'sts',
    region: input.region,
    credentials: input.credentials,
    sha256: NodeSha256,
  });
  const now = input.now ?? new Date();
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: stsHostname(input.region),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: stsHostname(input.region), 'x-k8s-aws-id': input.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_S, signingDate: now },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const url = `https://${signed.hostname}${signed.path}?${query}`;
  return {
    token: TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
    expiresAt: new Date(now.getTime() + EKS_TOKEN_LIFETIME_MS),
  };
}

export interface EksTokenProviderOptions {
  /** Base credentials; default the SDK's chain for `exec.profile` (as the EKS client resolves). */
  credentials?: AwsCredentialIdentityProvider;
  /** Milliseconds an STS AssumeRole (for `--role-arn`) may take. Default 30000. */
  requestTimeoutMs?: number;
  /** STS endpoint for AssumeRole (the sandbox); the SDK also honours AWS_ENDPOINT_URL(_STS). */
  endpoint?: string;
  now?: () => number;
}

/**
 * A bearer-token provider for one `aws eks get-token` exec user: mints on first use, keeps the
 * token until shortly before EKS would refuse it, and shares one mint among concurrent callers.
 * With `--role-arn` the role is assumed first (STS AssumeRole with the profile's credentials,
 * session name EKSGetTokenAuth), as the AWS CLI does.
 */
export function eksTokenProvider(
  exec: EksGetTokenExec,
  opts: EksTokenProviderOptions = {},
): () => Promise<string> {
  const now = opts.now ?? Date.now;
  const credentials = exec.roleArn
    ? assumeRoleProvider(
        new AwsSdkStsGateway(stsClient(exec, opts)),
        { roleArn: exec.roleArn, sessionName: ROLE_SESSION_NAME },
        now,
      )
    : (opts.credentials ?? sdkCredentials(exec, opts));
  let current: EksToken | undefined;
  let inflight: Promise<EksToken> | undefined;
  return async () => {
    if (!current || current.expiresAt.getTime() - REFRESH_MARGIN_MS <= now()) {
      inflight ??= credentials()
        .then((c) =>
          mintEksToken({
            clusterName: exec.clusterName,
            region: exec.region,
            credentials: c,
            now: new Date(now()),
          }),
        )
        .finally(() => {
          inflight = undefined;
        });
      current = await inflight;
    }
    return current.token;
  };
}

/** The STS client the credentials come from: the same default chain and profile as AwsClients. */
function stsClient(exec: EksGetTokenExec, opts: EksTokenProviderOptions) {
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  let client: Promise<import('@aws-sdk/client-sts').STSClient> | undefined;
  return () =>
    (client ??= import('@aws-sdk/client-sts').then(
      ({ STSClient }) =>
        new STSClient({
          region: exec.region,
          requestHandler: {
            requestTimeout: requestTimeoutMs,
            connectionTimeout: Math.min(requestTimeoutMs, 10_000),
            throwOnRequestTimeout: true,
          },
          ...(exec.profile ? { profile: exec.profile } : {}),
          ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
          ...(opts.credentials ? { credentials: opts.credentials } : {}),
        }),
    ));
}

function sdkCredentials(
  exec: EksGetTokenExec,
  opts: EksTokenProviderOptions,
): AwsCredentialIdentityProvider {
  const client = stsClient(exec, opts);
  return async () => (await client()).config.credentials();
}

/** The regional STS endpoint EKS accepts tokens for (China regions are in their own partition). */
function stsHostname(region: string): string {
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}
