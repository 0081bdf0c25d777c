/**
 * The cluster's upgrade requests: state, add-on, versions, who asked and when, each with its
 * history (and outcome) on demand. Approvers (`hyperpod.upgrade.approve` on the cluster) approve
 * or reject waiting ones; the requester or an approver cancels open ones. Each decision takes an
 * optional note; the backend has the last word and its refusal is shown as it says it. While a
 * request is approved or running the list is read again every few seconds.
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
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { configApiRef, identityApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  allowedDecisions,
  DEFAULT_APPROVAL_POLICY,
  hyperpodUpgradeApprovePermission,
  type ApprovalPolicy,
  type RequestDecision,
  type UpgradeRequest,
} from '@hyperpod/core';
import { Fragment, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { Timestamp } from '../common/Timestamp';
import { useTableStyles } from '../common/useTableStyles';
import { ErrorAlert } from './ErrorAlert';
import { takeClusterFirstLoad } from './firstLoad';
import { Loading } from './Loading';
import { REQUEST_STATE_LABELS } from './labels';

/** How often a list with a request in progress is read again, in the app. */
export const REQUEST_POLL_MS = 3000;
const LIVE_STATES = new Set<UpgradeRequest['state']>(['approved', 'running']);

const DECISION_WORDS: Record<RequestDecision, { verb: string; done: string }> = {
  approve: { verb: 'Approve', done: 'approved' },
  reject: { verb: 'Reject', done: 'rejected' },
  cancel: { verb: 'Cancel', done: 'cancelled' },
};

