/**
 * The one thing to do about an add-on that is not Healthy: what a table row shows (the FIX
 * column of `status -o wide`) when the report holds several issues and findings.
 */
import { healthRank } from '../health/HealthState';
import type { AddonReport } from './ClusterReport';

/**
 * The fix of the worst of the add-on's EKS health issues and findings (EKS's own issues first
 * among equals: they are what made the add-on unhealthy); undefined for a Healthy add-on or one
 * nothing can be suggested for.
 */
export function topFix(a: AddonReport): string | undefined {
  if (a.health === 'Healthy') return undefined;
  const candidates = [
    ...(a.addon?.issues ?? []).map((i) => ({ rank: healthRank('Degraded'), fix: i.fix })),
    ...a.findings.map((f) => ({ rank: healthRank(f.health), fix: f.fix })),
  ].filter((c): c is { rank: number; fix: string } => typeof c.fix === 'string' && c.fix !== '');
  // A stable sort keeps the report's order among findings of the same health.
  return candidates.sort((x, y) => y.rank - x.rank)[0]?.fix;
}
