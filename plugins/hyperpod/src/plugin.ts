/**
 * The hyperpod frontend plugin: the API client, the fleet page, and the cluster tab and card for
 * `Resource` entities of type `kubernetes-cluster` that carry the EKS cluster ARN annotation.
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { hyperpodApiRef } from './api/HyperpodApi';
import { HyperpodClient } from './api/HyperpodClient';
import { ClusterTabLoader } from './components/ClusterPage/ClusterTabLoader';
import { fleetRouteRef } from './routes';

export const hyperpodPlugin = createPlugin({
  id: 'hyperpod',
  apis: [
    createApiFactory({
      api: hyperpodApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new HyperpodClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { fleet: fleetRouteRef },
});

/** All clusters × add-ons, filterable; mount it at a route of the app (e.g. /hyperpod). */
export const HyperpodFleetPage = hyperpodPlugin.provide(
  createRoutableExtension({
    name: 'HyperpodFleetPage',
    component: () => import('./components/FleetPage').then((m) => m.HyperpodFleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/** The cluster tab of a cluster entity's page: add-ons, drift, migration, upgrade requests. */
export const EntityHyperpodContent = hyperpodPlugin.provide(
  createComponentExtension({
    name: 'EntityHyperpodContent',
    // A small synchronous wrapper: it starts the tab's reads as soon as the entity is known and
    // loads the tab's code (a lazy chunk) alongside them.
    component: { sync: ClusterTabLoader },
  }),
);

/** An overview card for a cluster entity: health and the add-ons that need attention. */
export const EntityHyperpodCard = hyperpodPlugin.provide(
  createComponentExtension({
    name: 'EntityHyperpodCard',
    component: {
      lazy: () => import('./components/EntityCard').then((m) => m.EntityHyperpodCard),
    },
  }),
);
