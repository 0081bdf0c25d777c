/**
 * HyperpodApi over HTTP: discoveryApi finds the backend, fetchApi adds the user's token. Errors
 * become ResponseErrors carrying the backend's message (Backstage's error body). Every POST sends
 * a JSON body (`{}` when the endpoint takes no fields), as the API asks.
 */
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AddonVersionsResponse,
  ClusterDetail,
  FleetSummary,
  MigrationPlan,
  MigrationRequestBody,
  MigrationRunItem,
  MigrationRunList,
  MigrationRunStarted,
  MigrationRunView,
  UpgradeRequest,
} from '@hyperpod/core';
import type { HyperpodApi, ListRequestsFilter } from './HyperpodApi';

export class HyperpodClient implements HyperpodApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('hyperpod');
    const sent = method === 'GET' ? undefined : (body ?? {});
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method,
      headers: sent === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(sent === undefined ? {} : { body: JSON.stringify(sent) }),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    if (res.status === 202 || res.status === 204) {
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    return (await res.json()) as T;
  }

  getFleet(): Promise<FleetSummary> {
    return this.call('GET', '/fleet');
  }

  getCluster(cluster: string): Promise<ClusterDetail> {
    return this.call('GET', `/clusters/${encodeURIComponent(cluster)}`);
  }

  async refreshCluster(cluster: string): Promise<void> {
    await this.call('POST', `/clusters/${encodeURIComponent(cluster)}/refresh`);
  }

  getAddonVersions(cluster: string, addon: string): Promise<AddonVersionsResponse> {
    return this.call(
      'GET',
      `/clusters/${encodeURIComponent(cluster)}/addons/${encodeURIComponent(addon)}/versions`,
    );
  }

  async listRequests(filter: ListRequestsFilter = {}): Promise<UpgradeRequest[]> {
    const q = new URLSearchParams();
    if (filter.cluster) q.set('cluster', filter.cluster);
    if (filter.addon) q.set('addon', filter.addon);
    if (filter.state?.length) q.set('state', filter.state.join(','));
    const query = q.toString();
    const r = await this.call<{ items: UpgradeRequest[] }>(
      'GET',
      `/requests${query ? `?${query}` : ''}`,
    );
    return r.items;
  }

  createRequest(input: {
    cluster: string;
    addonName: string;
    target: string;
    reason: string;
  }): Promise<UpgradeRequest> {
    return this.call('POST', '/requests', input);
  }

  decideRequest(
    id: string,
    decision: 'approve' | 'reject' | 'cancel',
    note?: string,
  ): Promise<UpgradeRequest> {
    return this.call(
      'POST',
      `/requests/${encodeURIComponent(id)}/${decision}`,
      note ? { note } : {},
    );
  }

  planMigration(cluster: string, body: MigrationRequestBody = {}): Promise<MigrationPlan> {
    return this.call('POST', `/clusters/${encodeURIComponent(cluster)}/migrations/plan`, body);
  }

  startMigration(cluster: string, body: MigrationRequestBody = {}): Promise<MigrationRunStarted> {
    return this.call('POST', `/clusters/${encodeURIComponent(cluster)}/migrations`, body);
  }

  async listMigrations(cluster: string): Promise<MigrationRunItem[]> {
    const r = await this.call<MigrationRunList>(
      'GET',
      `/clusters/${encodeURIComponent(cluster)}/migrations`,
    );
    return r.items;
  }

  getMigration(runId: string): Promise<MigrationRunView> {
    return this.call('GET', `/migrations/${encodeURIComponent(runId)}`);
  }

  async rollbackMigration(runId: string): Promise<void> {
    await this.call('POST', `/migrations/${encodeURIComponent(runId)}/rollback`);
  }
}
