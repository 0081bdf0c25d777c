/**
 * MigrationStore in memory, for tests of the executor and the faces. Data goes in and comes out as
 * JSON copies (as through a file), and it refuses what FileMigrationStore refuses: a run id that is
 * not a plain name, a second create or backup of the same run, a write to a run that does not exist.
 */
import { GatewayError } from '../ports/GatewayError';
import { MIGRATION_RUN_ID, newestRunFirst } from '../ports/MigrationStore';
import type {
  MigrationJournalEntry,
  MigrationRunSummary,
  MigrationStore,
  StoredMigrationRun,
} from '../ports/MigrationStore';
import { clone } from './clone';
import { FakeFaults } from './FakeFaults';

/** The same rule as FileMigrationStore's, so ids that pass here pass on disk. */
const RUN_ID = MIGRATION_RUN_ID;

interface Run {
  plan: unknown;
  summary: MigrationRunSummary;
  backup?: { value: unknown };
  journal: MigrationJournalEntry[];
}

export class InMemoryMigrationStore implements MigrationStore {
  readonly faults = new FakeFaults();
  private readonly runs = new Map<string, Run>();

  async create(
    runId: string,
    plan: unknown,
    summary: Omit<MigrationRunSummary, 'runId'>,
  ): Promise<void> {
    this.check(runId, 'create run');
    if (this.runs.has(runId)) {
      throw new GatewayError(
        'Conflict',
        `migration run ${runId} already exists`,
        'store',
        'create run',
      );
    }
    // The journal, not the caller, says what happened last.
    const { lastEvent: _lastEvent, updatedAt: _updatedAt, ...rest } = summary;
    this.runs.set(runId, { plan: clone(plan), summary: clone({ runId, ...rest }), journal: [] });
  }

  async writeBackup(runId: string, backup: unknown): Promise<void> {
    const run = this.existing(runId, 'write backup');
    if (run.backup) {
      throw new GatewayError(
        'Conflict',
        `migration run ${runId} already has a backup; a backup is never replaced`,
        'store',
        'write backup',
      );
    }
    run.backup = { value: clone(backup) };
  }

  async append(runId: string, entry: MigrationJournalEntry): Promise<void> {
    this.existing(runId, 'append journal').journal.push(clone(entry));
  }

  async read(runId: string): Promise<StoredMigrationRun | undefined> {
    this.check(runId, 'read run');
    const run = this.runs.get(runId);
    if (!run) return undefined;
    return {
      runId,
      plan: clone(run.plan),
      ...(run.backup ? { backup: clone(run.backup.value) } : {}),
      journal: clone(run.journal),
    };
  }

  async list(filter: { clusterArn?: string } = {}): Promise<MigrationRunSummary[]> {
    this.faults.check('store', 'list runs');
    const out: MigrationRunSummary[] = [];
    for (const run of this.runs.values()) {
      if (filter.clusterArn !== undefined && run.summary.clusterArn !== filter.clusterArn) continue;
      const last = run.journal[run.journal.length - 1];
      out.push({
        ...clone(run.summary),
        ...(last ? { lastEvent: last.type, updatedAt: last.at } : {}),
      });
    }
    return out.sort(newestRunFirst);
  }

  location(runId: string): string {
    validRunId(runId, 'locate run');
    return `memory:migrations/${runId}`;
  }

  private check(runId: string, operation: string): void {
    validRunId(runId, operation);
    this.faults.check('store', operation);
  }

  private existing(runId: string, operation: string): Run {
    this.check(runId, operation);
    const run = this.runs.get(runId);
    if (!run) {
      throw new GatewayError('NotFound', `no migration run ${runId}`, 'store', operation);
    }
    return run;
  }
}

function validRunId(runId: string, operation: string): void {
  if (!RUN_ID.test(runId)) {
    throw new GatewayError(
      'InvalidParameter',
      `invalid migration run id ${JSON.stringify(runId)}: expected lowercase letters, digits and '-' (at most 63)`,
      'store',
      operation,
    );
  }
}
