/** Names a migration reads out of Helm values: a bucket, a role, the HyperPod cluster's short id. */
import type { HelmValues } from '../helm/HelmRelease';
import { getPath } from './manifest';

export function s3BucketName(value: string): string {
  return value.replace(/^s3:\/\//, '').split('/')[0]!;
}

export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function hyperpodId8(values: HelmValues): string | undefined {
  const arn = getPath(values, 'hyperpodClusterArn');
  if (typeof arn !== 'string' || !arn.includes('cluster/')) return undefined;
  return arn.slice(arn.lastIndexOf('/') + 1).slice(0, 8);
}

/** The values under `path` (a sub-chart's own values), or none. */
export function valuesAt(values: HelmValues, path: string[]): HelmValues {
  let cur: unknown = values;
  for (const k of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as HelmValues) : {};
}
