import { randomUUID } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { Pacer } from '@hyperpod/core';
import { CachePacingStore } from './CachePacingStore';

/**
 * Two replicas = two pacers, each with its own Backstage cache client. On Redis (the production
 * store) each replica also has its own connection, as separate processes do; the memory store
 * is shared within one process only, so there both clients come from one manager.
 */
const stores: [string, { store: string; connection?: string }][] = [
  ['memory', { store: 'memory' }],
  // Redis at 127.0.0.1:6379 (ENVIRONMENT.md), through Backstage's valkey store (the Redis protocol).
  ['redis', { store: 'valkey', connection: 'redis://127.0.0.1:6379' }],
];

describe.each(stores)('CachePacingStore on the %s cache', (_name, cacheConfig) => {
  const pluginId = 'hyperpod';
  // Redis outlives the test: a scope of this run's own, deleted at the end.
  const SCOPE = `111111111111/us-east-1/test-${randomUUID()}`;
  const managers: CacheManager[] = [];
  const manager = () => {
    const m = CacheManager.fromConfig(new ConfigReader({ backend: { cache: cacheConfig } }));
    managers.push(m);
    return m;
  };
  // The manager keeps one store (a Redis connection) per plugin; closing it lets jest exit.
  afterAll(async () => {
    for (const m of managers)
      await (m as unknown as { getClientWithTtl(id: string): { disconnect(): Promise<void> } })
        .getClientWithTtl(pluginId)
        .disconnect();
  });
  const shared = manager();
  const replicaCache = () =>
    (cacheConfig.store === 'memory' ? shared : manager()).forPlugin(pluginId);

  const until = async (ok: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 100 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('shares what one replica learned with another, and splits a scope between live replicas', async () => {
    const storeA = new CachePacingStore(replicaCache());
    const a = new Pacer({ store: storeA, memberId: 'a' });
    const b = new Pacer({ store: new CachePacingStore(replicaCache()), memberId: 'b' });

    // a is throttled: 10 → 9 requests/s, published at once.
    a.throttled(await a.take(SCOPE));
    await until(async () => (await storeA.read(SCOPE))?.state.ceiling === 10);

    // b joins: it starts from a's cut, and counts a among the live members.
    await b.take(SCOPE);
    expect(b.state(SCOPE)).toMatchObject({ rate: 9, ceiling: 10 });
    expect(b.rate(SCOPE)).toBe(4.5);

    // a leaves; b's next sync (every second) finds itself alone again.
    await a.close();
    await new Promise((r) => setTimeout(r, 1_050));
    await b.take(SCOPE);
    await until(() => b.rate(SCOPE) === 9);
    expect(b.rate(SCOPE)).toBe(9);
    await b.close();
    await replicaCache().delete(`hyperpod:pacing:v1:${SCOPE}`);
  });
});
