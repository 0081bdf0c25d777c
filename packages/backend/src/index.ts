/**
 * The Backstage backend: the software catalog with the fleet's clusters, sign-in (guest and the
 * demo users), the permission framework with the demo policy, the hyperpod plugin, and the
 * defaults (SQLite in memory unless app-config names a database).
 * `node packages/backend/dist/index.js --config app-config.yaml`.
 */
import { createBackend } from '@backstage/backend-defaults';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import hyperpodBackend, { catalogModuleHyperpodClusters } from '@hyperpod/plugin-hyperpod-backend';
import { authModuleHyperpodDemoProvider } from './demoSignIn';
import { hyperpodDemoPolicyModule } from './policy';

const backend = createBackend();
backend.add(authBackend);
backend.add(guestProvider);
backend.add(authModuleHyperpodDemoProvider);
backend.add(catalogBackend);
backend.add(catalogModuleHyperpodClusters);
backend.add(permissionBackend);
backend.add(hyperpodDemoPolicyModule);
backend.add(hyperpodBackend);
void backend.start();
