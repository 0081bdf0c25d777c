import {
  InMemoryMigrationStore,
  resumeMigration,
  rollbackMigration,
  startMigration,
  type ExecuteMigrationDeps,
  type MigrationPlan,
  type MigrationStore,
} from '@hyperpod/core';
import type { Sandbox, SandboxSnapshot } from '@hyperpod/sandbox';
import { Crash, crasher } from './crash';
import { expectMigrated } from './expectMigrated';
import { afterLeaseLapsed, gatewaysFor, plannedHelmSandbox, testDeps } from './support';

/**
 * The crash matrix: the run dies right after each of its mutating calls in turn (every step, the
 * lock included). After each crash, `--resume` must finish the migration, and, separately, a
 * rollback must restore the sandbox to a snapshot equal to the one taken before the migration,
 * object by object and tag by tag. One sandbox serves every point: each point ends with a
 * rollback proved exact, so the next starts from the same state.
 */
describe('migration crash matrix on the sandbox', () => {
  const CLUSTER = 'ml-crash-use1';
  let sb: Sandbox;
  let baseline: SandboxSnapshot;
  let plan: MigrationPlan;
  beforeAll(async () => {
    ({ sb, baseline, plan } = await plannedHelmSandbox(CLUSTER, { addonTransitionMs: 5 }));
  });
  afterAll(async () => {
    await sb?.stop();
  });

  /** A dead process reports nothing: whatever the run returns or throws after the crash is ignored. */
  const die = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => {
        if (!(e instanceof Crash)) throw e;
      },
    );

  const deps = (
    g = gatewaysFor(sb, CLUSTER),
    store: MigrationStore = new InMemoryMigrationStore(),
    extra: Partial<ExecuteMigrationDeps> = {},
  ) =>
    testDeps(g, store, {
      wait: { pollMs: 5, timeoutMs: 20_000, degradedGraceMs: 100 },
      ...extra,
    });

  it('resumes to the migrated state and rolls back to the exact snapshot after a crash at every mutating call', async () => {
    expect(plan.blockers).toEqual([]);
    const store = new InMemoryMigrationStore();
    const live = gatewaysFor(sb, CLUSTER);
    // A clean run counts the points.
    const counting = crasher(live, store, Infinity);
    expect(
      (await startMigration(plan, 'count', deps(counting.gateways, counting.store))).status,
    ).toBe('succeeded');
    await expectMigrated(sb, live, plan);
    expect((await rollbackMigration('count', deps(live, store))).status).toBe('rolled-back');
    expect(sb.diff(baseline)).toEqual([]);
    const points = counting.calls.length;
    if (process.env.MATRIX_TRACE)
      process.stderr.write(`${points} points\n${counting.calls.join('\n')}\n`);
    expect(points).toBeGreaterThanOrEqual(40);

    const failures: string[] = [];
    for (let at = 1; at <= points; at++) {
      const where = `#${at} (${counting.calls[at - 1]})`;
      if (process.env.MATRIX_TRACE) process.stderr.write(`${new Date().toISOString()} ${where}\n`);
      // Crash, then roll back.
      const a = crasher(live, store, at);
      await die(startMigration(plan, `rb-${at}`, deps(a.gateways, a.store)));
      expect(a.crashed).toBe(true);
      const rb = await rollbackMigration(`rb-${at}`, deps(live, store, afterLeaseLapsed()));
      if (rb.status !== 'rolled-back')
        failures.push(`${where}: rollback ${rb.status}: ${rb.message}`);
      const d1 = sb.diff(baseline);
      if (d1.length)
        failures.push(`${where}: after rollback ${d1.length} differences, first ${d1[0]!.path}`);
      // Crash, then resume, then roll the finished run back.
      const b = crasher(live, store, at);
      await die(startMigration(plan, `re-${at}`, deps(b.gateways, b.store)));
      expect(b.crashed).toBe(true);
      const re = await resumeMigration(`re-${at}`, deps(live, store, afterLeaseLapsed()));
      if (re.status !== 'succeeded') failures.push(`${where}: resume ${re.status}: ${re.message}`);
      else
        await expectMigrated(sb, live, plan).catch((e: Error) =>
          failures.push(`${where}: resumed state: ${e.message.split('\n')[0]}`),
        );
      await rollbackMigration(`re-${at}`, deps(live, store));
      const d2 = sb.diff(baseline);
      if (d2.length)
        failures.push(
          `${where}: after resume + rollback ${d2.length} differences, first ${d2[0]!.path}`,
        );
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
