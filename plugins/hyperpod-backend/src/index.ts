/**
 * @hyperpod/plugin-hyperpod-backend: the Backstage backend plugin for EKS add-on fleets. Add it
 * to a backend with `backend.add(import('@hyperpod/plugin-hyperpod-backend'))`.
 */
export { hyperpodPlugin as default } from './plugin';
export {
  hyperpodClusterConditions,
  createHyperpodClusterConditionalDecision,
  clusterResourceRef,
  isClusterOwner,
} from './service/permissions';
export { readHyperpodConfig, HyperpodConfigError } from './service/config';
export type { HyperpodConfig } from './service/config';
export { catalogModuleHyperpodClusters } from './catalog/catalogModuleHyperpodClusters';
