/**
 * The Backstage backend: the hyperpod plugin, the permission framework with the demo policy, and
 * the defaults (SQLite in memory unless app-config names a database).
 * `node packages/backend/dist/index.js --config app-config.yaml`.
 */
import { createBackend } from '@backstage/backend-defaults';
import permissionBackend from '@backstage/plugin-permission-backend';
import hyperpodBackend from '@hyperpod/plugin-hyperpod-backend';
import { hyperpodDemoPolicyModule } from './policy';

const backend = createBackend();
backend.add(permissionBackend);
backend.add(hyperpodDemoPolicyModule);
backend.add(hyperpodBackend);
void backend.start();
