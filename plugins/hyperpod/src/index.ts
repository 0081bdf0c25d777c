/**
 * @hyperpod/plugin-hyperpod: EKS add-on health, version drift, migrations and upgrade requests
 * in Backstage.
 */
export {
  hyperpodPlugin,
  HyperpodFleetPage,
  EntityHyperpodContent,
  EntityHyperpodCard,
} from './plugin';
export { hyperpodApiRef } from './api/HyperpodApi';
export type { HyperpodApi, ListRequestsFilter } from './api/HyperpodApi';
export { HyperpodClient } from './api/HyperpodClient';
export { isHyperpodClusterEntity, clusterIdOfEntity } from './components/common/entityCluster';
export { fleetRouteRef } from './routes';
