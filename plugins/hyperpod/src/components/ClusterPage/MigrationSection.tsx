/**
 * Helm-to-add-on migration for the add-ons the report shows installed by Helm: preview the plan
 * (nothing changes), accept the Helm values that would be lost, start it once nothing blocks it,
 * follow it, roll it back. Needs `hyperpod.migration.run` on the cluster; without it the actions
 * are disabled and say why. The cluster's past runs are listed (so a reload or a new tab can still
 * follow or roll one back), the active one followed. Renders nothing for a cluster without a Helm
 * install to migrate and without runs.
 */
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  hyperpodMigrationRunPermission,
  migrationCandidates,
  type AddonReport,
  type ClusterReport,
  type MigrationPlan,
  type MigrationRunItem,
} from '@hyperpod/core';
import { useRef, useState } from 'react';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './Loading';
import { MigrationPlanView } from './MigrationPlanView';
import { MigrationProgress } from './MigrationProgress';
import { JOURNAL_LABELS } from './labels';
import { Timestamp } from '../common/Timestamp';

const DENIED =
  'You may not run migrations on this cluster (permission hyperpod.migration.run). Ask its owners.';

/** A button that is disabled for a reason, with the reason as its tooltip. */
function ReasonedButton(props: {
  label: string;
  reason?: string;
  disabled: boolean;
  onClick: () => void;
  primary?: boolean;
}) {
  const button = (
    <Button
      variant={props.primary ? 'contained' : 'outlined'}
      color={props.primary ? 'primary' : 'default'}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  );
  if (!props.disabled || !props.reason) return button;
  return (
    <Tooltip title={props.reason}>
      {/* A disabled button gets no pointer events: the span carries the tooltip. */}
      <span tabIndex={0} aria-label={`${props.label}: ${props.reason}`}>
        {button}
      </span>
    </Tooltip>
  );
}

