/**
 * Reads and checks the `hyperpod:` block of app-config (schema in config.d.ts). A bad block stops
 * the backend at start with the key that is wrong, rather than failing on the first request.
 */
import type { Config } from '@backstage/config';
import type { ApprovalPolicy, ClusterTarget } from '@hyperpod/core';
import { DEFAULT_APPROVAL_POLICY, isAwsRegion } from '@hyperpod/core';

export interface DiscoverSource {
  accountId?: string;
  roleArn?: string;
  profile?: string;
  regions: string[];
  owner?: string;
}

export interface HyperpodConfig {
  clusters: ClusterTarget[];
  discover: DiscoverSource[];
  kubeconfig?: string;
  awsEndpoint?: string;
  requestTimeoutMs: number;
  scan: {
    frequencyMs: number;
    concurrency: number;
    timeoutMs: number;
    /** EKS requests per second per account and region, fixed; undefined = learned and shared. */
    rateLimit?: number;
  };
  approval: ApprovalPolicy;
  /** Limits on on-demand scans (RefreshThrottle). */
  refresh: { clusterIntervalMs: number; fleetIntervalMs: number; userClusterLimit: number };
  executor: {
    /** False on replicas that only serve the API: they never run upgrades. */
    enabled: boolean;
    pollMs: number;
    upgradePollMs: number;
    staleAfterMs: number;
    degradedGraceMs: number;
    upgradeTimeoutMs: number;
  };
}

const NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const ACCOUNT = /^\d{12}$/;
const ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const ENTITY_REF = /^[a-z]+:[\w.-]+\/[\w.-]+$/i;

export class HyperpodConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`app-config ${key}: ${problem}`);
    this.name = 'HyperpodConfigError';
  }
}

function check(ok: boolean, key: string, problem: string): void {
  if (!ok) throw new HyperpodConfigError(key, problem);
}

function duration(c: Config | undefined, fallbackMs: number): number {
  if (!c) return fallbackMs;
  const ms =
    (c.getOptionalNumber('hours') ?? 0) * 3_600_000 +
    (c.getOptionalNumber('minutes') ?? 0) * 60_000 +
    (c.getOptionalNumber('seconds') ?? 0) * 1_000;
  return ms > 0 ? ms : fallbackMs;
}

function positive(c: Config | undefined, key: string, fallback: number, prefix: string): number {
  const v = c?.getOptionalNumber(key);
  if (v === undefined) return fallback;
  check(Number.isFinite(v) && v > 0, `${prefix}.${key}`, `must be a positive number, not ${v}`);
  return v;
}

export function readHyperpodConfig(root: Config): HyperpodConfig {
  const c = root.getOptionalConfig('hyperpod');
  const fleet = c?.getOptionalConfig('fleet');
  const clusters: ClusterTarget[] = (fleet?.getOptionalConfigArray('clusters') ?? []).map(
    (e, i) => {
      const key = `hyperpod.fleet.clusters[${i}]`;
      const name = e.getString('name');
      const region = e.getString('region');
      check(NAME.test(name), `${key}.name`, `"${name}" is not an EKS cluster name`);
      check(isAwsRegion(region), `${key}.region`, `"${region}" is not an AWS region`);
      const accountId = e.getOptionalString('accountId');
      if (accountId !== undefined)
        check(ACCOUNT.test(accountId), `${key}.accountId`, 'must be 12 digits');
      const roleArn = e.getOptionalString('roleArn');
      if (roleArn !== undefined) check(ROLE.test(roleArn), `${key}.roleArn`, 'not an IAM role ARN');
      const owner = e.getOptionalString('owner');
      if (owner !== undefined)
        check(
          ENTITY_REF.test(owner),
          `${key}.owner`,
          'must be an entity ref like group:default/ml-platform',
        );
      const labels = (e.getOptional<Record<string, string>>('labels') ?? {}) as Record<
        string,
        string
      >;
      const profile = e.getOptionalString('profile');
      const context = e.getOptionalString('context');
      return {
        name,
        region,
        ...(accountId ? { accountId } : {}),
        ...(roleArn ? { roleArn } : {}),
        ...(profile ? { profile } : {}),
        ...(context ? { context } : {}),
        labels: { ...labels, ...(owner ? { owner } : {}) },
      };
    },
  );
  const seen = new Set<string>();
  for (const t of clusters) {
    const k = `${t.accountId ?? t.profile ?? ''}/${t.region}/${t.name}`;
    check(!seen.has(k), 'hyperpod.fleet.clusters', `${t.name} in ${t.region} is listed twice`);
    seen.add(k);
  }
  const discover: DiscoverSource[] = (fleet?.getOptionalConfigArray('discover') ?? []).map(
    (e, i) => {
      const key = `hyperpod.fleet.discover[${i}]`;
      const regions = e.getStringArray('regions');
      for (const r of regions)
        check(isAwsRegion(r), `${key}.regions`, `"${r}" is not an AWS region`);
      const accountId = e.getOptionalString('accountId');
      const roleArn = e.getOptionalString('roleArn');
      const profile = e.getOptionalString('profile');
      const owner = e.getOptionalString('owner');
      return {
        regions,
        ...(accountId ? { accountId } : {}),
        ...(roleArn ? { roleArn } : {}),
        ...(profile ? { profile } : {}),
        ...(owner ? { owner } : {}),
      };
    },
  );
  const scan = c?.getOptionalConfig('scan');
  const ex = c?.getOptionalConfig('executor');
  const refresh = c?.getOptionalConfig('refresh');
  const aws = c?.getOptionalConfig('aws');
  const kubeconfig = c?.getOptionalString('kubeconfig');
  const awsEndpoint = aws?.getOptionalString('endpoint');
  return {
    clusters,
    discover,
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(awsEndpoint ? { awsEndpoint } : {}),
    requestTimeoutMs: positive(aws, 'requestTimeoutMs', 30_000, 'hyperpod.aws'),
    scan: {
      frequencyMs: duration(scan?.getOptionalConfig('frequency'), 10 * 60_000),
      concurrency: positive(scan, 'concurrency', 64, 'hyperpod.scan'),
      timeoutMs: positive(scan, 'timeoutMs', 60_000, 'hyperpod.scan'),
      ...(scan?.has('rateLimit')
        ? { rateLimit: positive(scan, 'rateLimit', 0, 'hyperpod.scan') }
        : {}),
    },
    approval: {
      allowSelfApproval:
        c?.getOptionalBoolean('approval.allowSelfApproval') ??
        DEFAULT_APPROVAL_POLICY.allowSelfApproval,
    },
    refresh: {
      clusterIntervalMs: positive(refresh, 'clusterIntervalMs', 30_000, 'hyperpod.refresh'),
      fleetIntervalMs: positive(refresh, 'fleetIntervalMs', 5 * 60_000, 'hyperpod.refresh'),
      userClusterLimit: positive(refresh, 'userClusterLimit', 20, 'hyperpod.refresh'),
    },
    executor: {
      enabled: ex?.getOptionalBoolean('enabled') ?? true,
      pollMs: positive(ex, 'pollMs', 10_000, 'hyperpod.executor'),
      upgradePollMs: positive(ex, 'upgradePollMs', 5_000, 'hyperpod.executor'),
      staleAfterMs: positive(ex, 'staleAfterMs', 120_000, 'hyperpod.executor'),
      degradedGraceMs: positive(ex, 'degradedGraceMs', 120_000, 'hyperpod.executor'),
      upgradeTimeoutMs: positive(ex, 'upgradeTimeoutMs', 20 * 60_000, 'hyperpod.executor'),
    },
  };
}
