import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { migrationRunState } from './migrationRunState';

describe('migrationRunState', () => {
  it('a journal that ends mid-run is interrupted, not the type of its last entry', () => {
    for (const last of ['run-started', 'action-started', 'action-done', 'action-skipped'] as const)
      expect(migrationRunState(last)).toBe('interrupted');
    expect(migrationRunState('rollback-started')).toBe('rollback-interrupted');
  });

  it('an ending names how the run ended', () => {
    const endings: [MigrationJournalEntry['type'] | undefined, string][] = [
      [undefined, 'planned'],
      ['run-succeeded', 'succeeded'],
      ['run-failed', 'failed'],
      ['run-aborted', 'aborted'],
      ['rollback-done', 'rolled-back'],
      ['rollback-failed', 'rollback-failed'],
    ];
    for (const [last, state] of endings) expect(migrationRunState(last)).toBe(state);
  });
});
