/**
 * The cluster tab of a cluster entity's page: add-on health, drift and readiness, upgrade
 * requests, and Helm-to-add-on migrations. Loaded lazily by the plugin's `EntityHyperpodContent`.
 */
export { EntityHyperpodContent } from './EntityHyperpodContent';
export type { EntityHyperpodContentProps } from './EntityHyperpodContent';
export { ClusterTab } from './ClusterTab';
export type { ClusterTabProps } from './ClusterTab';
