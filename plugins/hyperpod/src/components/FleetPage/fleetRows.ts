/**
 * The fleet table's rows: which clusters the filters keep and in what order. Pure, so the page
 * only renders.
 */
import { healthRank, type FleetSummaryCluster, type HealthState } from '@hyperpod/core';

export interface FleetFilters {
  account?: string;
  region?: string;
  owner?: string;
  health?: HealthState;
  /** Free text, matched case-insensitively anywhere in the cluster name. */
  text?: string;
}

export type FleetSortKey = 'name' | 'health' | 'region';
export type SortDirection = 'asc' | 'desc';

export interface FleetSort {
  key: FleetSortKey;
  direction: SortDirection;
}

export function filterClusters(
  clusters: readonly FleetSummaryCluster[],
  f: FleetFilters,
): FleetSummaryCluster[] {
  const text = f.text?.trim().toLowerCase();
  return clusters.filter(
    (c) =>
      (!f.account || c.accountId === f.account) &&
      (!f.region || c.region === f.region) &&
      (!f.owner || c.owner === f.owner) &&
      (!f.health || c.health === f.health) &&
      (!text || c.name.toLowerCase().includes(text)),
  );
}

const byName = (a: FleetSummaryCluster, b: FleetSummaryCluster) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

const COMPARE: Record<FleetSortKey, (a: FleetSummaryCluster, b: FleetSummaryCluster) => number> = {
  name: byName,
  health: (a, b) => healthRank(a.health) - healthRank(b.health),
  region: (a, b) => (a.region ?? '').localeCompare(b.region ?? ''),
};

/** Sorted by `sort`, ties by name (always ascending, so equal rows keep a readable order). */
export function sortClusters(
  clusters: readonly FleetSummaryCluster[],
  sort: FleetSort,
): FleetSummaryCluster[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...clusters].sort((a, b) => sign * COMPARE[sort.key](a, b) || byName(a, b));
}

/** The distinct values of one field, sorted, for a filter's options. */
export function distinctValues(
  clusters: readonly FleetSummaryCluster[],
  field: 'accountId' | 'region' | 'owner',
): string[] {
  const values = new Set<string>();
  for (const c of clusters) {
    const v = c[field];
    if (v) values.add(v);
  }
  return [...values].sort();
}
