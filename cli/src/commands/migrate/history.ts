import type { MigrationRunSummary } from '@hyperpod/core';
import {
  baseFlagsWithout,
  CLUSTER_SELECTION_FLAGS,
  exitCodesHelp,
  FLEET_SCAN_FLAGS,
} from '../../BaseCommand';
import { ExitCode } from '../../exitCodes';
import { usageError } from '../../CliError';
import { formatMigrationHistory } from '../../format/formatMigrationHistory';
import { validateClusterName } from '../../validateNames';
import { MigrationCommand } from '../../migrate/MigrationCommand';
import { STORE_FLAGS } from '../../migrate/migrationFlags';

export default class MigrateHistory extends MigrationCommand<typeof MigrateHistory> {
  static override summary = 'List the migration runs kept on this machine, newest first.';
  static override description = `Every run in the migration store (--backup-dir, else $KUBECTL_HYPERPOD_HOME/migrations, else ~/.local/state/kubectl-hyperpod/migrations): its id, cluster, profile, when it was created and the last event of its journal (run-succeeded, run-failed, rollback-done...). --cluster keeps one cluster's runs. Reads no cluster.

${exitCodesHelp([ExitCode.Ok, ExitCode.Unexpected, ExitCode.Usage, ExitCode.Config])}`;

  // Reads the run store, no cluster: --context, -A and --fleet get their own message (run).
  static override baseFlags = baseFlagsWithout([
    ...CLUSTER_SELECTION_FLAGS.filter((n) => n !== 'cluster'),
    ...FLEET_SCAN_FLAGS,
    'timeout',
  ]);
  static override notApplicable: readonly string[] = [
    'kubeconfig',
    'region',
    'profile',
    'fail-on',
    'timeout',
    'concurrency',
    'rate-limit',
  ];
  static override flags = { ...STORE_FLAGS };

  static override examples = [
    { description: 'Every run', command: 'kubectl hyperpod migrate history' },
    {
      description: 'One cluster’s runs as JSON',
      command: 'kubectl hyperpod migrate history --cluster ml-prod-use1 -o json',
    },
  ];

  async run(): Promise<MigrationRunSummary[]> {
    const f = this.flags;
    const clusters = f.cluster ?? [];
    for (const c of clusters) validateClusterName(c, (v) => this.commandLine.with({ cluster: v }));
    if (f.context !== undefined || f['all-clusters'] || f.fleet !== undefined)
      throw usageError(
        'migrate history reads the run store, not clusters: filter with --cluster NAME',
        this.commandLine.with({ context: undefined, 'all-clusters': undefined, fleet: undefined }),
      );
    const store = await this.store();
    const runs = (await store.list()).filter(
      (r) => clusters.length === 0 || clusters.includes(r.clusterName),
    );
    await this.print(runs, formatMigrationHistory);
    return runs;
  }
}
