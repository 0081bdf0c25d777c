/**
 * `kubectl hyperpod migrate history` as a kubectl-style table, newest run first.
 */
import { migrationRunState, type MigrationRunSummary } from '@hyperpod/core';
import { paint } from './colour';
import type { FormatOptions } from './formatStatus';
import { cell, renderTable } from './renderTable';

/** Second precision reads better in a table; the JSON keeps the full timestamp. */
const short = (iso: string | undefined) => iso?.replace(/\.\d+Z$/, 'Z');

export function formatMigrationHistory(runs: MigrationRunSummary[], opts: FormatOptions): string {
  if (runs.length === 0) return 'No migration runs.\n';
  const head = [
    'RUN',
    'CLUSTER',
    'PROFILE',
    'CREATED',
    'STATE',
    'LAST EVENT',
    ...(opts.wide ? ['UPDATED', 'CLUSTER-ARN'] : []),
  ];
  const rows = runs.map((r) => [
    r.runId,
    r.clusterName,
    r.profile,
    cell(short(r.createdAt)),
    migrationRunState(r.lastEvent),
    cell(r.lastEvent),
    ...(opts.wide ? [cell(short(r.updatedAt)), cell(r.clusterArn)] : []),
  ]);
  return renderTable(head, rows, {
    decorate: opts.colour
      ? (i, t) => {
          if (i !== 4) return t;
          if (t === 'succeeded' || t === 'rolled-back') return paint('green', t);
          if (t === 'failed' || t === 'rollback-failed') return paint('red', t);
          if (t === 'aborted' || t.endsWith('interrupted')) return paint('yellow', t);
          return t;
        }
      : undefined,
  });
}
