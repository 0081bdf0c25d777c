/**
 * What a stored migration run's journal says about it, in one word for people: a run whose last
 * entry is not an ending (the process was killed, the machine slept, the terminal closed) was
 * interrupted, whatever step it was in.
 */
import type { MigrationJournalEntry } from '../ports/MigrationStore';

export type MigrationRunState =
  /** Planned; the run never started. */
  | 'planned'
  | 'succeeded'
  | 'failed'
  | 'aborted'
  | 'rolled-back'
  | 'rollback-failed'
  /** Stopped (or still running elsewhere) mid-run: resume it or roll it back. */
  | 'interrupted'
  /** Stopped mid-rollback: run the rollback again. */
  | 'rollback-interrupted';

export function migrationRunState(
  lastEvent: MigrationJournalEntry['type'] | undefined,
): MigrationRunState {
  switch (lastEvent) {
    case undefined:
      return 'planned';
    case 'run-succeeded':
      return 'succeeded';
    case 'run-failed':
      return 'failed';
    case 'run-aborted':
      return 'aborted';
    case 'rollback-done':
      return 'rolled-back';
    case 'rollback-failed':
      return 'rollback-failed';
    case 'rollback-started':
      return 'rollback-interrupted';
    case 'run-started':
    case 'action-started':
    case 'action-done':
    case 'action-skipped':
      return 'interrupted';
  }
}

/** Journal entries after which a run (or its rollback) has nothing more to do. */
export const FINAL_JOURNAL_TYPES: ReadonlySet<MigrationJournalEntry['type']> = new Set([
  'run-succeeded',
  'run-failed',
  'run-aborted',
  'rollback-done',
  'rollback-failed',
]);

const AT_REST: Record<Exclude<MigrationRunState, 'rollback-interrupted'>, string> = {
  planned: 'not started',
  succeeded: 'succeeded',
  failed: 'failed',
  aborted: 'aborted',
  'rolled-back': 'rolled back',
  'rollback-failed': 'rollback failed',
  // Another backend replica may be running it: keep following.
  interrupted: 'in progress',
};

/**
 * Where a run stands, in words, from its last journal entry and whether the answering process is
 * at it (`active`). Active after a final entry means a rollback of it has just been started.
 */
export function migrationRunStatusText(
  last: MigrationJournalEntry['type'] | undefined,
  active: boolean,
): string {
  if (last === undefined) return active ? 'starting' : 'not started';
  const state = migrationRunState(last);
  if (state === 'rollback-interrupted') return 'rolling back';
  if (active) {
    if (last === 'run-failed') return 'failed, rolling back';
    return FINAL_JOURNAL_TYPES.has(last) ? 'rolling back' : 'running';
  }
  return AT_REST[state];
}
