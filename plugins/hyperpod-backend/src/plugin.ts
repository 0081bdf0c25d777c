/**
 * The hyperpod backend plugin (pluginId `hyperpod`) on Backstage's new backend system: wires the
 * core services to the fleet, the request store, the executor and the router, and schedules the
 * shared fleet scan (global: one replica at a time) and the executor's poll (every replica; the
 * database claim keeps each request to one).
 */
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { hyperpodPermissions } from '@hyperpod/core';
import { readHyperpodConfig } from './service/config';
import { FleetGateways } from './service/FleetGateways';
import { FleetService } from './service/FleetService';
import { ClusterAccess, clusterResourceRef, hyperpodClusterRules } from './service/permissions';
import { createRouter } from './service/router';
import { redactingLogger } from './service/redactingLogger';
import { UpgradeExecutor } from './service/UpgradeExecutor';
import { migrateDatabase } from './database/migrations';
import { RequestStore } from './database/RequestStore';
import { IdempotencyStore } from './database/IdempotencyStore';
import { KnexMigrationStore } from './database/KnexMigrationStore';

export const hyperpodPlugin = createBackendPlugin({
  pluginId: 'hyperpod',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        auditor: coreServices.auditor,
      },
      async init({
        rootConfig,
        database,
        scheduler,
        cache,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        auditor,
        logger: rawLogger,
      }) {
        const logger = redactingLogger(rawLogger);
        const config = readHyperpodConfig(rootConfig);
        const db = await database.getClient();
        if (!database.migrations?.skip) await migrateDatabase(db);

        const gateways = new FleetGateways(config);
        const requests = new RequestStore(db);
        const fleet = new FleetService({
          config,
          db,
          gateways,
          cache,
          logger,
          openRequests: () => requests.openCounts(),
        });
        const executor = new UpgradeExecutor({
          store: requests,
          fleet,
          gateways,
          config,
          logger,
          auditor,
          onChange: () => fleet.invalidate(),
        });

        permissionsRegistry.addResourceType({
          resourceRef: clusterResourceRef,
          permissions: hyperpodPermissions,
          rules: Object.values(hyperpodClusterRules),
          getResources: async (refs) => {
            const all = await fleet.list();
            return refs.map((r) => all.find((e) => e.cluster.id === r)?.cluster);
          },
        });

        httpRouter.use(
          await createRouter({
            config,
            auditor,
            httpAuth,
            logger,
            access: new ClusterAccess(permissions),
            fleet,
            gateways,
            requests,
            idempotency: new IdempotencyStore(db),
            executor,
            migrations: new KnexMigrationStore(db),
          }),
        );

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        await scheduler.scheduleTask({
          id: 'hyperpod-fleet-scan',
          frequency: { milliseconds: config.scan.frequencyMs },
          timeout: { milliseconds: Math.max(config.scan.frequencyMs, 5 * 60_000) },
          scope: 'global',
          fn: async () => {
            await fleet.scan();
          },
        });
        if (config.executor.enabled)
          await scheduler.scheduleTask({
            id: 'hyperpod-upgrade-executor',
            frequency: { milliseconds: config.executor.pollMs },
            timeout: { minutes: 5 },
            scope: 'local',
            fn: () => executor.tick(),
          });

        logger.info(
          `hyperpod: ${config.clusters.length} configured clusters, ${config.discover.length} discovery sources; executor ${executor.instanceId}`,
        );
        lifecycle.addShutdownHook(async () => {
          executor.stop();
          await db.destroy();
        });
      },
    });
  },
});
