/**
 * The core's MigrationStore on the plugin's database, so portal-started runs are readable from
 * every replica and survive a restart. A run is one row (its plan, and its backup once written),
 * its journal one row per entry appended in order. The backup holds Helm release secrets: it is
 * read back only for a rollback (`read`), never by what the API returns (`view`).
 */
import {
  GatewayError,
  MIGRATION_RUN_ID,
  type MigrationJournalEntry,
  type MigrationRunSummary,
  type MigrationStore,
  type PortalCluster,
  type StoredMigrationRun,
} from '@hyperpod/core';
import type { Knex } from 'knex';

interface RunRow {
  run_id: string;
  cluster_id: string;
  cluster_json: string;
  cluster_name: string;
  cluster_arn: string;
  profile: string;
  started_by: string;
  created_at: string;
  plan_json: string;
  backup_json: string | null;
}

interface JournalRow {
  seq: number;
  run_id: string;
  at: string;
  type: MigrationJournalEntry['type'];
  entry_json: string;
}

/** A run as the portal shows it: everything but the backup. */
export interface MigrationRunRecord {
  summary: MigrationRunSummary;
  cluster: PortalCluster;
  startedBy: string;
  plan: unknown;
  journal: MigrationJournalEntry[];
  hasBackup: boolean;
}

const RUNS = 'hyperpod_migration_runs';
const JOURNAL = 'hyperpod_migration_journal';

export class KnexMigrationStore {
  constructor(private readonly db: Knex) {}

  /** The MigrationStore the executor uses for runs started on `cluster` by `startedBy`. */
  forCluster(cluster: PortalCluster, startedBy: string): MigrationStore {
    return {
      create: (runId, plan, summary) => this.create(runId, plan, summary, cluster, startedBy),
      writeBackup: (runId, backup) => this.writeBackup(runId, backup),
      append: (runId, entry) => this.append(runId, entry),
      read: (runId) => this.read(runId),
      list: (filter) => this.list(filter),
      location: (runId) => this.location(runId),
    };
  }

  async create(
    runId: string,
    plan: unknown,
    summary: Omit<MigrationRunSummary, 'runId'>,
    cluster: PortalCluster,
    startedBy: string,
  ): Promise<void> {
    valid(runId, 'create run');
    try {
      await this.db<RunRow>(RUNS).insert({
        run_id: runId,
        cluster_id: cluster.id,
        cluster_json: JSON.stringify(cluster),
        cluster_name: summary.clusterName,
        cluster_arn: summary.clusterArn,
        profile: summary.profile,
        started_by: startedBy,
        created_at: summary.createdAt,
        plan_json: JSON.stringify(plan),
        backup_json: null,
      });
    } catch (e) {
      if (await this.exists(runId))
        throw new GatewayError(
          'Conflict',
          `migration run ${runId} already exists`,
          'store',
          'create run',
        );
      throw e;
    }
  }

  async writeBackup(runId: string, backup: unknown): Promise<void> {
    valid(runId, 'write backup');
    // Conditional: a backup is written once and never replaced.
    const n = await this.db<RunRow>(RUNS)
      .where({ run_id: runId })
      .whereNull('backup_json')
      .update({ backup_json: JSON.stringify(backup) });
    if (n === 1) return;
    if (!(await this.exists(runId)))
      throw new GatewayError('NotFound', `no migration run ${runId}`, 'store', 'write backup');
    throw new GatewayError(
      'Conflict',
      `migration run ${runId} already has a backup; a backup is never replaced`,
      'store',
      'write backup',
    );
  }

  async append(runId: string, entry: MigrationJournalEntry): Promise<void> {
    valid(runId, 'append journal');
    if (!(await this.exists(runId)))
      throw new GatewayError('NotFound', `no migration run ${runId}`, 'store', 'append journal');
    await this.db<JournalRow>(JOURNAL).insert({
      run_id: runId,
      at: entry.at,
      type: entry.type,
      entry_json: JSON.stringify(entry),
    });
  }

  async read(runId: string): Promise<StoredMigrationRun | undefined> {
    valid(runId, 'read run');
    const row = await this.db<RunRow>(RUNS).where({ run_id: runId }).first();
    if (!row) return undefined;
    return {
      runId,
      plan: JSON.parse(row.plan_json) as unknown,
      ...(row.backup_json !== null ? { backup: JSON.parse(row.backup_json) as unknown } : {}),
      journal: await this.journal(runId),
    };
  }

