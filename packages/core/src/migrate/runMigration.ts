/**
 * The run loop: takes the lock, writes the backup before the first change, runs each step's
 * actions (asking first when a `confirm` callback is given), journals each action as started and
 * done, and on failure rolls back (or stops, `onFailure: 'stop'`). A lost lease stops it where it
 * is, without a rollback: another process may be changing the cluster.
 */
import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { performAction } from './actions/performAction';
import type { MigrationBackup } from './MigrationBackup';
import type { MigrationOutcome } from './MigrationOutcome';
import type { MigrationAction, MigrationStep } from './MigrationPlan';
import type { MigrationRun } from './MigrationRun';
import { LeaseLostError } from './migrationLock';
import { rollbackToBackup } from './rollbackToBackup';
import { takeBackup } from './takeBackup';

/** Runs `run`'s plan, skipping the actions `journal` shows done. */
export async function runMigration(
  run: MigrationRun,
  journal: MigrationJournalEntry[],
): Promise<MigrationOutcome> {
  const { deps, plan, runId } = run;
  const location = deps.store.location(runId);
  const done = new Set(
    journal
      .filter((e) => e.type === 'action-done' || e.type === 'action-skipped')
      .map((e) => e.actionId),
  );
  const started = new Set(
    journal.filter((e) => e.type === 'action-started').map((e) => e.actionId),
  );
  run.lock ??= await run.acquireLock();
  deps.onLock?.(run.lock);
  run.emit('lock-acquired', `holding lock ${run.lock.leaseName} as ${run.lock.holderIdentity}`);
  let current: { step: MigrationStep; action?: MigrationAction } | undefined;
  try {
    await run.journal({
      type: 'run-started',
      actor: deps.actor,
      message: journal.length ? 'resumed' : 'started',
    });
    let backup = (await deps.store.read(runId))?.backup as MigrationBackup | undefined;
    if (!backup) {
      backup = await takeBackup(run);
      await deps.store.writeBackup(runId, backup);
      run.emit('backup-written', `backup written to ${location}`);
    }
    for (const [index, step] of plan.steps.entries()) {
      current = { step };
      if (step.actions.every((a) => done.has(a.id))) continue;
      if (deps.confirm) {
        const answer = await deps.confirm(step, index, plan.steps.length);
        if (answer === 'abort') {
          await run.journal({
            type: 'run-aborted',
            stepId: step.id,
            message: 'aborted before this step',
          });
          run.emit('aborted', `aborted before step ${step.title}`, { stepId: step.id });
          return {
            runId,
            status: 'aborted',
            message: `aborted before "${step.title}": resume with kubectl hyperpod migrate --resume ${runId}, or undo with kubectl hyperpod migrate rollback --run ${runId}`,
            location,
            rollbackErrors: [],
          };
        }
        if (answer === 'rollback') {
          const errors = await rollbackToBackup(run, backup, await journalOf(run));
          return rolledBack(run, errors, 'rolled back on request');
        }
      }
      run.emit('step-started', step.title, { stepId: step.id });
      for (const action of step.actions) {
        current = { step, action };
        if (done.has(action.id)) continue;
        await run.lock.assertHeld();
        await run.journal({ type: 'action-started', stepId: step.id, actionId: action.id });
        run.emit('action-started', action.summary, { stepId: step.id, actionId: action.id });
        const result = await performAction(run, action, started.has(action.id));
        const skipped = result && typeof result === 'object' && 'skipped' in result;
        await run.journal({
          type: skipped ? 'action-skipped' : 'action-done',
          stepId: step.id,
          actionId: action.id,
          ...(result !== undefined ? { result } : {}),
        });
        run.emit(
          skipped ? 'action-skipped' : 'action-done',
          skipped
            ? `${action.summary}: ${(result as { skipped: string }).skipped}`
            : action.summary,
          {
            stepId: step.id,
            actionId: action.id,
          },
        );
        done.add(action.id);
      }
      run.emit('step-done', step.title, { stepId: step.id });
    }
    await run.journal({ type: 'run-succeeded' });
    run.emit(
      'succeeded',
      `${plan.target.addonName} ${plan.target.addonVersion} is ACTIVE on ${plan.cluster.name}`,
    );
    return {
      runId,
      status: 'succeeded',
      message: `migrated to ${plan.target.addonName} ${plan.target.addonVersion}`,
      location,
      rollbackErrors: [],
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof LeaseLostError || run.lock.lost) return lockLost(run, current, e);
    const where = current?.action
      ? `${current.step.title}: ${current.action.summary}`
      : (current?.step.title ?? 'before the first step');
    run.emit('failed', `${where}: ${message}`, {
      stepId: current?.step.id,
      actionId: current?.action?.id,
    });
    await journalFailed(run, current, message);
    const stored = await deps.store.read(runId).catch(() => undefined);
    if ((deps.onFailure ?? 'rollback') === 'rollback' && stored?.backup) {
      const errors = await rollbackToBackup(
        run,
        stored.backup as MigrationBackup,
        stored.journal,
      ).catch((re: unknown) => [
        `rollback stopped: ${re instanceof Error ? re.message : String(re)}`,
      ]);
      const out = rolledBack(run, errors, `failed at ${where}: ${message}`);
      return {
        ...out,
        ...(current?.action ? { failedAction: current.action.id } : {}),
        error: message,
      };
    }
    return {
      runId,
      status: 'failed',
      message: `failed at ${where}: ${message}. Resume with kubectl hyperpod migrate --resume ${runId}, or undo with kubectl hyperpod migrate rollback --run ${runId}`,
      location,
      ...(current?.action ? { failedAction: current.action.id } : {}),
      error: message,
      rollbackErrors: [],
    };
  } finally {
    await run.lock.release().catch(() => run.lock?.abandon());
  }
}

