/**
 * One health ladder for every add-on, Helm release and cluster. Ordered from best to worst; when
 * several signals disagree, the worst wins. Unknown is the worst: a state we could not read is
 * never reported as fine.
 */
export const HEALTH_LADDER = ['Healthy', 'Progressing', 'Degraded', 'Missing', 'Unknown'] as const;

export type HealthState = (typeof HEALTH_LADDER)[number];

export function healthRank(s: HealthState): number {
  return HEALTH_LADDER.indexOf(s);
}

/** The worst of some states; Healthy when there are none. */
export function worstHealth(states: Iterable<HealthState>): HealthState {
  let worst: HealthState = 'Healthy';
  for (const s of states) if (healthRank(s) > healthRank(worst)) worst = s;
  return worst;
}
