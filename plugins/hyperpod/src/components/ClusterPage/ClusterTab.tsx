/**
 * The cluster tab for one portal cluster id: its last scan (health, add-ons, readiness, scan
 * errors) with a refresh, the upgrade request form, the cluster's requests, and migrations for
 * what Helm installed.
 */
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { migrationCandidates, type ClusterDetail } from '@hyperpod/core';
import { useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { HealthChip } from '../common/HealthChip';
import { Timestamp } from '../common/Timestamp';
import { AddonList, ReadinessSummary } from './AddonList';
import { ErrorAlert } from './ErrorAlert';
import { takeClusterFirstLoad, useClusterTabPermissions } from './firstLoad';
import { Loading } from './Loading';
import { MigrationSection } from './MigrationSection';
import { RequestList } from './RequestList';
import { UpgradeRequestForm } from './UpgradeRequestForm';

export interface ClusterTabProps {
  clusterId: string;
  /** How often a running migration is polled; 1–2 s in the app, a few ms in tests. */
  migrationPollIntervalMs?: number;
}

function ClusterHeader(props: {
  detail: ClusterDetail;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { cluster, report } = props.detail;
  const facts = [
    cluster.kubernetesVersion && `Kubernetes ${cluster.kubernetesVersion}`,
    cluster.region,
    cluster.accountId && `account ${cluster.accountId}`,
    cluster.owner && `owner ${cluster.owner}`,
  ].filter(Boolean);
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      <Typography variant="h5" component="h2">
        {cluster.name}
      </Typography>
      {report && (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="body2" component="span">
            Cluster health
          </Typography>
          <HealthChip health={report.health} />
        </Box>
      )}
      <Typography variant="body2" color="textSecondary" component="span">
        {facts.join(' · ')}
      </Typography>
      <Typography variant="body2" color="textSecondary" component="span">
        {report ? (
          <>
            Scanned <Timestamp iso={report.scannedAt} />
          </>
        ) : (
          'Not scanned yet'
        )}
      </Typography>
      <Button
        variant="outlined"
        onClick={props.onRefresh}
        disabled={props.refreshing}
        aria-label={props.refreshing ? 'Scanning the cluster' : 'Refresh: scan the cluster now'}
      >
        {props.refreshing ? 'Scanning…' : 'Refresh'}
      </Button>
    </Box>
  );
}

export function ClusterTab(props: ClusterTabProps) {
  const { clusterId } = props;
  const api = useApi(hyperpodApiRef);
  // The first load takes the read the plugin's wrapper started while this code loaded, if any.
  const detail = useAsyncRetry(
    () => takeClusterFirstLoad(api, clusterId, 'cluster') ?? api.getCluster(clusterId),
    [api, clusterId],
  );
  // Every permission the sections below ask, asked now: one batched authorize call alongside the
  // cluster read instead of one after it.
  useClusterTabPermissions(clusterId);
  const [refresh, setRefresh] = useState<{ running: boolean; error?: unknown }>({
    running: false,
  });
  const [requestsKey, setRequestsKey] = useState(0);
  /** The request list is rendered before the cluster arrives: it reaches the reload through this. */
  const reloadRef = useRef(() => detail.retry());
  reloadRef.current = () => detail.retry();

  const onRefresh = async () => {
    setRefresh({ running: true });
    try {
      await api.refreshCluster(clusterId);
      setRefresh({ running: false });
      detail.retry();
      setRequestsKey((k) => k + 1);
    } catch (error) {
      setRefresh({ running: false, error });
    }
  };

  // The requests do not depend on the scan: they load alongside the cluster (keyed, so the list
  // stays mounted, and is not fetched again, when the cluster arrives).
  const requests = (
    <Grid item key="requests">
      <InfoCard title="Upgrade requests">
        <RequestList
          clusterId={clusterId}
          reloadKey={requestsKey}
          onSettled={() => reloadRef.current()}
        />
      </InfoCard>
    </Grid>
  );

  if (!detail.value) {
    if (detail.error) {
      return (
        <ErrorAlert
          title="Could not load the cluster"
          error={detail.error}
          action={<Button onClick={detail.retry}>Retry</Button>}
        />
      );
    }
    return (
      <Grid container spacing={3} direction="column">
        <Grid item>
          <Loading label="Loading the cluster…" />
        </Grid>
        {requests}
      </Grid>
    );
  }

  const { report } = detail.value;
  const migratable = report
    ? migrationCandidates(report).length > 0 || (detail.value.migrations ?? []).length > 0
    : false;
  // An action ended: the backend rescanned the cluster before saying so; show the new state.
  const reload = () => {
    detail.retry();
    setRequestsKey((k) => k + 1);
  };

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <ClusterHeader
          detail={detail.value}
          refreshing={refresh.running}
          onRefresh={() => void onRefresh()}
        />
        {detail.loading && <Loading label="Reloading the cluster…" />}
        {refresh.error !== undefined && (
          <ErrorAlert title="The scan could not be started" error={refresh.error} />
        )}
        {detail.error && <ErrorAlert title="Could not reload the cluster" error={detail.error} />}
        {report && report.errors.length > 0 && (
          <Alert severity="warning" role="status">
            <AlertTitle>The last scan could not read everything</AlertTitle>
            <ul>
              {report.errors.map((e, i) => (
                <li key={`${e.step}-${i}`}>
                  {e.step}: {e.permission ?? e.message}
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </Grid>
      {report ? (
        <Grid item>
          <InfoCard title="Add-ons">
            <ReadinessSummary report={report} />
            <AddonList report={report} />
          </InfoCard>
        </Grid>
      ) : (
        <Grid item>
          <EmptyState
            missing="data"
            title="Not scanned yet"
            description="The portal has not finished a scan of this cluster. Refresh to scan it now."
          />
        </Grid>
      )}
      {report && (
        <Grid item>
          <InfoCard title="Request an add-on upgrade">
            <UpgradeRequestForm
              clusterId={clusterId}
              report={report}
              onCreated={() => setRequestsKey((k) => k + 1)}
            />
          </InfoCard>
        </Grid>
      )}
      {requests}
      {report && migratable && (
        <Grid item>
          <InfoCard title="Migrate from Helm to EKS add-ons">
            <MigrationSection
              clusterId={clusterId}
              report={report}
              pollIntervalMs={props.migrationPollIntervalMs}
              runs={detail.value.migrations}
              activeRun={detail.value.activeMigration}
              onRunEnded={reload}
            />
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
