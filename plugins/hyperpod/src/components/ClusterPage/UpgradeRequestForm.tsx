/**
 * Ask for an add-on upgrade: an installed EKS add-on, a version newer than the installed one that
 * EKS offers for the cluster's Kubernetes version, and why. The backend checks it again
 * (compatibility, the target's configuration schema, an open request) and its refusal is shown as
 * it says it. Hidden behind the `hyperpod.upgrade.request` permission: without it the form is
 * replaced by a disabled button that says why.
 */
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  compareAddonVersions,
  hyperpodUpgradeRequestPermission,
  type AddonVersionsResponse,
  type ClusterReport,
  type UpgradeRequest,
} from '@hyperpod/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './Loading';

export const REASON_MIN = 3;
export const REASON_MAX = 2000;

/** Compatible versions newer than the installed one, newest first, with their markers. */
export function upgradeTargets(
  versions: AddonVersionsResponse,
  installed: string | undefined,
): { version: string; label: string }[] {
  const from = versions.installed ?? installed;
  return versions.compatible
    .filter((v) => from === undefined || compareAddonVersions(v, from) > 0)
    .map((v) => {
      const marks = [
        ...(v === versions.latest ? ['latest'] : []),
        ...(v === versions.default ? ['default'] : []),
      ];
      return { version: v, label: marks.length ? `${v} (${marks.join(', ')})` : v };
    });
}

export function reasonProblem(reason: string): string | undefined {
  const n = reason.trim().length;
  if (n < REASON_MIN) return `Say why, in at least ${REASON_MIN} characters.`;
  if (n > REASON_MAX) return `At most ${REASON_MAX} characters (${n} now).`;
  return undefined;
}

const DENIED =
  'You may not request upgrades on this cluster (permission hyperpod.upgrade.request). Ask its owners.';

function VersionPicker(props: {
  clusterId: string;
  addonName: string;
  installed?: string;
  kubernetesVersion?: string;
  value: string;
  onChange: (v: string) => void;
  disabled: boolean;
}) {
  const api = useApi(hyperpodApiRef);
  const { clusterId, addonName } = props;
  const versions = useAsync(
    () => api.getAddonVersions(clusterId, addonName),
    [api, clusterId, addonName],
  );
  if (versions.loading) return <Loading label={`Loading the versions of ${addonName}…`} />;
  if (versions.error) {
    return (
      <ErrorAlert title={`Could not load the versions of ${addonName}`} error={versions.error} />
    );
  }
  const targets = upgradeTargets(versions.value!, props.installed);
  if (targets.length === 0) {
    return (
      <Typography variant="body2">
        {addonName} {versions.value!.installed ?? props.installed} is the newest version compatible
        with Kubernetes {versions.value!.cluster.kubernetesVersion ?? props.kubernetesVersion}:
        there is nothing to upgrade to.
      </Typography>
    );
  }
  return (
    <TextField
      select
      id="hyperpod-upgrade-version"
      label="Target version"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      helperText={`Versions newer than ${versions.value!.installed ?? props.installed ?? 'the installed one'} that run on this cluster's Kubernetes version`}
      disabled={props.disabled}
      required
      fullWidth
      margin="normal"
    >
      <option value="">Choose a version</option>
      {targets.map((t) => (
        <option key={t.version} value={t.version}>
          {t.label}
        </option>
      ))}
    </TextField>
  );
}

