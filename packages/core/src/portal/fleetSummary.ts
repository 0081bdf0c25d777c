/**
 * Scan reports → the fleet page's rows: the worst health, each add-on's version, drift and
 * install method, counted for the totals. Pure; the backend caches the result per scan.
 */
import { driftNeedsAction } from '../addons/addonDrift';
import { HEALTH_LADDER, type HealthState } from '../health/HealthState';
import { migrationCandidateProfile } from '../report/migrationCandidates';
import type { ClusterReport } from '../report/ClusterReport';
import {
  HYPERPOD_API_VERSION,
  type FleetSummary,
  type FleetSummaryCluster,
  type PortalCluster,
} from './contract';

export interface FleetSummaryInput {
  cluster: PortalCluster;
  report?: ClusterReport;
  openRequests?: number;
}

export function fleetSummary(inputs: readonly FleetSummaryInput[], now: Date): FleetSummary {
  const clusters: FleetSummaryCluster[] = inputs.map(({ cluster, report, openRequests }) => ({
    ...cluster,
    ...(report?.cluster.kubernetesVersion
      ? { kubernetesVersion: report.cluster.kubernetesVersion }
      : {}),
    health: report?.health ?? 'Unknown',
    addons: (report?.addons ?? []).map((a) => ({
      name: a.name,
      health: a.health,
      installedVia: a.installedVia,
      ...(a.addon?.version ? { version: a.addon.version } : {}),
      ...(a.drift ? { drift: a.drift.status } : {}),
      ...(a.drift?.latest ? { latest: a.drift.latest } : {}),
      migrationCandidate: a.migrationCandidate,
    })),
    errors: report?.errors.length ?? 0,
    ...(report ? { scannedAt: report.scannedAt } : {}),
    openRequests: openRequests ?? 0,
  }));
  clusters.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return {
    apiVersion: HYPERPOD_API_VERSION,
    generatedAt: now.toISOString(),
    clusters,
    totals: fleetTotals(clusters),
  };
}

/** The summary's counts over `clusters` (the whole fleet, or the part a user may see). */
export function fleetTotals(clusters: readonly FleetSummaryCluster[]): FleetSummary['totals'] {
  const byHealth = Object.fromEntries(HEALTH_LADDER.map((h) => [h, 0])) as Record<
    HealthState,
    number
  >;
  let migrationCandidates = 0;
  let behindDefault = 0;
  for (const c of clusters) {
    byHealth[c.health]++;
    for (const a of c.addons) {
      if (migrationCandidateProfile(a) !== undefined) migrationCandidates++;
      if (driftNeedsAction(a.drift)) behindDefault++;
    }
  }
  return { clusters: clusters.length, byHealth, migrationCandidates, behindDefault };
}

/** The portal's key for a cluster: its ARN when known, else `region/name`. */
export function portalClusterId(c: { name: string; arn?: string; region?: string }): string {
  return c.arn ?? `${c.region ?? 'unknown'}/${c.name}`;
}
