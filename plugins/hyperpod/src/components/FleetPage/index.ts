/** The fleet page: all clusters × add-ons, filterable. */
export { HyperpodFleetPage } from './HyperpodFleetPage';
