import {
  discoverMigration,
  InMemoryMigrationStore,
  planMigration,
  startMigration,
  rollbackMigration,
  type MigrationEvent,
} from '@hyperpod/core';
import type { Sandbox } from '@hyperpod/sandbox';
import { gatewaysFor, helmSandbox, testDeps } from './support';

describe('migrating a Helm install of the inference operator on the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await helmSandbox();
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('plans, migrates, and rolls back to an identical snapshot', async () => {
    const g = gatewaysFor(sb, 'ml-mig-use1');
    const before = sb.snapshot();
    const d = await discoverMigration(g, {
      clusterName: 'ml-mig-use1',
      profile: 'hyperpod-inference',
    });
    const plan = planMigration(d, { now: '2026-11-21T00:00:00Z' });
    expect(plan.blockers).toEqual([]);
    const store = new InMemoryMigrationStore();
    const events: MigrationEvent[] = [];
    const out = await startMigration(
      plan,
      'run-1',
      testDeps(g, store, { onEvent: (e) => events.push(e) }),
    );
    expect(out.status).toBe('succeeded');
    // Progress: every step started and finished, in plan order, and the wait said what it waited for.
    expect(events.filter((e) => e.type === 'step-done').map((e) => e.stepId)).toEqual(
      plan.steps.map((s) => s.id),
    );
    expect(events.some((e) => e.type === 'waiting' && /is (CREATING|ACTIVE)/.test(e.message))).toBe(
      true,
    );
    const rb = await rollbackMigration('run-1', testDeps(g, store));
    expect(rb).toMatchObject({ status: 'rolled-back', rollbackErrors: [] });
    expect(sb.diff(before)).toEqual([]);
  });
});
