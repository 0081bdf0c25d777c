/**
 * A cluster's add-ons in one table cell: per add-on a compact chip (health icon and colour plus
 * the name), a drift badge when it is behind the default or incompatible, and a Helm marker on
 * migration candidates. Every signal is also in words for screen readers. The summary shows on
 * hover as the chip's native title: the chips are not focusable, so MUI's Tooltip would give
 * keyboard users nothing more and cost a component per chip (25 rows x every add-on).
 */
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircle from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import Help from '@material-ui/icons/Help';
import RemoveCircle from '@material-ui/icons/RemoveCircle';
import Sync from '@material-ui/icons/Sync';
import type { FleetSummaryAddon, HealthState } from '@hyperpod/core';
import { attentionReasons } from '../common/addonAttention';
import { DriftBadge } from '../common/DriftBadge';
import { HEALTH_COLOURS } from '../common/statusColours';
import { InstallMethodLabel } from '../common/InstallMethodLabel';

const HEALTH_ICONS: Record<HealthState, typeof CheckCircle> = {
  Healthy: CheckCircle,
  Progressing: Sync,
  Degraded: ErrorIcon,
  Missing: RemoveCircle,
  Unknown: Help,
};

const useStyles = makeStyles((theme) => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
  // The badges may go under their chip when the column is narrow, so the column is as narrow as
  // its widest chip.
  item: {
    display: 'inline-flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.25),
  },
  // Read by screen readers that ignore aria-label on the chip's plain element.
  srOnly: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

function addonSummary(a: FleetSummaryAddon): string {
  const version = a.version ? ` ${a.version}` : '';
  const latest = a.latest && a.latest !== a.version ? `, newest ${a.latest}` : '';
  const reasons = attentionReasons(a);
  return `${a.name}${version}: ${a.health}${reasons
    .filter((r) => r !== a.health)
    .map((r) => `, ${r}`)
    .join('')}${latest}`;
}

export function AddonChips(props: { clusterName: string; addons: readonly FleetSummaryAddon[] }) {
  const classes = useStyles();
  if (props.addons.length === 0) return <span>&lt;none&gt;</span>;
  return (
    <ul className={classes.list} aria-label={`add-ons of ${props.clusterName}`}>
      {props.addons.map((a) => {
        const Icon = HEALTH_ICONS[a.health];
        const color = HEALTH_COLOURS[a.health].background;
        const summary = addonSummary(a);
        return (
          <li key={a.name} className={classes.item}>
            <Chip
              size="small"
              variant="outlined"
              icon={<Icon style={{ color }} />}
              label={
                <>
                  {a.name}
                  <span className={classes.srOnly}>{summary.slice(a.name.length)}</span>
                </>
              }
              style={{ borderColor: color }}
              aria-label={summary}
              title={summary}
            />
            <DriftBadge drift={a.drift} latest={a.latest} attentionOnly />
            <InstallMethodLabel method={a.installedVia} compact />
          </li>
        );
      })}
    </ul>
  );
}
