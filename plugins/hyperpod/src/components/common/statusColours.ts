/**
 * The colours of health states and drift that calls for an upgrade, in one place: chips with
 * white words on them (at least 4.5:1, WCAG AA for text) and the fleet table's outlined chips,
 * whose border and icon use the same colour on white (at least 3:1 for a component). The words
 * always say the state; the colour only repeats it.
 */
import type { HealthState, VersionDriftStatus } from '@hyperpod/core';

export interface ChipColours {
  background: string;
  color: string;
}

const WHITE = '#ffffff';

export const HEALTH_COLOURS: Record<HealthState, ChipColours> = {
  Healthy: { background: '#1b5e20', color: WHITE },
  Progressing: { background: '#0d47a1', color: WHITE },
  Degraded: { background: '#b71c1c', color: WHITE },
  // Material's deep orange 900: the orange 900 used before gave white words 3.78:1.
  Missing: { background: '#bf360c', color: WHITE },
  Unknown: { background: '#424242', color: WHITE },
};

/** Only the drift that calls for an upgrade is coloured; the rest are outlined. */
export const DRIFT_COLOURS: Partial<Record<VersionDriftStatus, ChipColours>> = {
  'behind-default': { background: '#bf360c', color: WHITE },
  incompatible: { background: '#b71c1c', color: WHITE },
};