/**
 * The lease was lost mid-run: another process may be changing the cluster now, so this one
 * neither continues nor rolls back. The journal says where it stopped.
 */
async function lockLost(
  run: MigrationRun,
  current: { step: MigrationStep; action?: MigrationAction } | undefined,
  e: unknown,
): Promise<MigrationOutcome> {
  const why = run.lock?.lost ?? (e instanceof Error ? e.message : String(e));
  const where = current?.action
    ? `before or during "${current.action.summary}"`
    : `before "${current?.step.title ?? 'the first step'}"`;
  const message = `stopped ${where}: ${why}; this process changed nothing more and did not roll back`;
  run.emit('failed', message, { stepId: current?.step.id, actionId: current?.action?.id });
  await journalFailed(run, current, message);
  return {
    runId: run.runId,
    status: 'failed',
    message: `${message}. See who holds the cluster with kubectl hyperpod migrate history; once no one does, resume with kubectl hyperpod migrate --resume ${run.runId}, or undo with kubectl hyperpod migrate rollback --run ${run.runId}`,
    location: run.deps.store.location(run.runId),
    ...(current?.action ? { failedAction: current.action.id } : {}),
    error: why,
    rollbackErrors: [],
  };
}

/** Journals the run as failed where it stopped; best effort (the store may be what failed). */
function journalFailed(
  run: MigrationRun,
  current: { step: MigrationStep; action?: MigrationAction } | undefined,
  message: string,
): Promise<void> {
  return run
    .journal({
      type: 'run-failed',
      stepId: current?.step.id,
      actionId: current?.action?.id,
      message,
    })
    .catch(() => undefined);
}

function rolledBack(run: MigrationRun, errors: string[], why: string): MigrationOutcome {
  return {
    runId: run.runId,
    status: errors.length ? 'failed' : 'rolled-back',
    message: errors.length
      ? `${why}; rollback left ${errors.length} thing(s) to fix: ${errors.join('; ')}`
      : `${why}; rolled back to the backup`,
    location: run.deps.store.location(run.runId),
    rollbackErrors: errors,
  };
}

async function journalOf(run: MigrationRun): Promise<MigrationJournalEntry[]> {
  return (await run.deps.store.read(run.runId))?.journal ?? [];
}
