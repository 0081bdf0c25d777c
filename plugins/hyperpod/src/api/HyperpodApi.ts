/**
 * The frontend's view of the hyperpod backend plugin (`/api/hyperpod`): one method per endpoint,
 * returning the contract's types from @hyperpod/core.
 */
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AddonVersionsResponse,
  ClusterDetail,
  FleetSummary,
  MigrationPlan,
  MigrationRequestBody,
  MigrationRunItem,
  MigrationRunStarted,
  MigrationRunView,
  UpgradeRequest,
  UpgradeRequestState,
} from '@hyperpod/core';

export interface ListRequestsFilter {
  cluster?: string;
  addon?: string;
  state?: UpgradeRequestState[];
}

export interface HyperpodApi {
  getFleet(): Promise<FleetSummary>;
  getCluster(cluster: string): Promise<ClusterDetail>;
  refreshCluster(cluster: string): Promise<void>;
  getAddonVersions(cluster: string, addon: string): Promise<AddonVersionsResponse>;
  listRequests(filter?: ListRequestsFilter): Promise<UpgradeRequest[]>;
  createRequest(input: {
    cluster: string;
    addonName: string;
    target: string;
    reason: string;
  }): Promise<UpgradeRequest>;
  decideRequest(
    id: string,
    decision: 'approve' | 'reject' | 'cancel',
    note?: string,
  ): Promise<UpgradeRequest>;
  planMigration(cluster: string, body?: MigrationRequestBody): Promise<MigrationPlan>;
  startMigration(cluster: string, body?: MigrationRequestBody): Promise<MigrationRunStarted>;
  /** The cluster's migration runs, newest first. */
  listMigrations(cluster: string): Promise<MigrationRunItem[]>;
  getMigration(runId: string): Promise<MigrationRunView>;
  rollbackMigration(runId: string): Promise<void>;
}

export const hyperpodApiRef = createApiRef<HyperpodApi>({ id: 'plugin.hyperpod.service' });
