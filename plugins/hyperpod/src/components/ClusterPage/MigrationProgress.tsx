/**
 * Follows one migration run: polls `GET /migrations/:runId` until its journal ends (succeeded,
 * failed, aborted, rolled back) and the backend is no longer at it, showing each journal entry
 * with the step and action it belongs to. Once it has ended, a run with a backup can be rolled
 * back (`hyperpod.migration.run`), and the rollback is followed the same way.
 */
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  FINAL_JOURNAL_TYPES,
  migrationRunStatusText,
  planActions,
  type MigrationRunView,
} from '@hyperpod/core';
import { useEffect, useRef, useState } from 'react';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { Timestamp } from '../common/Timestamp';
import { ErrorAlert, describeError } from './ErrorAlert';
import { Loading } from './Loading';
import { JOURNAL_LABELS } from './labels';

export const DEFAULT_MIGRATION_POLL_MS = 1500;

/** The run has ended and nothing on the backend is still working on it. */
export function runEnded(view: MigrationRunView): boolean {
  const last = view.journal[view.journal.length - 1]?.type;
  return !view.active && last !== undefined && FINAL_JOURNAL_TYPES.has(last);
}

function RunJournal({ view }: { view: MigrationRunView }) {
  const actions = new Map(planActions(view.plan).map((x) => [x.action.id, x]));
  const steps = new Map(view.plan.steps.map((s) => [s.id, s.title]));
  return (
    <ol aria-label={`Journal of run ${view.summary.runId}`}>
      {view.journal.map((e, i) => {
        const found = e.actionId ? actions.get(e.actionId) : undefined;
        const step = e.stepId ? steps.get(e.stepId as never) : undefined;
        return (
          <li key={`${e.at}-${i}`}>
            <Typography variant="body2">
              <Timestamp iso={e.at} show="clock" /> {JOURNAL_LABELS[e.type]}
              {step ? ` · ${step}` : ''}
              {found ? `: ${found.action.summary}` : e.actionId ? `: ${e.actionId}` : ''}
              {e.message && !(e.type === 'run-started' && e.message === 'started')
                ? ` (${e.message})`
                : ''}
              {e.actor ? ` by ${e.actor}` : ''}
            </Typography>
          </li>
        );
      })}
    </ol>
  );
}

export function MigrationProgress(props: {
  runId: string;
  pollIntervalMs?: number;
  /** Whether the user may roll the run back. */
  mayRollBack: boolean;
  /** Called when a run (or rollback) followed while in progress ends: the cluster changed. */
  onEnded?: () => void;
}) {
  const { runId } = props;
  const onEnded = useRef(props.onEnded);
  onEnded.current = props.onEnded;
  const pollMs = props.pollIntervalMs ?? DEFAULT_MIGRATION_POLL_MS;
  const api = useApi(hyperpodApiRef);
  const [view, setView] = useState<MigrationRunView>();
  const [pollError, setPollError] = useState<unknown>();
  /** Bumped to follow the run again (after a rollback started). */
  const [round, setRound] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [rollback, setRollback] = useState<{ busy: boolean; error?: unknown }>({ busy: false });

  useEffect(() => {
    let stopped = false;
    let sawRunning = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const v = await api.getMigration(runId);
        if (stopped) return;
        setView(v);
        setPollError(undefined);
        if (runEnded(v)) {
          if (sawRunning || round > 0) onEnded.current?.();
          return;
        }
        sawRunning = true;
      } catch (e) {
        if (stopped) return;
        setPollError(e);
        // A run that is gone or hidden will not come back by asking again.
        const { status } = describeError(e);
        if (status === 403 || status === 404) return;
      }
      timer = setTimeout(tick, pollMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId, pollMs, round]);

  const startRollback = async () => {
    setConfirming(false);
    setRollback({ busy: true });
    try {
      await api.rollbackMigration(runId);
      setRollback({ busy: false });
      // The backend is at it now (202): show it so until the next poll says more.
      setView((v) => (v ? { ...v, active: true } : v));
      setRound((n) => n + 1);
    } catch (error) {
      setRollback({ busy: false, error });
    }
  };

  if (!view) {
    return pollError !== undefined ? (
      <ErrorAlert title={`Could not read migration run ${runId}`} error={pollError} />
    ) : (
      <Loading label={`Starting migration run ${runId}…`} />
    );
  }

  const last = view.journal[view.journal.length - 1]?.type;
  const ended = runEnded(view);
  const status = migrationRunStatusText(last, view.active);
  const total = planActions(view.plan).length;
  const done = new Set(
    view.journal
      .filter((e) => e.type === 'action-done' || e.type === 'action-skipped')
      .map((e) => e.actionId),
  ).size;
  const rolledBack = last === 'rollback-done';
  const canRollBack = props.mayRollBack && ended && view.hasBackup && !rolledBack;

  return (
    <Box mt={2}>
      <Typography variant="subtitle1" component="h4" aria-live="polite">
        Migration run {runId}: {status}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Started by {view.startedBy}; {done} of {total} actions done.
      </Typography>
      {!ended && (
        <LinearProgress
          variant="determinate"
          value={total ? (100 * done) / total : 0}
          aria-label={`Migration progress: ${done} of ${total} actions done`}
        />
      )}
      {pollError !== undefined && (
        <ErrorAlert title="Could not read the run's progress (still trying)" error={pollError} />
      )}
      {ended && last === 'run-succeeded' && (
        <Alert severity="success" role="status">
          {view.plan.target.addonName} {view.plan.target.addonVersion} now runs as an EKS add-on.
          The cluster was scanned again: its report above shows the add-on.
        </Alert>
      )}
      {ended && last !== 'run-succeeded' && !rolledBack && (
        <Alert severity="error">
          The run {status}
          {view.journal[view.journal.length - 1]?.message
            ? `: ${view.journal[view.journal.length - 1]!.message}`
            : ''}
          .
        </Alert>
      )}
      {rolledBack && (
        <Alert severity="info" role="status">
          Rolled back: the cluster is as the backup recorded it before the run.
        </Alert>
      )}
      <RunJournal view={view} />
      {ended && props.mayRollBack && !view.hasBackup && !rolledBack && (
        <Typography variant="body2">
          The run wrote no backup before it stopped, so it changed nothing to roll back.
        </Typography>
      )}
      {canRollBack && (
        <Button variant="outlined" onClick={() => setConfirming(true)} disabled={rollback.busy}>
          {rollback.busy ? 'Rolling back…' : 'Roll back'}
        </Button>
      )}
      {rollback.error !== undefined && (
        <ErrorAlert title="The rollback was refused" error={rollback.error} />
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="hyperpod-rollback-title"
      >
        <DialogTitle id="hyperpod-rollback-title">Roll back migration run {runId}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Puts back what the run changed on {view.cluster.name} from its backup: the Helm release
            and its objects, roles and tags as they were; add-ons it created are deleted.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Back</Button>
          <Button color="primary" variant="contained" onClick={startRollback}>
            Roll back now
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