function History({ request, id }: { request: UpgradeRequest; id: string }) {
  const o = request.outcome;
  return (
    <Box id={id} py={1}>
      <Typography variant="subtitle2" component="h4">
        History
      </Typography>
      <ol>
        {request.history.map((h, i) => (
          <li key={`${h.at}-${i}`}>
            <Typography variant="body2">
              <Timestamp iso={h.at} show="exact" /> {h.actor}: {h.from ?? 'new'} → {h.to}
              {h.note ? ` (“${h.note}”)` : ''}
            </Typography>
          </li>
        ))}
      </ol>
      {o && (
        <>
          <Typography variant="subtitle2" component="h4">
            Outcome: {o.status}
          </Typography>
          <Typography variant="body2">{o.message}</Typography>
          {o.hopsDone.length > 0 && (
            <Typography variant="body2">Versions reached: {o.hopsDone.join(' → ')}</Typography>
          )}
          {o.failedHop && <Typography variant="body2">Failed at: {o.failedHop}</Typography>}
          {o.rollback && (
            <Typography variant="body2">
              Rolled back by {o.rollback.method}:{' '}
              {o.rollback.succeeded ? 'succeeded' : 'did not succeed'}
            </Typography>
          )}
          {o.events.length > 0 && (
            <ol>
              {o.events.map((e, i) => (
                <li key={`${e.at}-${i}`}>
                  <Typography variant="body2">
                    <Timestamp iso={e.at} show="exact" /> {e.type}
                    {e.hop ? ` ${e.hop}` : ''}: {e.message}
                  </Typography>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Box>
  );
}

function DecisionDialog(props: {
  request: UpgradeRequest;
  decision: RequestDecision;
  busy: boolean;
  onConfirm: (note: string) => void;
  onClose: () => void;
}) {
  const { request: r, decision } = props;
  const [note, setNote] = useState('');
  const words = DECISION_WORDS[decision];
  const titleId = 'hyperpod-decision-title';
  return (
    <Dialog open onClose={props.busy ? undefined : props.onClose} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>
        {words.verb} the upgrade of {r.addonName} to {r.targetVersion}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {r.requestedBy} asked for {r.addonName} {r.fromVersion} → {r.targetVersion}: “{r.reason}”
        </DialogContentText>
        <TextField
          id="hyperpod-decision-note"
          label="Note (optional)"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          helperText="Kept in the request's history"
          disabled={props.busy}
          multiline
          fullWidth
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={props.busy}>
          Back
        </Button>
        <Button
          onClick={() => props.onConfirm(note.trim())}
          color="primary"
          variant="contained"
          disabled={props.busy}
        >
          {props.busy ? 'Sending…' : `${words.verb} request`}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function RequestList(props: {
  clusterId: string;
  /** Changing it reloads the list (after a new request). */
  reloadKey?: number;
  /** For tests: the age of each request is computed against this instant. */
  now?: number;
  /** How often the list is read again while a request is approved or running. */
  pollIntervalMs?: number;
  /** A request that was approved or running here has ended (the cluster changed). */
  onSettled?: () => void;
}) {
  const { clusterId } = props;
  const pollMs = props.pollIntervalMs ?? REQUEST_POLL_MS;
  const classes = useTableStyles();
  const api = useApi(hyperpodApiRef);
  const identityApi = useApi(identityApiRef);
  const configApi = useApi(configApiRef);
  // The backend's own setting (visible to the frontend), so the buttons match what it allows.
  const policy: ApprovalPolicy = {
    allowSelfApproval:
      configApi.getOptionalBoolean('hyperpod.approval.allowSelfApproval') ??
      DEFAULT_APPROVAL_POLICY.allowSelfApproval,
  };
  const list = useAsyncRetry(
    () =>
      (props.reloadKey ? undefined : takeClusterFirstLoad(api, clusterId, 'requests')) ??
      api.listRequests({ cluster: clusterId }),
    [api, clusterId, props.reloadKey],
  );
  const approver = usePermission({
    permission: hyperpodUpgradeApprovePermission,
    resourceRef: clusterId,
  });
  const me = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  // Live while something moves: read again until no request is approved or running.
  const live = (list.value ?? []).some((r) => LIVE_STATES.has(r.state));
  const { retry, loading } = list;
  useEffect(() => {
    if (!live || loading) return undefined;
    const timer = setTimeout(retry, pollMs);
    return () => clearTimeout(timer);
  }, [live, loading, retry, pollMs, list.value]);
  const wasLive = useRef(false);
  const onSettled = useRef(props.onSettled);
  onSettled.current = props.onSettled;
  useEffect(() => {
    if (wasLive.current && !live) onSettled.current?.();
    wasLive.current = live;
  }, [live]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<{ request: UpgradeRequest; decision: RequestDecision }>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ error?: unknown; done?: string; what?: string }>({});

  const decide = async (note: string) => {
    if (!pending) return;
    const { request, decision } = pending;
    const words = DECISION_WORDS[decision];
    setBusy(true);
    try {
      const after = await api.decideRequest(request.id, decision, note || undefined);
      setResult({
        done: `Request ${words.done}: ${after.addonName} ${after.fromVersion} → ${after.targetVersion} is ${REQUEST_STATE_LABELS[after.state]}.`,
      });
    } catch (error) {
      setResult({ error, what: `Could not ${decision} the request` });
    } finally {
      setBusy(false);
      setPending(undefined);
      list.retry();
    }
  };

  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (list.loading && !list.value) return <Loading label="Loading upgrade requests…" />;
  if (list.error && !list.value) {
    return (
      <ErrorAlert
        title="Could not load the upgrade requests"
        error={list.error}
        action={<Button onClick={list.retry}>Retry</Button>}
      />
    );
  }
  const requests = list.value ?? [];
  const now = props.now ?? Date.now();
  const waiting = requests.some((r) => r.state === 'requested');
  const ownWaiting =
    !policy.allowSelfApproval &&
    requests.some((r) => r.state === 'requested' && r.requestedBy === me.value);

  return (
    // A table wider than the card scrolls sideways here, not the page.
    <Box className={classes.scrollX}>
      {result.error !== undefined && (
        <ErrorAlert title={result.what ?? 'The decision failed'} error={result.error} />
      )}
      {result.done && (
        <Alert severity="success" role="status">
          {result.done}
        </Alert>
      )}
      {requests.length === 0 ? (
        <Typography variant="body2">No upgrade requests for this cluster yet.</Typography>
      ) : (
        <Table size="small" aria-label="Upgrade requests" className={classes.table}>
          <TableHead>
            <TableRow>
              <TableCell>State</TableCell>
              <TableCell>Add-on</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>Age</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {requests.map((r) => {
              const historyId = `hyperpod-request-history-${r.id}`;
              const expanded = open.has(r.id);
              // Nothing is offered until both the permission and the signed-in user are known.
              const offered =
                approver.loading || me.value === undefined
                  ? []
                  : allowedDecisions(r, { ref: me.value, mayApprove: approver.allowed }, policy);
              const what = `${r.addonName} ${r.fromVersion} → ${r.targetVersion}`;
              return (
                <Fragment key={r.id}>
                  <TableRow>
                    <TableCell>{REQUEST_STATE_LABELS[r.state]}</TableCell>
                    <TableCell className={classes.nowrap}>{r.addonName}</TableCell>
                    <TableCell className={classes.nowrap}>
                      {r.fromVersion} → {r.targetVersion}
                    </TableCell>
                    <TableCell className={classes.nowrap}>{r.requestedBy}</TableCell>
                    <TableCell className={classes.nowrap}>
                      <Timestamp iso={r.createdAt} now={now} />
                    </TableCell>
                    <TableCell>{r.reason}</TableCell>
                    <TableCell>
                      <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                        <Button
                          size="small"
                          aria-expanded={expanded}
                          aria-controls={historyId}
                          aria-label={`History of the request ${what}`}
                          onClick={() => toggle(r.id)}
                        >
                          {expanded ? 'Hide history' : `History (${r.history.length})`}
                        </Button>
                        {offered.includes('approve') && (
                          <Button
                            size="small"
                            color="primary"
                            variant="outlined"
                            aria-label={`Approve ${what}`}
                            onClick={() => setPending({ request: r, decision: 'approve' })}
                          >
                            Approve
                          </Button>
                        )}
                        {offered.includes('reject') && (
                          <Button
                            size="small"
                            variant="outlined"
                            aria-label={`Reject ${what}`}
                            onClick={() => setPending({ request: r, decision: 'reject' })}
                          >
                            Reject
                          </Button>
                        )}
                        {offered.includes('cancel') && (
                          <Button
                            size="small"
                            aria-label={`Cancel ${what}`}
                            onClick={() => setPending({ request: r, decision: 'cancel' })}
                          >
                            Cancel
                          </Button>
                        )}
                      </Box>
                    </TableCell>
                  </TableRow>
                  {expanded && (
                    <TableRow>
                      <TableCell colSpan={7}>
                        <History request={r} id={historyId} />
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      )}
      {waiting && !approver.loading && !approver.allowed && (
        <Typography variant="body2" color="textSecondary">
          Only approvers of this cluster may approve or reject requests (permission
          hyperpod.upgrade.approve).
        </Typography>
      )}
      {ownWaiting && !approver.loading && approver.allowed && (
        <Typography variant="body2" color="textSecondary">
          Another approver must approve your own requests (hyperpod.approval.allowSelfApproval is
          false).
        </Typography>
      )}
      {pending && (
        <DecisionDialog
          request={pending.request}
          decision={pending.decision}
          busy={busy}
          onConfirm={decide}
          onClose={() => setPending(undefined)}
        />
      )}
    </Box>
  );
}
