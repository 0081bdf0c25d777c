/**
 * Where a migration run keeps what it needs to be resumed or undone: its plan, its backup (written
 * once, before the first change) and its journal (appended as it goes). One run, one record, never
 * overwritten. Adapters: FileMigrationStore (core-node: a 0700 directory per run under a root in
 * the user's home), InMemoryMigrationStore (tests).
 */

/** What a run id may be: a directory name and a label value, never a path. */
export const MIGRATION_RUN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One line of a run's journal. */
export interface MigrationJournalEntry {
  /** ISO-8601. */
  at: string;
  type:
    | 'run-started'
    | 'action-started'
    | 'action-done'
    | 'action-skipped'
    | 'run-failed'
    | 'run-succeeded'
    | 'rollback-started'
    | 'rollback-done'
    | 'rollback-failed'
    | 'run-aborted';
  stepId?: string;
  actionId?: string;
  /** What the action learnt that later steps or a rollback need (e.g. the created role's ARN). */
  result?: unknown;
  message?: string;
  /** Who ran it (`user@host`), on run-started and rollback-started. */
  actor?: string;
}

export interface MigrationRunSummary {
  runId: string;
  clusterName: string;
  clusterArn: string;
  profile: string;
  /** ISO-8601 of the run's creation. */
  createdAt: string;
  /** The type of the last journal entry (`run-succeeded`, `rollback-done`...), undefined before it started. */
  lastEvent?: MigrationJournalEntry['type'];
  /** ISO-8601 of the last journal entry. */
  updatedAt?: string;
}

/**
 * The order MigrationStore.list answers in: newest createdAt first (as instants, so offsets and
 * precision do not matter), then by run id.
 */
export function newestRunFirst(a: MigrationRunSummary, b: MigrationRunSummary): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return tb - ta;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

export interface StoredMigrationRun {
  runId: string;
  /** The MigrationPlan as planned (plain data). */
  plan: unknown;
  /** The backup, once written. */
  backup?: unknown;
  journal: MigrationJournalEntry[];
}

export interface MigrationStore {
  /** Records a new run with its plan. Conflict when the run id exists (never overwritten). */
  create(runId: string, plan: unknown, summary: Omit<MigrationRunSummary, 'runId'>): Promise<void>;
  /** Writes the run's backup. Conflict when it already has one (a backup is never replaced). */
  writeBackup(runId: string, backup: unknown): Promise<void>;
  /** Appends to the run's journal (durably: a crash after it returns keeps the entry). */
  append(runId: string, entry: MigrationJournalEntry): Promise<void>;
  /** Undefined when there is no such run. */
  read(runId: string): Promise<StoredMigrationRun | undefined>;
  /** Every run, newest first; `clusterArn` narrows to one cluster. */
  list(filter?: { clusterArn?: string }): Promise<MigrationRunSummary[]>;
  /** Where the run is kept, for messages (a directory path, a database row...). */
  location(runId: string): string;
}
