/**
 * Which add-ons need someone's attention, and why, in words: shared by the fleet page, the
 * entity card and the cluster tab so they agree.
 */
import {
  driftNeedsAction,
  type HealthState,
  type InstallMethod,
  type VersionDriftStatus,
} from '@hyperpod/core';

/** What the rules read of an add-on (a FleetSummaryAddon, or an AddonReport with its drift status). */
export interface AddonAttentionInput {
  health: HealthState;
  installedVia: InstallMethod;
  drift?: VersionDriftStatus;
}

/** Why an add-on needs attention, worst first; empty when it does not. */
export function attentionReasons(a: AddonAttentionInput): string[] {
  const reasons: string[] = [];
  if (a.health !== 'Healthy') reasons.push(a.health);
  if (driftNeedsAction(a.drift)) {
    reasons.push(a.drift === 'incompatible' ? 'incompatible version' : 'behind default version');
  }
  if (a.installedVia === 'both') reasons.push('Helm and add-on both installed');
  else if (a.installedVia === 'helm') reasons.push('on Helm');
  return reasons;
}

export function needsAttention(a: AddonAttentionInput): boolean {
  return attentionReasons(a).length > 0;
}
