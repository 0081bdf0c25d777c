/**
 * Runs a MigrationPlan, and undoes it. One executor for every face (CLI, portal backend):
 *
 * - takes the cluster's migration lock (a Lease held by this process, never shared with another
 *   process, even one working on the same run) and proves it still holds it before every action
 *   (fencing): a run whose lease was lost stops, journals why and changes nothing more;
 * - writes the backup before the first change (takeBackup);
 * - journals each action as started and done, so a crashed or interrupted run resumes where it
 *   stopped (every action is idempotent: done twice is done once; runMigration);
 * - on failure rolls back (or stops, `onFailure: 'stop'`) and asks before each step when a
 *   `confirm` callback is given.
 *
 * Rollback (rollbackToBackup) converges the cluster to the backup, whatever point the run
 * reached. Each action kind's perform and undo sit side by side in ./actions.
 *
 * This file holds the entry points: start, resume and roll back a run.
 */
import type { ExecuteMigrationDeps } from './ExecuteMigrationDeps';
import type { MigrationBackup } from './MigrationBackup';
import type { MigrationOutcome } from './MigrationOutcome';
import { checkMigrationPlan, type MigrationPlan } from './MigrationPlan';
import { MigrationRun } from './MigrationRun';
import { MigrationLock } from './migrationLock';
import { rollbackToBackup } from './rollbackToBackup';
import { runMigration } from './runMigration';

/** Records a new run (plan checked, blockers refused) and runs it. */
export async function startMigration(
  plan: MigrationPlan,
  runId: string,
  deps: ExecuteMigrationDeps,
): Promise<MigrationOutcome> {
  const check = checkMigrationPlan(plan);
  if (!check.valid) throw new Error(`not a valid migration plan: ${check.errors.join('; ')}`);
  const location = deps.store.location(runId);
  if (plan.blockers.length > 0)
    return {
      runId,
      status: 'refused',
      message: `the plan has ${plan.blockers.length} blocker(s): ${plan.blockers.join('; ')}`,
      location,
      rollbackErrors: [],
    };
  const run = new MigrationRun(runId, plan, deps);
  // A run another one holds the cluster against leaves no record behind.
  await MigrationLock.check(deps.kube, runId, run.leaseOptions());
  await deps.store.create(runId, plan, {
    clusterName: plan.cluster.name,
    clusterArn: plan.cluster.arn,
    profile: plan.profile,
    createdAt: run.now().toISOString(),
  });
  return runMigration(run, []);
}

/** Continues a run from its journal. */
export async function resumeMigration(
  runId: string,
  deps: ExecuteMigrationDeps,
): Promise<MigrationOutcome> {
  const stored = await deps.store.read(runId);
  if (!stored) throw new Error(`no migration run ${runId} in ${deps.store.location(runId)}`);
  const check = checkMigrationPlan(stored.plan);
  if (!check.valid)
    throw new Error(`run ${runId}: stored plan is not valid: ${check.errors.join('; ')}`);
  const last = stored.journal[stored.journal.length - 1]?.type;
  if (last === 'run-succeeded') {
    // Finished: only the lock may be left (the process died releasing it).
    const lock = await MigrationLock.acquire(deps.kube, deps.holder ?? deps.actor, runId, {
      ...deps.lease,
      ...(deps.now ? { now: deps.now } : {}),
    });
    await lock.release();
    return {
      runId,
      status: 'succeeded',
      message: `run ${runId} had already finished: nothing left to do`,
      location: deps.store.location(runId),
      rollbackErrors: [],
    };
  }
  if (last === 'rollback-done' || last === 'rollback-started' || last === 'rollback-failed')
    throw new Error(
      `run ${runId} was rolled back${last === 'rollback-done' ? '' : ' partly'}: it cannot be resumed; start a new migration${last === 'rollback-done' ? '' : ` after finishing the rollback (kubectl hyperpod migrate rollback --run ${runId})`}`,
    );
  return runMigration(new MigrationRun(runId, stored.plan as MigrationPlan, deps), stored.journal);
}

/** Rolls a run back to its backup, from whatever point it reached. */
export async function rollbackMigration(
  runId: string,
  deps: ExecuteMigrationDeps,
): Promise<MigrationOutcome> {
  const stored = await deps.store.read(runId);
  if (!stored) throw new Error(`no migration run ${runId} in ${deps.store.location(runId)}`);
  const run = new MigrationRun(runId, stored.plan as MigrationPlan, deps);
  const location = deps.store.location(runId);
  if (!stored.backup) {
    // Nothing was changed before the backup is written; only the lock may be left.
    run.lock = await run.acquireLock();
    await run.lock.release();
    await run.journal({
      type: 'rollback-done',
      message: 'nothing to roll back: the run stopped before any change',
    });
    return {
      runId,
      status: 'rolled-back',
      message: 'nothing had changed',
      location,
      rollbackErrors: [],
    };
  }
  run.lock = await run.acquireLock();
  try {
    const errors = await rollbackToBackup(run, stored.backup as MigrationBackup, stored.journal);
    return {
      runId,
      status: errors.length ? 'failed' : 'rolled-back',
      message: errors.length
        ? `rollback left ${errors.length} thing(s) to fix`
        : 'rolled back to the backup',
      location,
      rollbackErrors: errors,
    };
  } finally {
    await run.lock.release().catch(() => run.lock?.abandon());
  }
}
