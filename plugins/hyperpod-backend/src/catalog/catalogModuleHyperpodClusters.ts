/**
 * `catalogModuleHyperpodClusters`: a catalog backend module that adds the fleet's clusters (and
 * their owner groups and the configured users) to the software catalog, so each cluster has an
 * entity page with the hyperpod tab. `backend.add(catalogModuleHyperpodClusters)`.
 */
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readHyperpodConfig } from '../service/config';
import {
  configuredFleetLister,
  HyperpodClusterEntityProvider,
  readHyperpodCatalogConfig,
} from './HyperpodClusterEntityProvider';

export const catalogModuleHyperpodClusters = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'hyperpod-clusters',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
        const { schedule, ...options } = readHyperpodCatalogConfig(config);
        catalog.addEntityProvider(
          new HyperpodClusterEntityProvider({
            list: configuredFleetLister(readHyperpodConfig(config), logger),
            options,
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
          }),
        );
      },
    });
  },
});
