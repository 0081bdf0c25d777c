/**
 * What the plugin's `EntityHyperpodContent` renders first: a small synchronous wrapper that
 * starts the cluster tab's reads as soon as the entity is known (see firstLoad.ts) and loads the
 * tab's code alongside, instead of after.
 */
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import LinearProgress from '@material-ui/core/LinearProgress';
import { lazy, Suspense, useMemo } from 'react';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { clusterIdOfEntity } from '../common/entityCluster';
import type { EntityHyperpodContentProps } from './EntityHyperpodContent';
import { startClusterFirstLoad, useClusterTabPermissions } from './firstLoad';

const EntityHyperpodContent = lazy(() =>
  import('./index').then((m) => ({ default: m.EntityHyperpodContent })),
);

function StartFirstLoad(props: { clusterId: string }) {
  const api = useApi(hyperpodApiRef);
  useMemo(() => startClusterFirstLoad(api, props.clusterId), [api, props.clusterId]);
  useClusterTabPermissions(props.clusterId);
  return null;
}

export function ClusterTabLoader(props: EntityHyperpodContentProps) {
  const { entity } = useEntity();
  const clusterId = clusterIdOfEntity(entity);
  return (
    <>
      {clusterId && <StartFirstLoad clusterId={clusterId} />}
      <Suspense fallback={<LinearProgress aria-label="Loading the hyperpod tab" />}>
        <EntityHyperpodContent {...props} />
      </Suspense>
    </>
  );
}
