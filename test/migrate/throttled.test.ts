import { discoverMigration, planMigration, startMigration } from '@hyperpod/core';
import type { Sandbox } from '@hyperpod/sandbox';
import { expectMigrated } from './expectMigrated';
import { gatewaysFor, helmSandbox, testDeps } from './support';

/** A deterministic random source (mulberry32), so the faults are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 30 % of the AWS calls throttled or answered 5xx (15 % each), with the SDK's own retries off so
 * the migration's retry layer is what copes: the migration still completes.
 */
describe('migration under throttling and 5xx', () => {
  const CLUSTER = 'ml-throttle-use1';
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER);
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('completes with 30 % of AWS calls failing', async () => {
    const g = gatewaysFor(sb, CLUSTER, 1);
    sb.faults.set({ throttleRate: 0.15, errorRate: 0.15, random: seeded(42) });
    sb.resetAwsCallStats();
    const retry = { attempts: 12, baseDelayMs: 5, maxDelayMs: 50 };
    const plan = planMigration(
      await discoverMigration(
        { ...g, retry },
        { clusterName: CLUSTER, profile: 'hyperpod-inference' },
      ),
      { now: '2026-11-21T00:00:00Z' },
    );
    expect(plan.blockers).toEqual([]);
    let retries = 0;
    const out = await startMigration(
      plan,
      'throttled',
      testDeps(g, undefined, { onEvent: (e) => (retries += e.type === 'retry' ? 1 : 0) }),
    );
    expect(out.status).toBe('succeeded');
    // The faults really happened, and the retries rode them out.
    expect(sb.awsCallStats().total).toBeGreaterThan(100);
    expect(retries).toBeGreaterThan(10);
    sb.faults.set({ throttleRate: 0, errorRate: 0 });
    await expectMigrated(sb, g, plan);
  });
});
