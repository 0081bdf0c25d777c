import { createRouteRef } from '@backstage/core-plugin-api';

/** The fleet page (all clusters). */
export const fleetRouteRef = createRouteRef({ id: 'hyperpod:fleet' });
