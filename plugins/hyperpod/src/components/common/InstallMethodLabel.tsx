/**
 * How an add-on is installed, in words. `compact` is the fleet table's marker: only Helm installs
 * (the migration candidates) show one.
 */
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import type { InstallMethod } from '@hyperpod/core';

const LABELS: Record<InstallMethod, string> = {
  addon: 'EKS add-on',
  helm: 'Helm',
  both: 'Helm + add-on',
  none: 'not installed',
};

const EXPLANATIONS: Record<InstallMethod, string> = {
  addon: 'Installed as an EKS add-on: AWS manages its versions, dependencies and IAM.',
  helm: 'Installed by a Helm release: a candidate for migration to the EKS add-on.',
  both: 'A Helm release and the EKS add-on both install it and fight over the same objects: finish the migration.',
  none: 'Not installed on this cluster.',
};

export function installMethodLabel(method: InstallMethod): string {
  return LABELS[method];
}

export function InstallMethodLabel(props: { method: InstallMethod; compact?: boolean }) {
  const { method } = props;
  if (props.compact) {
    if (method !== 'helm' && method !== 'both') return null;
    return (
      <Tooltip title={EXPLANATIONS[method]}>
        <Chip
          label={method === 'both' ? 'Helm+add-on' : 'Helm'}
          size="small"
          variant="outlined"
          aria-label={`installed by ${LABELS[method]}: migration candidate`}
        />
      </Tooltip>
    );
  }
  return (
    <Tooltip title={EXPLANATIONS[method]}>
      <span>{LABELS[method]}</span>
    </Tooltip>
  );
}
