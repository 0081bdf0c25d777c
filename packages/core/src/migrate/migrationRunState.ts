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
