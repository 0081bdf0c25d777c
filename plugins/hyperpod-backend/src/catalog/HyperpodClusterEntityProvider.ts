/**
 * Puts the hyperpod fleet into the software catalog. It reads the same `hyperpod.fleet` block as
 * the backend plugin (configured clusters at once; `discover` entries through EKS ListClusters on
 * every refresh) and replaces its whole set of entities each time, so clusters removed from the
 * fleet leave the catalog. Options live under `catalog.providers.hyperpod`.
 */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type LoggerService,
  type SchedulerServiceTaskRunner,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { PortalCluster } from '@hyperpod/core';
import type { HyperpodConfig } from '../service/config';
import { HyperpodConfigError } from '../service/config';
import { configuredFleetTargets } from '../service/configuredFleetTargets';
import { FleetGateways } from '../service/FleetGateways';
import { portalCluster } from '../service/FleetService';
import { fleetEntities, type CatalogUser, type FleetEntitiesOptions } from './fleetEntities';

export interface HyperpodCatalogConfig extends Omit<FleetEntitiesOptions, 'location'> {
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 3 },
};
const ENTITY_REF = /^([a-z]+:)?([\w.-]+\/)?[\w.-]+$/i;

/** `catalog.providers.hyperpod` (every key optional). */
export function readHyperpodCatalogConfig(root: Config): HyperpodCatalogConfig {
  const c = root.getOptionalConfig('catalog.providers.hyperpod');
  const key = 'catalog.providers.hyperpod';
  const ref = (v: string, k: string) => {
    if (!ENTITY_REF.test(v))
      throw new HyperpodConfigError(
        k,
        `"${v}" is not an entity ref like group:default/ml-platform`,
      );
    return v;
  };
  const users = (c?.getOptionalConfigArray('users') ?? []).map((u, i): CatalogUser => {
    const displayName = u.getOptionalString('displayName');
    const email = u.getOptionalString('email');
    return {
      name: ref(u.getString('name'), `${key}.users[${i}].name`),
      memberOf: (u.getOptionalStringArray('memberOf') ?? []).map((g) =>
        ref(g, `${key}.users[${i}].memberOf`),
      ),
      ...(displayName ? { displayName } : {}),
      ...(email ? { email } : {}),
    };
  });
  return {
    defaultOwner: ref(
      c?.getOptionalString('defaultOwner') ?? 'group:default/platform-team',
      `${key}.defaultOwner`,
    ),
    groups: c?.getOptionalBoolean('groups') ?? true,
    users,
    schedule: c?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(c.getConfig('schedule'))
      : DEFAULT_SCHEDULE,
  };
}

/** The fleet's clusters as the portal names them: configured ones, then discovered ones. */
export type FleetLister = () => Promise<PortalCluster[]>;

export function configuredFleetLister(config: HyperpodConfig, logger: LoggerService): FleetLister {
  if (!config.discover.length) {
    const clusters = config.clusters.map(portalCluster);
    return async () => clusters;
  }
  const gateways = new FleetGateways(config);
  return async () =>
    (await configuredFleetTargets(config, gateways, (m) => logger.warn(`catalog: ${m}`))).map(
      portalCluster,
    );
}

export class HyperpodClusterEntityProvider implements EntityProvider {
  private connection: EntityProviderConnection | undefined;

  constructor(
    private readonly deps: {
      list: FleetLister;
      options: Omit<FleetEntitiesOptions, 'location'>;
      logger: LoggerService;
      /** Undefined: refresh only when `refresh()` is called (tests). */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'hyperpod-clusters';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /** Replaces every entity this provider owns with the fleet as it is now. */
  async refresh(): Promise<number> {
    if (!this.connection) throw new Error(`${this.getProviderName()} is not connected`);
    const clusters = await this.deps.list();
    const location = `hyperpod-fleet:${this.getProviderName()}`;
    const entities = fleetEntities(clusters, { ...this.deps.options, location });
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map((entity) => ({ entity, locationKey: location })),
    });
    this.deps.logger.info(
      `catalog: ${clusters.length} hyperpod clusters, ${entities.length - clusters.length} groups and users`,
    );
    return clusters.length;
  }
}
