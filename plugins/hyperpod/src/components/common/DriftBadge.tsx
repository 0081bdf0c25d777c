/**
 * An add-on's version drift as a small labelled chip: the words say the status, the colour only
 * repeats it. Renders nothing without a drift status.
 */
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import type { VersionDriftStatus } from '@hyperpod/core';
import { DRIFT_COLOURS } from './statusColours';

const LABELS: Record<VersionDriftStatus, string> = {
  latest: 'latest',
  default: 'default',
  'behind-latest': 'behind latest',
  'behind-default': 'behind default',
  incompatible: 'incompatible',
};

const EXPLANATIONS: Record<VersionDriftStatus, string> = {
  latest: 'At the newest version offered for this Kubernetes version.',
  default: 'At the default version for this Kubernetes version; newer ones exist.',
  'behind-latest': 'Newer than the default version, older than the newest.',
  'behind-default': 'Older than the default version for this Kubernetes version: upgrade it.',
  incompatible: 'This version is not offered for the cluster’s Kubernetes version.',
};

export function driftLabel(drift: VersionDriftStatus): string {
  return LABELS[drift];
}

export function DriftBadge(props: {
  drift?: VersionDriftStatus;
  /** The newest compatible version, named in the tooltip. */
  latest?: string;
  /** Render only drift that calls for an upgrade (behind default, incompatible). */
  attentionOnly?: boolean;
}) {
  const { drift, latest } = props;
  if (!drift) return null;
  const style = DRIFT_COLOURS[drift];
  if (props.attentionOnly && !style) return null;
  const title = `${EXPLANATIONS[drift]}${latest ? ` Newest: ${latest}.` : ''}`;
  return (
    <Tooltip title={title}>
      <Chip
        label={LABELS[drift]}
        size="small"
        variant={style ? 'default' : 'outlined'}
        style={style}
        aria-label={`version drift: ${LABELS[drift]}${latest ? `, newest ${latest}` : ''}`}
      />
    </Tooltip>
  );
}
