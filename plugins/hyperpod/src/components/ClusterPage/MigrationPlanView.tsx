/**
 * A migration plan as a reviewer reads it before anything runs: what moves where, what blocks it,
 * the Helm values that would be lost (each accepted with a checkbox), the dependencies, and every
 * step with every resource each action touches and how a rollback undoes it.
 */
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { MigrationPlan, PlannedDependency } from '@hyperpod/core';
import { actionResources, resourceText } from './labels';

const DEPENDENCY_ACTIONS: Record<PlannedDependency['action'], string> = {
  installed: 'already installed as an add-on',
  create: 'created',
  migrate: 'moved from Helm to its add-on',
  'keep-helm': 'left on Helm',
  external: 'installed some other way, left alone',
};

export function MigrationPlanView(props: {
  plan: MigrationPlan;
  /** Helm value keys the user accepts losing. */
  accepted: readonly string[];
  onToggleDrop: (key: string, accept: boolean) => void;
  /** While the plan is being recomputed or a run goes on. */
  disabled?: boolean;
}) {
  const { plan, accepted } = props;
  const s = plan.source;
  const actions = plan.steps.reduce((n, step) => n + step.actions.length, 0);
  return (
    <Box>
      <Typography variant="body2">
        Moves Helm release {s.namespace}/{s.release} (chart {s.chart} {s.chartVersion}, revision{' '}
        {s.revision}, {s.status}
        {s.chartPath.length > 1 ? `, as ${s.chartPath.join(' → ')}` : ''}) to EKS add-on{' '}
        <strong>
          {plan.target.addonName} {plan.target.addonVersion}
        </strong>{' '}
        on {plan.cluster.name} (Kubernetes {plan.cluster.kubernetesVersion}).
      </Typography>
      <Typography variant="body2">
        {plan.target.configurationValid
          ? "The configuration derived from the Helm values is valid for the add-on's schema."
          : "The configuration derived from the Helm values is NOT valid for the add-on's schema."}
        {plan.target.serviceAccountRoleArn
          ? ` Service account role: ${plan.target.serviceAccountRoleArn}.`
          : ''}
      </Typography>

      {plan.blockers.length > 0 ? (
        <Alert severity="error" role="alert">
          <AlertTitle>
            The plan cannot run: {plan.blockers.length} blocker
            {plan.blockers.length === 1 ? '' : 's'}
          </AlertTitle>
          <ul>
            {plan.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </Alert>
      ) : (
        <Alert severity="success" role="status">
          Nothing blocks this plan.
        </Alert>
      )}
      {plan.warnings.length > 0 && (
        <Alert severity="warning" role="status">
          <AlertTitle>Warnings</AlertTitle>
          <ul>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Alert>
      )}

      {plan.drops.length > 0 && (
        <Box mt={2}>
          <FormControl component="fieldset" disabled={props.disabled}>
            <FormLabel component="legend">
              Helm values the add-on has no place for ({plan.drops.length})
            </FormLabel>
            <FormHelperText>
              Each is lost by the migration. Map it by hand, or accept losing it.
            </FormHelperText>
            <FormGroup>
              {plan.drops.map((d) => (
                <FormControlLabel
                  key={d.key}
                  control={
                    <Checkbox
                      checked={accepted.includes(d.key)}
                      onChange={(e) => props.onToggleDrop(d.key, e.target.checked)}
                      name={d.key}
                    />
                  }
                  label={`Accept losing ${d.key}: ${d.reason}${d.acknowledged ? ' (accepted)' : ''}`}
                />
              ))}
            </FormGroup>
          </FormControl>
        </Box>
      )}

      {plan.dependencies.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h4">
            Dependencies
          </Typography>
          <ul>
            {plan.dependencies.map((d) => (
              <li key={d.addonName}>
                <Typography variant="body2">
                  {d.addonName} (at least {d.minVersion}): {DEPENDENCY_ACTIONS[d.action]}
                  {d.addonVersion ? `, version ${d.addonVersion}` : ''}
                  {d.note ? ` (${d.note})` : ''}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}

      <Box mt={2}>
        <Typography variant="subtitle2" component="h4">
          Steps ({plan.steps.length} steps, {actions} actions)
        </Typography>
        <ol aria-label="Migration steps">
          {plan.steps.map((step) => (
            <li key={step.id}>
              <Typography variant="body1" component="h5">
                {step.title}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {step.description}
              </Typography>
              <ul aria-label={`Actions of ${step.title}`}>
                {step.actions.map((a) => (
                  <li key={a.id}>
                    <Typography variant="body2">{a.summary}</Typography>
                    <Typography variant="body2" color="textSecondary" component="div">
                      Touches:
                      <ul>
                        {actionResources(a).map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    </Typography>
                    <Typography variant="body2" color="textSecondary">
                      Undo: {a.inverse}
                    </Typography>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </Box>

      {plan.reads.length > 0 && (
        <details>
          <summary>
            <Typography variant="body2" component="span">
              Reads {plan.reads.length} resources first (discovery and checks, no change)
            </Typography>
          </summary>
          <ul>
            {plan.reads.map((r, i) => (
              <li key={i}>
                <Typography variant="body2">{resourceText(r)}</Typography>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Box>
  );
}
