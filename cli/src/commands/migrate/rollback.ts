import { Flags } from '@oclif/core';
import type { MigrationOutcome, MigrationPlan } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { ExitCode } from '../../exitCodes';
import { configError } from '../../CliError';
import { MigrationCommand } from '../../migrate/MigrationCommand';
import { RUN_FLAGS, STORE_FLAGS } from '../../migrate/migrationFlags';
import { outputFlag } from '../../outputFlag';

export default class MigrateRollback extends MigrationCommand<typeof MigrateRollback> {
  static override summary = 'Undo a migration run: restore the cluster from its backup.';
  static override description = `Rolls run --run back to the backup it wrote before its first change, from whatever point it reached: add-ons it created deleted, objects restored exactly as saved (replicas included), roles it created deleted, tags put back. Without --run, the newest run of the cluster (the current context unless --context or --cluster says otherwise).

Asks once on a terminal; without one it refuses unless --auto-approve. A run already rolled back is left alone (exit 0). Progress goes to stderr; -o json|yaml prints the outcome on stdout.

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.MigrationBlocked, ExitCode.MigrationFailed])}`;

  static override flags = {
    run: Flags.string({
      summary: 'Run to roll back (default: the newest run of the cluster).',
      helpValue: 'RUN_ID',
    }),
    ...STORE_FLAGS,
    ...RUN_FLAGS,
    output: outputFlag('Output format of the outcome (table: the report on stderr only).'),
  };

  static override examples = [
    {
      description: 'Undo the newest run on the current context’s cluster',
      command: 'kubectl hyperpod migrate rollback',
    },
    {
      description: 'Undo one run, without a prompt',
      command:
        'kubectl hyperpod migrate rollback --run ml-prod-use1-20261121-101500-3rk1hqwuddcznp231i8poqy5o --auto-approve',
    },
  ];

  async run(): Promise<MigrationOutcome | undefined> {
    const f = this.flags;
    this.requireApproval('migrate rollback');
    const store = await this.store();
    let runId = f.run;
    let plan: MigrationPlan | undefined;
    if (runId !== undefined) {
      plan = (await this.storedRun(store, runId, 'run')).plan as MigrationPlan;
    }
    const target = await this.oneTarget(plan?.cluster);
    if (runId === undefined) {
      const runs = (await store.list()).filter((r) =>
        target.arn !== undefined ? r.clusterArn === target.arn : r.clusterName === target.name,
      );
      const newest = runs[0];
      if (!newest)
        throw configError(
          `no migration run of cluster ${target.name} in ${store.root}`,
          `${this.commandLine.bin} migrate history  # every run kept here; then: ${this.commandLine.with({ run: '<run>' })}`,
        );
      runId = newest.runId;
      plan = (await this.storedRun(store, runId, 'run')).plan as MigrationPlan;
    }
    const stored = (await store.read(runId))!;
    const last = stored.journal[stored.journal.length - 1];
    process.stderr.write(
      `run ${runId}: ${plan!.profile} on ${plan!.cluster.name}, planned ${plan!.createdAt}, last event ${last ? `${last.type} at ${last.at}` : '<none>'}\nbackup: ${stored.backup ? store.location(runId) : 'none (the run stopped before any change)'}\n`,
    );
    if (last?.type === 'rollback-done') {
      process.stderr.write(`run ${runId} is already rolled back: nothing to do\n`);
      return undefined;
    }
    if (!f['auto-approve']) {
      const answer = await this.select(`Roll back run ${runId} on ${plan!.cluster.name}?`, [
        { value: 'yes', name: 'yes: restore the cluster from the backup' },
        { value: 'no', name: 'no: leave it as it is' },
      ]);
      if (answer !== 'yes') {
        process.stderr.write('nothing was changed\n');
        return undefined;
      }
    }
    const gateways = await this.gatewaysFor(target);
    const { rollbackMigration } = await import('@hyperpod/core');
    const id = runId;
    const outcome = await this.execute(
      id,
      () => rollbackMigration(id, this.executeDeps(gateways, store, { ask: false })),
      { refusals: true, profile: plan!.profile },
    );
    if (this.output !== 'table') await this.print(outcome, () => '');
    this.report(outcome, ['rolled-back'], plan!.profile);
    return outcome;
  }
}