function MigrationPanel(props: {
  clusterId: string;
  addon: AddonReport;
  profile: string;
  allowed: boolean;
  pollIntervalMs?: number;
  onRunEnded?: () => void;
}) {
  const { clusterId, addon, profile, allowed } = props;
  const api = useApi(hyperpodApiRef);
  const [plan, setPlan] = useState<MigrationPlan>();
  const [planning, setPlanning] = useState(false);
  const [planError, setPlanError] = useState<unknown>();
  const [accepted, setAccepted] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>();
  const [runId, setRunId] = useState<string>();
  /** Only the answer to the newest preview counts (checkboxes can be clicked faster than plans come). */
  const latest = useRef(0);

  const preview = async (acceptDrops: string[]) => {
    const seq = ++latest.current;
    setPlanning(true);
    setPlanError(undefined);
    try {
      const next = await api.planMigration(clusterId, { profile, acceptDrops });
      if (seq === latest.current) setPlan(next);
    } catch (e) {
      if (seq === latest.current) setPlanError(e);
    } finally {
      if (seq === latest.current) setPlanning(false);
    }
  };

  const toggleDrop = (key: string, accept: boolean) => {
    const next = accept ? [...new Set([...accepted, key])] : accepted.filter((k) => k !== key);
    setAccepted(next);
    // The blockers depend on what is accepted: the backend says again.
    void preview(next);
  };

  const start = async () => {
    if (!plan) return;
    setConfirming(false);
    setStarting(true);
    setStartError(undefined);
    try {
      const started = await api.startMigration(clusterId, {
        profile,
        // The version previewed, not whatever the default is by the time it starts.
        addonVersion: plan.target.addonVersion,
        acceptDrops: accepted,
      });
      setRunId(started.runId);
    } catch (e) {
      setStartError(e);
    } finally {
      setStarting(false);
    }
  };

  const startBlocked = !allowed
    ? DENIED
    : !plan
      ? 'Preview the plan first.'
      : planning
        ? 'The plan is being updated.'
        : plan.blockers.length > 0
          ? `The plan has ${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}: resolve ${plan.blockers.length === 1 ? 'it' : 'them'} first.`
          : undefined;

  const h = addon.helm;
  return (
    <Box mb={3} component="section" aria-label={`Migrate ${addon.name}`}>
      <Typography variant="h6" component="h3">
        {addon.name}: Helm → EKS add-on
      </Typography>
      <Typography variant="body2">
        {h
          ? `Installed by Helm release ${h.namespace}/${h.release} (chart ${h.chart} ${h.chartVersion}, ${h.status}). `
          : 'Installed by Helm. '}
        {addon.migrationTarget
          ? `A migration installs add-on version ${addon.migrationTarget.addonVersion}.`
          : ''}
      </Typography>
      {!allowed && (
        <Typography variant="body2" color="textSecondary">
          {DENIED}
        </Typography>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} my={1}>
        <ReasonedButton
          label={plan ? 'Preview the plan again' : 'Preview plan'}
          reason={allowed ? undefined : DENIED}
          disabled={!allowed || planning || starting || runId !== undefined}
          onClick={() => void preview(accepted)}
        />
        <ReasonedButton
          label={starting ? 'Starting…' : 'Start migration'}
          reason={runId ? 'The migration has started.' : startBlocked}
          disabled={startBlocked !== undefined || starting || runId !== undefined}
          onClick={() => setConfirming(true)}
          primary
        />
      </Box>
      {planning && <Loading label={`Planning the migration of ${addon.name}…`} />}
      {planError !== undefined && (
        <ErrorAlert title="Could not plan the migration" error={planError} />
      )}
      {startError !== undefined && (
        <ErrorAlert title="The migration did not start" error={startError} />
      )}
      {plan && !runId && (
        <MigrationPlanView
          plan={plan}
          accepted={accepted}
          onToggleDrop={toggleDrop}
          disabled={planning || starting}
        />
      )}
      {runId && (
        <MigrationProgress
          runId={runId}
          pollIntervalMs={props.pollIntervalMs}
          mayRollBack={allowed}
          onEnded={props.onRunEnded}
        />
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="hyperpod-migration-confirm-title"
      >
        <DialogTitle id="hyperpod-migration-confirm-title">
          Migrate {addon.name} to its EKS add-on?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            The backend runs the {plan?.steps.length ?? 0} steps of the plan on {plan?.cluster.name}
            , after writing a backup; a failed step rolls back.
            {accepted.length > 0 ? ` Accepted as lost: ${accepted.join(', ')}.` : ''}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Back</Button>
          <Button color="primary" variant="contained" onClick={() => void start()}>
            Start now
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

/** The cluster's runs, newest first; Show follows one (its progress, and Roll back once it ended). */
function RunHistory(props: {
  runs: MigrationRunItem[];
  selected?: string;
  onSelect: (runId: string) => void;
}) {
  return (
    <Table size="small" aria-label="Migration runs">
      <TableHead>
        <TableRow>
          <TableCell>Run</TableCell>
          <TableCell>Started by</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Last event</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.runs.map((r) => (
          <TableRow key={r.runId} selected={r.runId === props.selected}>
            <TableCell>{r.runId}</TableCell>
            <TableCell>{r.startedBy}</TableCell>
            <TableCell>
              <Timestamp iso={r.createdAt} />
            </TableCell>
            <TableCell>
              {r.active ? 'in progress' : r.lastEvent ? JOURNAL_LABELS[r.lastEvent] : 'not started'}
            </TableCell>
            <TableCell>
              <Button
                size="small"
                aria-label={`Show migration run ${r.runId}`}
                disabled={r.runId === props.selected}
                onClick={() => props.onSelect(r.runId)}
              >
                Show
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function MigrationSection(props: {
  clusterId: string;
  report: ClusterReport;
  pollIntervalMs?: number;
  /** The cluster's runs, newest first (ClusterDetail.migrations). */
  runs?: MigrationRunItem[];
  /** The run in progress now (ClusterDetail.activeMigration): followed at once. */
  activeRun?: string;
  /** A followed run ended: the cluster changed, reload it. */
  onRunEnded?: () => void;
}) {
  const { clusterId, report } = props;
  const runs = props.runs ?? [];
  const permission = usePermission({
    permission: hyperpodMigrationRunPermission,
    resourceRef: clusterId,
  });
  const candidates = migrationCandidates(report);
  // No add-on left to migrate (the last run moved it): the newest run stays in view to roll back.
  const [chosen, setChosen] = useState<string>();
  const selected =
    chosen ?? props.activeRun ?? (candidates.length === 0 ? runs[0]?.runId : undefined);
  if (candidates.length === 0 && runs.length === 0) return null;
  if (permission.loading) return <Loading label="Checking whether you may run migrations…" />;
  return (
    <Box>
      {candidates.map((c) => (
        <MigrationPanel
          key={c.addon.name}
          clusterId={clusterId}
          addon={c.addon}
          profile={c.profile}
          allowed={permission.allowed}
          pollIntervalMs={props.pollIntervalMs}
          onRunEnded={props.onRunEnded}
        />
      ))}
      {runs.length > 0 && (
        <Box component="section" aria-label="Migration runs of this cluster" mt={2}>
          <Typography variant="h6" component="h3">
            Migration runs
          </Typography>
          <RunHistory runs={runs} selected={selected} onSelect={setChosen} />
          {selected && (
            <MigrationProgress
              key={selected}
              runId={selected}
              pollIntervalMs={props.pollIntervalMs}
              mayRollBack={permission.allowed}
              onEnded={props.onRunEnded}
            />
          )}
        </Box>
      )}
    </Box>
  );
}
