/**
 * Which add-ons need someone's attention, and why, in words: shared by the fleet page, the
 * entity card and the cluster tab so they agree.
 */
import type { HealthState, InstallMethod, VersionDriftStatus } from '@hyperpod/core';

/** What the rules read of an add-on (a FleetSummaryAddon, or an AddonReport with its drift status). */
export interface AddonAttentionInput {
  health: HealthState;
  installedVia: InstallMethod;
  drift?: VersionDriftStatus;
}

/** Drift that calls for an upgrade: older than the default, or not offered for the cluster's Kubernetes. */
export function isDriftBehind(drift: VersionDriftStatus | undefined): boolean {
  return drift === 'behind-default' || drift === 'incompatible';
}

/** Installed by a Helm release (alone or fighting an add-on): a migration candidate. */
export function isOnHelm(installedVia: InstallMethod): boolean {
  return installedVia === 'helm' || installedVia === 'both';
}

/** Why an add-on needs attention, worst first; empty when it does not. */
export function attentionReasons(a: AddonAttentionInput): string[] {
  const reasons: string[] = [];
  if (a.health !== 'Healthy') reasons.push(a.health);
  if (a.drift === 'incompatible') reasons.push('incompatible version');
  if (a.drift === 'behind-default') reasons.push('behind default version');
  if (a.installedVia === 'both') reasons.push('Helm and add-on both installed');
  else if (a.installedVia === 'helm') reasons.push('on Helm');
  return reasons;
}

export function needsAttention(a: AddonAttentionInput): boolean {
  return attentionReasons(a).length > 0;
}
