/**
 * The least a fleet scan can do (issue 19's bound): the AWS calls it must make and the time the
 * rate limit of its busiest metered scope allows for them.
 */
import type { FleetCluster } from './fleet';

/** What the sandbox meters as one limit: an account, or an account and region (as AWS does). */
export type LimitScope = 'account' | 'account-region';

/** The pacing scope the sandbox meters (`rateLimitScope`), as the lower bound counts it. */
function limitScope(c: FleetCluster, scope: LimitScope): string {
  return scope === 'account-region' ? `${c.accountId}/${c.region}` : c.accountId;
}

export interface Minimum {
  perScope: Record<string, number>;
  issueTotal: number;
  ourTotal: number;
  absoluteTotal: number;
  /** The calls of the busiest metered scope. */
  worst: number;
  lowerBoundMs: number;
}

/**
 * The issue's minimum: per cluster DescribeCluster + ListAddons + one DescribeAddon per add-on,
 * plus DescribeAddonVersions once per (add-on, Kubernetes version). Our cache asks once per
 * add-on (all Kubernetes versions in one answer), so it needs fewer; one unfiltered call would
 * list the whole catalog. The bound uses our minimum, spread over the metered scopes (accounts,
 * or accounts and regions) as evenly as possible.
 */
export function minimum(
  fleet: FleetCluster[],
  addons: string[],
  scope: LimitScope,
  limit: { ratePerSecond: number; latencyMs: number },
): Minimum {
  const perScope: Record<string, number> = {};
  for (const c of fleet) {
    const k = limitScope(c, scope);
    perScope[k] = (perScope[k] ?? 0) + 2 + addons.length;
  }
  const keys = Object.keys(perScope).sort();
  addons.forEach((_, i) => {
    perScope[keys[i % keys.length]!]! += 1;
  });
  const perCluster = fleet.length * (2 + addons.length);
  const versions = new Set(fleet.map((c) => c.version)).size;
  const worst = Math.max(...Object.values(perScope));
  return {
    perScope,
    issueTotal: perCluster + addons.length * versions,
    ourTotal: perCluster + addons.length,
    absoluteTotal: perCluster + 1,
    worst,
    lowerBoundMs: (worst / limit.ratePerSecond) * 1000 + limit.latencyMs,
  };
}
