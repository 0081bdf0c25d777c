/**
 * The hyperpod tab of a cluster entity's page. The cluster is found by the entity's EKS cluster
 * ARN annotation (the backend's entity provider writes it); without it the tab says which
 * annotation is missing instead of guessing.
 */
import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { HYPERPOD_CLUSTER_ARN_ANNOTATION } from '@hyperpod/core';
import { clusterIdOfEntity } from '../common/entityCluster';
import { ClusterTab } from './ClusterTab';

export interface EntityHyperpodContentProps {
  /** How often a running migration is polled, in milliseconds (default 1500). */
  migrationPollIntervalMs?: number;
}

export function EntityHyperpodContent(props: EntityHyperpodContentProps) {
  const { entity } = useEntity();
  const clusterId = clusterIdOfEntity(entity);
  if (!clusterId) {
    return (
      <EmptyState
        missing="field"
        title="No EKS cluster ARN on this entity"
        description={
          <Typography variant="body1" component="span">
            The annotation <code>{HYPERPOD_CLUSTER_ARN_ANNOTATION}</code> is missing from{' '}
            {entity.metadata.name}. The hyperpod tab finds the cluster by its EKS cluster ARN: add
            the annotation (for example{' '}
            <code>
              {HYPERPOD_CLUSTER_ARN_ANNOTATION}:
              arn:aws:eks:us-east-1:111111111111:cluster/my-cluster
            </code>
            ), or let the hyperpod backend's entity provider write the clusters of its fleet.
          </Typography>
        }
      />
    );
  }
  return (
    <ClusterTab
      key={clusterId}
      clusterId={clusterId}
      migrationPollIntervalMs={props.migrationPollIntervalMs}
    />
  );
}
