/**
 * An override that matches nothing in the plan is a mistake, not a no-op: `--accept-drop
 * image.tagg` (a typo) would otherwise leave the real drop unaccepted or, worse, be read as "the
 * user accepted every loss". The CLI (exit 2) and the portal API (400) both refuse such a request
 * before anything starts, with this one rule.
 */
import type { MigrationPlan } from './MigrationPlan';

export interface PlanOverrideRequest {
  /** `--accept-drop` keys / the API's `acceptDrops`. */
  acceptDrops?: readonly string[];
  /** `--allow-release-status` / the API's `allowReleaseStatus`. */
  allowReleaseStatus?: readonly string[];
}

export interface UnmatchedOverride {
  flag: 'accept-drop' | 'allow-release-status';
  value: string;
  /** What is wrong, without the flag: `names no value this migration drops (...)`. */
  reason: string;
  /** As the CLI words it: `--accept-drop KEY <reason>`. */
  message: string;
}

/**
 * Every override that names nothing the plan would drop or block on. A plan without a source
 * release (nothing found to migrate) has nothing to match: its blockers say why, not this.
 */
export function unmatchedPlanOverrides(
  plan: MigrationPlan,
  request: PlanOverrideRequest,
): UnmatchedOverride[] {
  if (!plan.source.release) return [];
  const out: UnmatchedOverride[] = [];
  const dropped = plan.drops.map((d) => d.key);
  for (const key of new Set(request.acceptDrops ?? [])) {
    if (dropped.includes(key)) continue;
    const v = plan.values?.find((x) => x.key === key);
    const why = v
      ? v.disposition === 'mapped'
        ? `it is carried over to ${v.addonName ?? plan.target.addonName} ${v.target ?? ''}`.trimEnd()
        : `the add-on sets it itself`
      : `the release's values have no ${key}`;
    const reason = `names no value this migration drops (${why}); ${
      dropped.length ? `it drops: ${dropped.join(', ')}` : 'it drops none'
    }`;
    out.push({
      flag: 'accept-drop',
      value: key,
      reason,
      message: `--accept-drop ${key} ${reason}`,
    });
  }
  for (const status of new Set(request.allowReleaseStatus ?? [])) {
    if (status === plan.source.status) continue;
    const reason = `overrides nothing: Helm release ${plan.source.namespace}/${plan.source.release} is ${plan.source.status} (revision ${plan.source.revision})`;
    out.push({
      flag: 'allow-release-status',
      value: status,
      reason,
      message: `--allow-release-status ${status} ${reason}`,
    });
  }
  return out;
}
