/**
 * The replicas' shared memory of each account and region's learned rate: the Backstage cache
 * service (Redis in production, so every replica reads what the others learned; memory in a
 * single process). Kept a week after the last write: a limit is a property of the account and
 * changes rarely.
 */
import type { CacheService } from '@backstage/backend-plugin-api';
import type { PacingStore, SharedPacing } from '@hyperpod/core';

// The plugin's name first: some stores (valkey) share one key space between plugins.
const PREFIX = 'hyperpod:pacing:v1:';
const TTL_MS = 7 * 24 * 3600_000;

export class CachePacingStore implements PacingStore {
  constructor(private readonly cache: CacheService) {}

  async read(scope: string): Promise<SharedPacing | undefined> {
    return (await this.cache.get(PREFIX + scope)) as SharedPacing | undefined;
  }

  async write(scope: string, value: SharedPacing): Promise<void> {
    await this.cache.set(PREFIX + scope, value as never, { ttl: TTL_MS });
  }
}