export function UpgradeRequestForm(props: {
  clusterId: string;
  report: ClusterReport;
  onCreated?: (request: UpgradeRequest) => void;
}) {
  const { clusterId, report } = props;
  const api = useApi(hyperpodApiRef);
  const permission = usePermission({
    permission: hyperpodUpgradeRequestPermission,
    resourceRef: clusterId,
  });
  const installed = report.addons.filter((a) => a.addon !== undefined);
  const [addonName, setAddonName] = useState('');
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [outcome, setOutcome] = useState<{ created?: UpgradeRequest; error?: unknown }>({});
  // The submit button is disabled while the request is sent, which drops the focus to the page:
  // it goes to the outcome instead, so keyboard and screen reader users land on what happened.
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome.created || outcome.error !== undefined) outcomeRef.current?.focus();
  }, [outcome]);

  if (permission.loading) return <Loading label="Checking whether you may request upgrades…" />;
  if (!permission.allowed) {
    return (
      <Box>
        <Typography variant="body2" id="hyperpod-upgrade-denied">
          {DENIED}
        </Typography>
        <Tooltip title={DENIED}>
          {/* A disabled button gets no pointer events: the span carries the tooltip. */}
          <span tabIndex={0} aria-describedby="hyperpod-upgrade-denied">
            <Button variant="contained" color="primary" disabled>
              Request an upgrade
            </Button>
          </span>
        </Tooltip>
      </Box>
    );
  }
  if (installed.length === 0) {
    return (
      <Typography variant="body2">
        No EKS add-on is installed on this cluster, so there is nothing to upgrade. Helm installs
        move to add-ons with a migration.
      </Typography>
    );
  }

  const chosen = installed.find((a) => a.name === addonName);
  const problem = reasonProblem(reason);
  const canSubmit = !!chosen && target !== '' && !problem && !submitting;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!canSubmit) return;
    setSubmitting(true);
    setOutcome({});
    try {
      const created = await api.createRequest({
        cluster: clusterId,
        addonName,
        target,
        reason: reason.trim(),
      });
      setOutcome({ created });
      setReason('');
      setTarget('');
      setTouched(false);
      props.onCreated?.(created);
    } catch (error) {
      setOutcome({ error });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label="Request an add-on upgrade" noValidate>
      <TextField
        select
        id="hyperpod-upgrade-addon"
        label="Add-on"
        value={addonName}
        onChange={(e) => {
          setAddonName(e.target.value);
          setTarget('');
          setOutcome({});
        }}
        SelectProps={{ native: true }}
        // A native select always shows an option ("Choose an add-on"): the label stays above it.
        InputLabelProps={{ shrink: true }}
        helperText="EKS add-ons installed on this cluster"
        disabled={submitting}
        required
        fullWidth
        margin="normal"
      >
        <option value="">Choose an add-on</option>
        {installed.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name} ({a.addon!.version})
          </option>
        ))}
      </TextField>
      {chosen && (
        <VersionPicker
          clusterId={clusterId}
          addonName={chosen.name}
          installed={chosen.addon!.version}
          kubernetesVersion={report.cluster.kubernetesVersion}
          value={target}
          onChange={setTarget}
          disabled={submitting}
        />
      )}
      <TextField
        id="hyperpod-upgrade-reason"
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        onBlur={() => setTouched(true)}
        error={touched && !!problem}
        helperText={
          touched && problem
            ? problem
            : `Why this upgrade, for the approver (${REASON_MIN} to ${REASON_MAX} characters)`
        }
        disabled={submitting}
        required
        multiline
        // A fixed height: an auto-growing field measures its layout when it mounts, which costs
        // the cluster page tens of milliseconds before it is usable.
        rows={3}
        fullWidth
        margin="normal"
      />
      <Box mt={1} mb={1}>
        <Button type="submit" variant="contained" color="primary" disabled={!canSubmit}>
          {submitting ? 'Requesting…' : 'Request the upgrade'}
        </Button>
      </Box>
      <div ref={outcomeRef} tabIndex={-1}>
        {outcome.error !== undefined && (
          <ErrorAlert title="The upgrade request was refused" error={outcome.error} />
        )}
        {outcome.created && (
          <Alert severity="success" role="status">
            Requested: {outcome.created.addonName} {outcome.created.fromVersion} →{' '}
            {outcome.created.targetVersion} (request {outcome.created.id}, state{' '}
            {outcome.created.state}). An approver of this cluster has to approve it.
          </Alert>
        )}
      </div>
    </form>
  );
}
