/**
 * One health state of the ladder as a chip: colour plus the word (never colour alone), with a
 * tooltip saying why.
 */
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import type { HealthState } from '@hyperpod/core';
import { HEALTH_COLOURS } from './statusColours';

export function HealthChip(props: { health: HealthState; reason?: string; size?: 'small' }) {
  const { health, reason } = props;
  const chip = (
    <Chip
      label={health}
      size={props.size ?? 'small'}
      style={HEALTH_COLOURS[health]}
      aria-label={`health ${health}${reason ? `: ${reason}` : ''}`}
    />
  );
  return reason ? <Tooltip title={reason}>{chip}</Tooltip> : chip;
}
