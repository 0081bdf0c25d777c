/**
 * The hyperpod plugin for apps on Backstage's new frontend system
 * (`import hyperpodPlugin from '@hyperpod/plugin-hyperpod/alpha'`, then add it to `createApp`'s
 * features, or let the app discover it). The same components as the legacy plugin in `plugin.ts`:
 *
 * - `api:hyperpod`: the HyperpodClient on discoveryApi/fetchApi;
 * - `page:hyperpod`: the fleet page at /hyperpod (with a sidebar entry, title and icon);
 * - `entity-content:hyperpod`: the cluster tab on cluster entities (Resource, type
 *   kubernetes-cluster, with the EKS cluster ARN annotation);
 * - `entity-card:hyperpod/overview`: the overview card on the same entities.
 *
 * Paths, titles and filters can be changed in app-config (`app.extensions`), as for any extension.
 */
import { compatWrapper, convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudQueue from '@material-ui/icons/CloudQueue';
import { hyperpodApiRef } from './api/HyperpodApi';
import { HyperpodClient } from './api/HyperpodClient';
import { ClusterTabLoader } from './components/ClusterPage/ClusterTabLoader';
import { isHyperpodClusterEntity } from './components/common/entityCluster';
import { fleetRouteRef } from './routes';

export const hyperpodApi = ApiBlueprint.make({
  params: (defineParams) =>
    defineParams({
      api: hyperpodApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new HyperpodClient({ discoveryApi, fetchApi }),
    }),
});

export const hyperpodFleetPage = PageBlueprint.make({
  params: {
    path: '/hyperpod',
    title: 'EKS fleet',
    icon: <CloudQueue />,
    routeRef: convertLegacyRouteRef(fleetRouteRef),
    loader: () =>
      import('./components/FleetPage').then((m) => compatWrapper(<m.HyperpodFleetPage />)),
  },
});

export const hyperpodEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'hyperpod',
    title: 'Hyperpod',
    filter: isHyperpodClusterEntity,
    // The wrapper starts the tab's reads while the tab's code loads (ClusterTabLoader.tsx).
    loader: async () => compatWrapper(<ClusterTabLoader />),
  },
});

export const hyperpodEntityCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isHyperpodClusterEntity,
    loader: () =>
      import('./components/EntityCard').then((m) => compatWrapper(<m.EntityHyperpodCard />)),
  },
});

export default createFrontendPlugin({
  pluginId: 'hyperpod',
  routes: { fleet: convertLegacyRouteRef(fleetRouteRef) },
  extensions: [hyperpodApi, hyperpodFleetPage, hyperpodEntityContent, hyperpodEntityCard],
});
