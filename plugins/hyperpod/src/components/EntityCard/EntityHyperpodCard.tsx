/**
 * The cluster entity's overview card, from `GET /clusters/:cluster`: the cluster's health and
 * Kubernetes version, how many add-ons are in each health state, and the add-ons that need
 * attention (not Healthy, behind the default version or incompatible, or still on Helm), with a
 * link to the cluster's Hyperpod tab for the rest.
 */
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  type InfoCardVariants,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MissingAnnotationEmptyState, useEntity } from '@backstage/plugin-catalog-react';
import {
  FINAL_REQUEST_STATES,
  HEALTH_LADDER,
  HYPERPOD_CLUSTER_ARN_ANNOTATION,
  type ClusterDetail,
} from '@hyperpod/core';
import useAsync from 'react-use/esm/useAsync';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { needsAttention } from '../common/addonAttention';
import { errorMessage } from '../common/errorMessage';
import { DriftBadge } from '../common/DriftBadge';
import { clusterIdOfEntity } from '../common/entityCluster';
import { useEntityPageLink } from '../common/entityPageLink';
import { HealthChip } from '../common/HealthChip';
import { Timestamp } from '../common/Timestamp';
import { InstallMethodLabel } from '../common/InstallMethodLabel';
import { attentionDetail } from './attentionDetail';

const TITLE = 'EKS add-ons';

const useStyles = makeStyles((theme) => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    alignItems: 'center',
    margin: 0,
    '& dd': { margin: 0 },
  },
  counts: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), alignItems: 'center' },
  badges: { display: 'inline-flex', gap: theme.spacing(0.5), marginLeft: theme.spacing(1) },
}));

function ClusterSummary(props: { detail: ClusterDetail }) {
  const classes = useStyles();
  const { cluster, report, requests } = props.detail;
  if (!report) {
    return (
      <Typography variant="body2">
        {cluster.name} has not been scanned yet. Its add-ons show here after the next fleet scan.
      </Typography>
    );
  }
  const byHealth = HEALTH_LADDER.map(
    (h) => [h, report.addons.filter((a) => a.health === h).length] as const,
  ).filter(([, n]) => n > 0);
  const attention = report.addons.filter((a) =>
    needsAttention({ health: a.health, installedVia: a.installedVia, drift: a.drift?.status }),
  );
  const openRequests = requests.filter((r) => !FINAL_REQUEST_STATES.has(r.state)).length;
  return (
    <>
      <dl className={classes.facts}>
        <dt>
          <Typography variant="body2">Health</Typography>
        </dt>
        <dd>
          <HealthChip health={report.health} />
        </dd>
        <dt>
          <Typography variant="body2">Kubernetes</Typography>
        </dt>
        <dd>
          <Typography variant="body2">
            {report.cluster.kubernetesVersion ?? cluster.kubernetesVersion ?? '<none>'}
          </Typography>
        </dd>
        <dt>
          <Typography variant="body2">Add-ons</Typography>
        </dt>
        <dd className={classes.counts} aria-label="add-ons by health">
          {byHealth.length === 0 && <Typography variant="body2">none found</Typography>}
          {byHealth.map(([h, n]) => (
            <span key={h} aria-label={`${n} ${h}`}>
              <Typography variant="body2" component="span">
                {n}
              </Typography>{' '}
              <HealthChip health={h} />
            </span>
          ))}
        </dd>
        {openRequests > 0 && (
          <>
            <dt>
              <Typography variant="body2">Upgrade requests</Typography>
            </dt>
            <dd>
              <Typography variant="body2">{openRequests} open</Typography>
            </dd>
          </>
        )}
        <dt>
          <Typography variant="body2">Last scanned</Typography>
        </dt>
        <dd>
          <Typography variant="body2">
            <Timestamp iso={report.scannedAt} />
            {report.errors.length > 0 &&
              ` (${report.errors.length} scan ${report.errors.length === 1 ? 'error' : 'errors'}: ${report.errors[0]!.step}: ${report.errors[0]!.message})`}
          </Typography>
        </dd>
      </dl>
      {attention.length === 0 ? (
        <Typography variant="body2" style={{ marginTop: 16 }}>
          {report.addons.length > 0
            ? `All ${report.addons.length} add-ons are healthy, current and installed as EKS add-ons.`
            : 'No add-ons found.'}
        </Typography>
      ) : (
        <>
          <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
            Need attention ({attention.length})
          </Typography>
          <List dense disablePadding aria-label="add-ons that need attention">
            {attention.map((a) => (
              <ListItem key={a.name} disableGutters>
                <ListItemText
                  primary={
                    <>
                      {a.name}
                      <span className={classes.badges}>
                        <HealthChip health={a.health} />
                        <DriftBadge
                          drift={a.drift?.status}
                          latest={a.drift?.latest}
                          attentionOnly
                        />
                        <InstallMethodLabel method={a.installedVia} compact />
                      </span>
                    </>
                  }
                  secondary={attentionDetail(a)}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </>
  );
}

function ClusterCard(props: { clusterId: string; variant?: InfoCardVariants; tabPath: string }) {
  const api = useApi(hyperpodApiRef);
  const { entity } = useEntity();
  const entityLink = useEntityPageLink();
  const { value, loading, error } = useAsync(
    () => api.getCluster(props.clusterId),
    [api, props.clusterId],
  );
  const page = entityLink(entity);
  const deepLink = page
    ? { title: 'Open the Hyperpod tab', link: `${page.replace(/\/$/, '')}${props.tabPath}` }
    : undefined;
  return (
    <InfoCard title={TITLE} variant={props.variant} deepLink={deepLink}>
      {loading && <Progress aria-label="Loading the cluster" />}
      {error && (
        <ResponseErrorPanel
          title={`Could not load the cluster: ${errorMessage(error)}`}
          error={error}
        />
      )}
      {value && <ClusterSummary detail={value} />}
      {value && !deepLink && (
        <Typography variant="caption" component="p" style={{ marginTop: 16 }}>
          Details, migrations and upgrade requests are on this cluster’s Hyperpod tab.
        </Typography>
      )}
    </InfoCard>
  );
}

export interface EntityHyperpodCardProps {
  variant?: InfoCardVariants;
  /** Path of the Hyperpod tab under the entity page, as mounted in the app's EntityLayout. */
  tabPath?: string;
}

export function EntityHyperpodCard(props: EntityHyperpodCardProps) {
  const { entity } = useEntity();
  const clusterId = clusterIdOfEntity(entity);
  if (!clusterId) {
    return (
      <InfoCard title={TITLE} variant={props.variant}>
        <MissingAnnotationEmptyState annotation={HYPERPOD_CLUSTER_ARN_ANNOTATION} />
      </InfoCard>
    );
  }
  return (
    <ClusterCard
      clusterId={clusterId}
      variant={props.variant}
      tabPath={props.tabPath ?? '/hyperpod'}
    />
  );
}
