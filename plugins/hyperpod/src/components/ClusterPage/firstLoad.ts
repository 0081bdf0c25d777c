/**
 * Fetch while the code loads. The cluster tab's code is a lazy chunk; its reads (the cluster, its
 * upgrade requests, the permissions its sections ask) used to start only once that chunk had
 * loaded and rendered. The plugin's small synchronous wrapper (ClusterTabLoader) starts them as
 * soon as the entity is known, and the tab takes the answers for its first load. Retries,
 * refreshes and reloads always ask the backend again.
 *
 * This module is imported by the wrapper (the app's first bundle) and by the tab (its chunk), so
 * it stays small: types and permission definitions only.
 */
import { usePermission } from '@backstage/plugin-permission-react';
import {
  hyperpodMigrationRunPermission,
  hyperpodUpgradeApprovePermission,
  hyperpodUpgradeRequestPermission,
  type ClusterDetail,
  type UpgradeRequest,
} from '@hyperpod/core';
import type { HyperpodApi } from '../../api/HyperpodApi';

interface FirstLoad {
  startedAt: number;
  cluster?: Promise<ClusterDetail>;
  requests?: Promise<UpgradeRequest[]>;
}

/**
 * A started read is handed out once, and only while it is this fresh: a tab that mounts later
 * (its chunk failed and was retried, say) reads again rather than show an old answer.
 */
export const FIRST_LOAD_MAX_AGE_MS = 10_000;

/** Per API instance (each app, and each test, has its own), per cluster id. */
const started = new WeakMap<HyperpodApi, Map<string, FirstLoad>>();

const quiet = <T>(p: Promise<T>): Promise<T> => {
  // The tab reports a failure when it takes the promise; one never taken must not surface as an
  // unhandled rejection.
  p.catch(() => undefined);
  return p;
};

/** Starts the tab's first reads for a cluster, unless they are already under way. */
export function startClusterFirstLoad(
  api: HyperpodApi,
  clusterId: string,
  now: number = Date.now(),
): void {
  let byCluster = started.get(api);
  if (!byCluster) {
    byCluster = new Map();
    started.set(api, byCluster);
  }
  const existing = byCluster.get(clusterId);
  if (existing && now - existing.startedAt <= FIRST_LOAD_MAX_AGE_MS) return;
  byCluster.set(clusterId, {
    startedAt: now,
    cluster: quiet(api.getCluster(clusterId)),
    requests: quiet(api.listRequests({ cluster: clusterId })),
  });
}

/**
 * The started read of `what` for a cluster, or undefined when none was started, it was already
 * taken, or it is too old; the caller then reads from the API itself.
 */
export function takeClusterFirstLoad<K extends 'cluster' | 'requests'>(
  api: HyperpodApi,
  clusterId: string,
  what: K,
  now: number = Date.now(),
): FirstLoad[K] {
  const byCluster = started.get(api);
  const entry = byCluster?.get(clusterId);
  if (!byCluster || !entry) return undefined;
  const fresh = now - entry.startedAt <= FIRST_LOAD_MAX_AGE_MS;
  const promise = entry[what];
  entry[what] = undefined;
  if (!fresh || (!entry.cluster && !entry.requests)) byCluster.delete(clusterId);
  return fresh ? promise : undefined;
}

/**
 * Asks every permission the tab's sections ask for a cluster, in one batch. usePermission caches
 * answers by permission and resource, so the sections' own calls get them from there.
 */
export function useClusterTabPermissions(clusterId: string): void {
  usePermission({ permission: hyperpodUpgradeRequestPermission, resourceRef: clusterId });
  usePermission({ permission: hyperpodUpgradeApprovePermission, resourceRef: clusterId });
  usePermission({ permission: hyperpodMigrationRunPermission, resourceRef: clusterId });
}
