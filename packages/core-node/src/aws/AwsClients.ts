/**
 * Builds the AWS gateways for one (account, region, role): SDK clients made once and shared, on
 * first use only (so a CLI command pays for the SDKs it touches, not all seven), with adaptive
 * retry, a request timeout, an optional endpoint override (the sandbox) and optional AssumeRole.
 *
 * Credentials: given ones, else the SDK's default chain (environment, SSO, `profile` from the
 * shared config files, web identity, container and instance metadata). With `roleArn`, those are
 * the base credentials used to call STS AssumeRole; the temporary credentials are cached per
 * (base, role) and refreshed shortly before they expire.
 */
import type {
  AcmGateway,
  EksGateway,
  Elbv2Gateway,
  IamGateway,
  S3Gateway,
  SageMakerGateway,
  StsGateway,
  TemporaryCredentials,
} from '@hyperpod/core';
import { AwsSdkAcmGateway } from './AwsSdkAcmGateway';
import { AwsSdkEksGateway } from './AwsSdkEksGateway';
import { AwsSdkElbv2Gateway } from './AwsSdkElbv2Gateway';
import { AwsSdkIamGateway } from './AwsSdkIamGateway';
import { AwsSdkS3Gateway } from './AwsSdkS3Gateway';
import { AwsSdkSageMakerGateway } from './AwsSdkSageMakerGateway';
import { AwsSdkStsGateway } from './AwsSdkStsGateway';
import { lazyClient } from './lazyClient';

/** Structurally the SDK's AwsCredentialIdentity (declared here so core-node needs no @aws-sdk/types). */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;
export type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AwsGatewayOptions {
  region: string;
  /** The account these gateways are expected to speak for (labels, cache key); not checked. */
  accountId?: string;
  /** A named profile of ~/.aws/config (the SDK's default chain otherwise). */
  profile?: string;
  /** Assume this role with the base credentials and use its temporary credentials. */
  roleArn?: string;
  roleSessionName?: string;
  externalId?: string;
  /** Base credentials; the default chain when absent. */
  credentials?: AwsCredentials;
  /** Endpoint for every service (the sandbox). The SDK also honours AWS_ENDPOINT_URL(_<SERVICE>). */
  endpoint?: string;
  /** Attempts per call including the first (adaptive retry). Default 3. */
  maxAttempts?: number;
  /** Milliseconds an answer may take before the call fails with Timeout. Default 30000. */
  requestTimeoutMs?: number;
  /**
   * `adaptive` (default) also slows the client down after throttling (a client-side token
   * bucket); `standard` only backs off between attempts, for callers that pace themselves.
   */
  retryMode?: 'adaptive' | 'standard';
}

export interface AwsGateways {
  readonly region: string;
  readonly accountId?: string;
  readonly eks: EksGateway;
  readonly iam: IamGateway;
  readonly s3: S3Gateway;
  readonly elbv2: Elbv2Gateway;
  readonly acm: AcmGateway;
  readonly sagemaker: SageMakerGateway;
  readonly sts: StsGateway;
}

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Gateways for one account and region; prefer one `AwsClients` per process to share clients. */
export function createAwsGateways(opts: AwsGatewayOptions): AwsGateways {
  return new AwsClients().gateways(opts);
}

/** A cache of gateways (and their SDK clients and assumed-role credentials) for a process. */
export class AwsClients {
  private readonly byKey = new Map<string, AwsGateways>();
  private readonly assumed = new Map<string, AwsCredentialIdentityProvider>();
  private readonly eksClients = new Map<string, () => Promise<unknown>>();

  constructor(private readonly defaults: Partial<AwsGatewayOptions> = {}) {}

  gateways(options: AwsGatewayOptions): AwsGateways {
    const opts = this.withDefaults(options);
    const key = cacheKey(opts);
    let g = this.byKey.get(key);
    if (!g) {
      g = this.build(opts, key);
      this.byKey.set(key, g);
    }
    return g;
  }

  /**
   * Loads the EKS SDK and builds the EKS client of these gateways without calling AWS, so a
   * caller can do it while it waits on something else (a kubeconfig exec plugin). The first
   * call pays for it otherwise; a failure here is left for that call to report.
   */
  async prepareEks(options: AwsGatewayOptions): Promise<void> {
    this.gateways(options);
    await this.eksClients
      .get(cacheKey(this.withDefaults(options)))?.()
      .catch(() => undefined);
  }

  /** Forgets every cached client and credential (e.g. after the user logs in again). */
  clear(): void {
    this.byKey.clear();
    this.eksClients.clear();
    this.assumed.clear();
  }

  private withDefaults(options: AwsGatewayOptions): AwsGatewayOptions {
    return { ...this.defaults, ...stripUndefined(options), region: options.region };
  }

