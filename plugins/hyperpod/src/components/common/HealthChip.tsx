/**
 * One health state of the ladder as a chip: colour plus the word (never colour alone), with a
 * tooltip saying why.
 */
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import type { HealthState } from '@hyperpod/core';

const COLOURS: Record<HealthState, { background: string; color: string }> = {
  Healthy: { background: '#1b5e20', color: '#ffffff' },
  Progressing: { background: '#0d47a1', color: '#ffffff' },
  Degraded: { background: '#b71c1c', color: '#ffffff' },
  Missing: { background: '#e65100', color: '#ffffff' },
  Unknown: { background: '#424242', color: '#ffffff' },
};

export function HealthChip(props: { health: HealthState; reason?: string; size?: 'small' }) {
  const { health, reason } = props;
  const chip = (
    <Chip
      label={health}
      size={props.size ?? 'small'}
      style={COLOURS[health]}
      aria-label={`health ${health}${reason ? `: ${reason}` : ''}`}
    />
  );
  return reason ? <Tooltip title={reason}>{chip}</Tooltip> : chip;
}