  /** The run without its backup, for the API. */
  async view(runId: string): Promise<MigrationRunRecord | undefined> {
    valid(runId, 'read run');
    const row = await this.db<RunRow>(RUNS)
      .select(
        'run_id',
        'cluster_id',
        'cluster_json',
        'cluster_name',
        'cluster_arn',
        'profile',
        'started_by',
        'created_at',
        'plan_json',
      )
      .select(this.db.raw('CASE WHEN backup_json IS NULL THEN 0 ELSE 1 END AS has_backup'))
      .where({ run_id: runId })
      .first();
    if (!row) return undefined;
    const journal = await this.journal(runId);
    return {
      summary: summaryOf(row, journal[journal.length - 1]),
      cluster: JSON.parse(row.cluster_json) as PortalCluster,
      startedBy: row.started_by,
      plan: JSON.parse(row.plan_json) as unknown,
      journal,
      hasBackup: Number((row as unknown as { has_backup: number | string }).has_backup) === 1,
    };
  }

  async list(filter: { clusterArn?: string } = {}): Promise<MigrationRunSummary[]> {
    let q = this.newestFirst(
      this.db<RunRow>(RUNS).select(
        'run_id',
        'cluster_name',
        'cluster_arn',
        'profile',
        'created_at',
      ),
    );
    if (filter.clusterArn !== undefined) q = q.where({ cluster_arn: filter.clusterArn });
    return this.summaries(await q);
  }

  /** A portal cluster's runs (by its id), newest first, each with who started it. */
  async listForCluster(
    clusterId: string,
    limit = 100,
  ): Promise<(MigrationRunSummary & { startedBy: string })[]> {
    const rows = await this.newestFirst(
      this.db<RunRow>(RUNS)
        .select('run_id', 'cluster_name', 'cluster_arn', 'profile', 'created_at', 'started_by')
        .where({ cluster_id: clusterId }),
    ).limit(limit);
    const summaries = await this.summaries(rows);
    return summaries.map((s, i) => ({ ...s, startedBy: rows[i]!.started_by }));
  }

  private newestFirst<Q extends Knex.QueryBuilder>(q: Q): Q {
    return q.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'run_id', order: 'desc' },
    ]) as Q;
  }

  /** Each run's summary, with its journal's last event. */
  private async summaries(
    rows: Pick<RunRow, 'run_id' | 'cluster_name' | 'cluster_arn' | 'profile' | 'created_at'>[],
  ): Promise<MigrationRunSummary[]> {
    const out: MigrationRunSummary[] = [];
    for (const row of rows) {
      const last = await this.db<JournalRow>(JOURNAL)
        .select('at', 'type')
        .where({ run_id: row.run_id })
        .orderBy('seq', 'desc')
        .first();
      out.push(summaryOf(row, last));
    }
    return out;
  }

  location(runId: string): string {
    valid(runId, 'locate run');
    return `database:${RUNS}/${runId}`;
  }

  private async journal(runId: string): Promise<MigrationJournalEntry[]> {
    const rows = await this.db<JournalRow>(JOURNAL)
      .select('entry_json')
      .where({ run_id: runId })
      .orderBy('seq', 'asc');
    return rows.map((r) => JSON.parse(r.entry_json) as MigrationJournalEntry);
  }

  private async exists(runId: string): Promise<boolean> {
    return (
      (await this.db<RunRow>(RUNS).select('run_id').where({ run_id: runId }).first()) !== undefined
    );
  }
}

/** A run's summary: its row, and when and what its journal's last event was. */
function summaryOf(
  row: Pick<RunRow, 'run_id' | 'cluster_name' | 'cluster_arn' | 'profile' | 'created_at'>,
  last: Pick<MigrationJournalEntry, 'at' | 'type'> | undefined,
): MigrationRunSummary {
  return {
    runId: row.run_id,
    clusterName: row.cluster_name,
    clusterArn: row.cluster_arn,
    profile: row.profile,
    createdAt: row.created_at,
    ...(last ? { lastEvent: last.type, updatedAt: last.at } : {}),
  };
}

function valid(runId: string, operation: string): void {
  if (!MIGRATION_RUN_ID.test(runId))
    throw new GatewayError(
      'InvalidParameter',
      `invalid migration run id ${JSON.stringify(runId)}: expected lowercase letters, digits and '-' (at most 63)`,
      'store',
      operation,
    );
}
