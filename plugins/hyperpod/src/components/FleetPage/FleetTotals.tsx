/**
 * The fleet's totals above the table: clusters by health, migration candidates (Helm installs
 * with an add-on to move to) and add-ons behind the default version or incompatible.
 */
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { HEALTH_LADDER, type FleetSummary } from '@hyperpod/core';
import type { ReactNode } from 'react';
import { HealthChip } from '../common/HealthChip';

const useStyles = makeStyles((theme) => ({
  total: { padding: theme.spacing(1.5, 2), height: '100%' },
}));

function Total(props: { label: string; value: number; caption: ReactNode }) {
  const classes = useStyles();
  return (
    <Grid item xs={6} sm={4} md={2}>
      <Paper
        variant="outlined"
        className={classes.total}
        role="group"
        aria-label={`${props.label}: ${props.value}`}
      >
        <Typography variant="h4" component="p">
          {props.value}
        </Typography>
        {props.caption}
      </Paper>
    </Grid>
  );
}

export function FleetTotals(props: { totals: FleetSummary['totals'] }) {
  const { totals } = props;
  return (
    <Grid container spacing={2} component="section" aria-label="Fleet totals">
      <Total
        label="Clusters"
        value={totals.clusters}
        caption={<Typography variant="body2">clusters</Typography>}
      />
      {HEALTH_LADDER.filter((h) => h === 'Healthy' || totals.byHealth[h] > 0).map((h) => (
        <Total
          key={h}
          label={`${h} clusters`}
          value={totals.byHealth[h]}
          caption={<HealthChip health={h} />}
        />
      ))}
      <Total
        label="Migration candidates"
        value={totals.migrationCandidates}
        caption={<Typography variant="body2">Helm installs to migrate</Typography>}
      />
      <Total
        label="Add-ons behind default"
        value={totals.behindDefault}
        caption={<Typography variant="body2">add-ons behind default or incompatible</Typography>}
      />
    </Grid>
  );
}
