import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { migrationRunState, migrationRunStatusText } from './migrationRunState';

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

describe('migrationRunStatusText', () => {
  it('tells where a run stands from its last journal entry and whether a process is at it', () => {
    expect(migrationRunStatusText(undefined, true)).toBe('starting');
    expect(migrationRunStatusText(undefined, false)).toBe('not started');
    expect(migrationRunStatusText('action-done', true)).toBe('running');
    expect(migrationRunStatusText('action-done', false)).toBe('in progress');
    expect(migrationRunStatusText('run-failed', true)).toBe('failed, rolling back');
    expect(migrationRunStatusText('run-failed', false)).toBe('failed');
    expect(migrationRunStatusText('run-succeeded', false)).toBe('succeeded');
    // A rollback has just been accepted.
    expect(migrationRunStatusText('run-succeeded', true)).toBe('rolling back');
    expect(migrationRunStatusText('rollback-started', false)).toBe('rolling back');
    expect(migrationRunStatusText('rollback-done', false)).toBe('rolled back');
    expect(migrationRunStatusText('rollback-failed', false)).toBe('rollback failed');
  });
});
