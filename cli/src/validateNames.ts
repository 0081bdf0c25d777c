/**
 * Input checks that run before any AWS or Kubernetes call, so a typo costs nothing and the error
 * names the fix instead of surfacing as an access error from far away.
 */
import { AWS_REGIONS, EKS_ADDON_NAME, UPGRADE_TARGET } from '@hyperpod/core';
import { CliError, configError, usageError } from './CliError';
import { closest } from './closest';
import { ExitCode } from './exitCodes';

export { AWS_REGIONS, closest };

/** What EKS accepts as a cluster name (CreateCluster's documented pattern). */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** `fixWith(value)` renders the user's command with the offending value replaced: the fix line. */
export type FixWith = (value: string) => string;

export function validateRegion(region: string, fixWith: FixWith): void {
  if (AWS_REGIONS.includes(region)) return;
  const guess = closest(region, AWS_REGIONS) ?? 'us-east-1';
  throw configError(`region "${region}" is not an AWS region`, fixWith(guess));
}

/**
 * A name EKS would refuse. The fix is the nearest cluster the user has (BaseCommand finds them in
 * the kubeconfig or fleet file), never the bad input "cleaned" into a name nobody has.
 */
export class InvalidClusterNameError extends CliError {
  constructor(
    readonly clusterName: string,
    readonly fixWith: FixWith,
  ) {
    super(
      ExitCode.Config,
      `"${clusterName}" is not a valid EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100 characters)`,
    );
  }

  /** The same error with the corrected command: the closest of `known`, else how to list them. */
  withKnown(known: readonly string[]): CliError {
    // Any known cluster is a better guess than the bad input: no distance limit.
    const guess = closest(this.clusterName, known, Infinity);
    return new CliError(
      this.exitCode,
      `${this.message}${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      guess ? this.fixWith(guess) : 'aws eks list-clusters',
    );
  }
}

export function validateClusterName(name: string, fixWith: FixWith): void {
  if (EKS_CLUSTER_NAME.test(name)) return;
  throw new InvalidClusterNameError(name, fixWith);
}

export function validateAddonName(name: string, fixWith: FixWith): void {
  if (EKS_ADDON_NAME.pattern.test(name)) return;
  const cleaned =
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'vpc-cni';
  throw configError(
    `"${name}" is not a valid EKS add-on name (lower-case letters, digits, -, _ and .)`,
    fixWith(cleaned),
  );
}

/** `--to` of an upgrade: required, and a version, `default` or `latest`. Returns it. */
export function validateUpgradeTarget(to: string | undefined, fixWith: FixWith): string {
  if (to === undefined)
    throw usageError(
      '--to is required: the version to upgrade to, `default` or `latest`',
      fixWith('latest'),
    );
  if (!UPGRADE_TARGET.pattern.test(to))
    throw usageError(
      `--to "${to}" is not an add-on version (e.g. v1.19.5-eksbuild.3, default or latest)`,
      fixWith('latest'),
    );
  return to;
}

/** kubectl-style durations: `30s`, `2m`, `1m30s`, `500ms`, or bare seconds. Returns milliseconds. */
export function parseDuration(text: string, fixWith: FixWith): number {
  const trimmed = text.trim();
  // Zero or less would give every call no time at all: always a mistake, never "no limit".
  if (/^-\s*\d/.test(trimmed) || /^[0.]+(ms|s|m|h)?$/.test(trimmed)) {
    throw usageError(
      `invalid duration "${text}": it must be more than zero (use e.g. 30s, 2m, 1m30s)`,
      fixWith('30s'),
    );
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== trimmed.length || total <= 0) {
    throw usageError(`invalid duration "${text}" (use e.g. 30s, 2m, 1m30s)`, fixWith('30s'));
  }
  return Math.round(total);
}
