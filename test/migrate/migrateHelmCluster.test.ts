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
    console.log(
      plan.steps.map((s) => s.id + ': ' + s.actions.map((a) => a.summary).join(' | ')).join('\n'),
      plan.warnings,
      plan.dependencies,
    );
    expect(plan.blockers).toEqual([]);
    const store = new InMemoryMigrationStore();
    const events: MigrationEvent[] = [];
    const out = await startMigration(
      plan,
      'run-1',
      testDeps(g, store, { onEvent: (e) => events.push(e) }),
    );
    console.log(out, events.map((e) => `${e.type} ${e.message}`).join('\n'));
    expect(out.status).toBe('succeeded');
    const rb = await rollbackMigration('run-1', testDeps(g, store));
    console.log(rb);
    const diff = sb.diff(before);
    console.log(
      diff
        .map(
          (x) =>
            x.path +
            ' :: ' +
            JSON.stringify(x.before)?.slice(0, 150) +
            ' => ' +
            JSON.stringify(x.after)?.slice(0, 150),
        )
        .join('\n'),
    );
    expect(diff).toEqual([]);
  });
});
