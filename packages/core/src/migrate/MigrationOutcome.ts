/** How a migration run (started, resumed or rolled back) ended, as every face reports it. */

export type MigrationStatus = 'succeeded' | 'rolled-back' | 'failed' | 'aborted' | 'refused';

export interface MigrationOutcome {
  runId: string;
  status: MigrationStatus;
  message: string;
  /** Where the backup and journal are. */
  location: string;
  failedAction?: string;
  error?: string;
  /** Rollback problems (each a thing left to do by hand). */
  rollbackErrors: string[];
}
