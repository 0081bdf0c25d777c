/**
 * A migration plan as shown to people (CLI `-o json|yaml`, the portal): the add-on configuration
 * derived from Helm values, and the configurationValues of each create action, with secrets
 * redacted. The executor keeps using the plan as planned; only what is printed or served changes.
 */
import { redactText, redactValues } from '../helm/redactValues';
import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { redactConfigurationValues } from '../upgrade/redactUpgradeOutcome';
import type { MigrationPlan } from './MigrationPlan';

export function redactMigrationPlan(plan: MigrationPlan): MigrationPlan {
  return {
    ...plan,
    target: { ...plan.target, configuration: redactValues(plan.target.configuration) },
    steps: plan.steps.map((s) => ({
      ...s,
      actions: s.actions.map((a) =>
        a.kind === 'eks.createAddon' && a.configurationValues !== undefined
          ? { ...a, configurationValues: redactConfigurationValues(a.configurationValues) }
          : a,
      ),
    })),
  };
}

/** A run's journal as shown to people: its messages may quote API errors that quote values. */
export function redactMigrationJournal(
  journal: readonly MigrationJournalEntry[],
): MigrationJournalEntry[] {
  return journal.map((e) =>
    e.message === undefined ? e : { ...e, message: redactText(e.message) },
  );
}
