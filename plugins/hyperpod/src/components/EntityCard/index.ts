/** The cluster entity's overview card: health and the add-ons that need attention. */
export { EntityHyperpodCard } from './EntityHyperpodCard';
export type { EntityHyperpodCardProps } from './EntityHyperpodCard';
