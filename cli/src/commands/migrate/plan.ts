import type { MigrationPlan } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { ExitCode } from '../../exitCodes';
import { MigrationCommand } from '../../migrate/MigrationCommand';
import { PLAN_FLAGS, profileArg } from '../../migrate/migrationFlags';
import { outputFlag } from '../../outputFlag';

export default class MigratePlan extends MigrationCommand<typeof MigratePlan> {
  static override summary = 'Print the migration plan for one cluster; change nothing.';
  static override description = `Reads ONE cluster (the current context unless --context, --cluster or a one-cluster --fleet says otherwise) and prints the plan \`kubectl hyperpod migrate\` would run: every step and action with how a rollback undoes it, the add-on configuration derived from the Helm values, dropped values, warnings and blockers. Nothing is changed.

-o json|yaml prints the plan document (a versioned contract: schemaVersion, JSON Schema MIGRATION_PLAN_JSON_SCHEMA of @hyperpod/core). The plan is printed either way; a plan with blockers exits 7, so a script can gate on it.

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.MigrationBlocked])}`;

  static override args = { profile: profileArg };

  static override flags = {
    ...PLAN_FLAGS,
    output: outputFlag('Output format of the plan.'),
  };

  static override examples = [
    {
      description: 'The plan for the current context’s cluster',
      command: 'kubectl hyperpod migrate plan',
    },
    {
      description: 'As YAML, for review in a pull request',
      command: 'kubectl hyperpod migrate plan --cluster ml-prod-use1 -o yaml > plan.yaml',
    },
  ];

  protected override get planStream(): NodeJS.WritableStream {
    return process.stdout;
  }

  async run(): Promise<MigrationPlan> {
    this.checkPlanFlags();
    const target = await this.oneTarget();
    const gateways = await this.gatewaysFor(target);
    const plan = await this.discoverAndPlan(this.args.profile, target, gateways);
    await this.printPlan(plan, this.planStream);
    if (plan.blockers.length > 0) {
      const e = this.blocked(
        plan,
        `${this.planCommandLine(this.args.profile)}  # after resolving them`,
      );
      process.stderr.write(e.render());
      process.exitCode = e.exitCode;
    }
    return plan;
  }
}