  private build(opts: AwsGatewayOptions, key: string): AwsGateways {
    const region = opts.region;
    const base = baseClientConfig(opts);
    const credentials = opts.roleArn ? this.assumedRoleCredentials(opts, base) : opts.credentials;
    const config = { ...base, ...(credentials ? { credentials } : {}) };
    const s3Config = { ...config, ...(pathStyleEndpoint(opts) ? { forcePathStyle: true } : {}) };
    const info = { region, accountId: opts.accountId };
    const eks = lazyClient(async () =>
      unlogged(new (await import('@aws-sdk/client-eks')).EKSClient(config)),
    );
    this.eksClients.set(key, eks);
    return {
      region,
      accountId: opts.accountId,
      eks: new AwsSdkEksGateway(eks, info),
      iam: new AwsSdkIamGateway(
        async () => unlogged(new (await import('@aws-sdk/client-iam')).IAMClient(config)),
        info,
      ),
      s3: new AwsSdkS3Gateway(
        async () => unlogged(new (await import('@aws-sdk/client-s3')).S3Client(s3Config)),
        info,
      ),
      elbv2: new AwsSdkElbv2Gateway(
        async () =>
          unlogged(
            new (
              await import('@aws-sdk/client-elastic-load-balancing-v2')
            ).ElasticLoadBalancingV2Client(config),
          ),
        info,
      ),
      acm: new AwsSdkAcmGateway(
        async () => unlogged(new (await import('@aws-sdk/client-acm')).ACMClient(config)),
        info,
      ),
      sagemaker: new AwsSdkSageMakerGateway(
        async () =>
          unlogged(new (await import('@aws-sdk/client-sagemaker')).SageMakerClient(config)),
        info,
      ),
      sts: new AwsSdkStsGateway(async () =>
        unlogged(new (await import('@aws-sdk/client-sts')).STSClient(config)),
      ),
    };
  }

  /** One provider per (base identity, role): regions share the role's session. */
  private assumedRoleCredentials(
    opts: AwsGatewayOptions,
    base: BaseClientConfig,
  ): AwsCredentialIdentityProvider {
    const key = JSON.stringify([
      opts.profile ?? '',
      credentialKey(opts.credentials),
      opts.endpoint ?? '',
      opts.roleArn,
      opts.externalId ?? '',
      opts.roleSessionName ?? '',
    ]);
    let provider = this.assumed.get(key);
    if (!provider) {
      const sts = new AwsSdkStsGateway(async () =>
        unlogged(
          new (await import('@aws-sdk/client-sts')).STSClient({
            ...base,
            ...(opts.credentials ? { credentials: opts.credentials } : {}),
          }),
        ),
      );
      provider = assumeRoleProvider(sts, {
        roleArn: opts.roleArn!,
        sessionName: opts.roleSessionName ?? 'kubectl-hyperpod',
        externalId: opts.externalId,
      });
      this.assumed.set(key, provider);
    }
    return provider;
  }
}

/**
 * A credential provider that assumes a role and keeps its credentials until shortly before they
 * expire; concurrent callers share one AssumeRole call.
 */
export function assumeRoleProvider(
  sts: StsGateway,
  input: { roleArn: string; sessionName: string; externalId?: string; durationSeconds?: number },
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: TemporaryCredentials | undefined;
  let inflight: Promise<TemporaryCredentials> | undefined;
  return async () => {
    if (!current || Date.parse(current.expiration) - REFRESH_MARGIN_MS <= now()) {
      inflight ??= sts
        .assumeRole(input)
        .then((r) => r.credentials)
        .finally(() => {
          inflight = undefined;
        });
      current = await inflight;
    }
    return {
      accessKeyId: current.accessKeyId,
      secretAccessKey: current.secretAccessKey,
      sessionToken: current.sessionToken,
      expiration: new Date(current.expiration),
    };
  };
}

interface BaseClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'adaptive' | 'standard';
  requestHandler: {
    requestTimeout: number;
    connectionTimeout: number;
    throwOnRequestTimeout: boolean;
  };
  endpoint?: string;
  profile?: string;
}

/**
 * An SDK client without its logger middleware. Even with the default NoOpLogger, that middleware
 * walks every response through the operation's schema to mask sensitive fields for a log line
 * nobody writes: ~8 ms of a one-cluster `status` (DescribeAddonVersions answers are large). Neither
 * the CLI nor the backend logs SDK calls; errors still reach the caller whole.
 */
export function unlogged<C extends { middlewareStack: { remove(name: string): boolean } }>(
  client: C,
): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

function baseClientConfig(opts: AwsGatewayOptions): BaseClientConfig {
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    region: opts.region,
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: opts.retryMode ?? 'adaptive',
    // The SDK builds its NodeHttpHandler from these options, so no direct dependency on it. Without
    // throwOnRequestTimeout it only logs a warning and keeps waiting.
    requestHandler: {
      requestTimeout,
      connectionTimeout: Math.min(requestTimeout, 10_000),
      throwOnRequestTimeout: true,
    },
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
  };
}

/** A custom endpoint (sandbox, LocalStack, a VPC endpoint URL) serves buckets by path. */
function pathStyleEndpoint(opts: AwsGatewayOptions): boolean {
  return Boolean(
    opts.endpoint ?? process.env['AWS_ENDPOINT_URL_S3'] ?? process.env['AWS_ENDPOINT_URL'],
  );
}

function cacheKey(opts: AwsGatewayOptions): string {
  return JSON.stringify([
    opts.accountId ?? '',
    opts.region,
    opts.roleArn ?? '',
    opts.profile ?? '',
    opts.endpoint ?? '',
    credentialKey(opts.credentials),
    opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    opts.retryMode ?? 'adaptive',
  ]);
}

const providerIds = new WeakMap<object, number>();
let nextProviderId = 1;

/** Static keys by access key id; providers by identity (never the secret in a cache key). */
function credentialKey(c: AwsCredentials | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'function') {
    let id = providerIds.get(c);
    if (id === undefined) {
      id = nextProviderId++;
      providerIds.set(c, id);
    }
    return `provider:${id}`;
  }
  return `static:${c.accessKeyId}:${c.sessionToken ? 'session' : 'long'}:${hashOf(c.secretAccessKey)}`;
}

/** A short non-cryptographic digest, so two keys with one id but different secrets do not share a client. */
function hashOf(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
