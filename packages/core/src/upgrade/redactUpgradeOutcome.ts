/**
 * An UpgradeOutcome fit to print or store where others read it: the captured configuration
 * values (which may hold secrets, as Helm values do) with secret-looking entries redacted.
 */
import { REDACTED, redactValues } from '../helm/redactValues';
import { parseConfigurationValues } from '../scan/configDrift';
import type { UpgradeOutcome } from './UpgradeOutcome';

export function redactUpgradeOutcome(outcome: UpgradeOutcome): UpgradeOutcome {
  const values = outcome.captured?.configurationValues;
  if (outcome.captured === undefined || values === undefined) return outcome;
  return {
    ...outcome,
    captured: { ...outcome.captured, configurationValues: redactConfigurationValues(values) },
  };
}

/** JSON configuration values with secrets redacted; other text (YAML) cannot be sorted: all of it. */
export function redactConfigurationValues(text: string): string {
  const parsed = parseConfigurationValues(text);
  if (parsed === undefined) return text;
  if (typeof parsed === 'string') return REDACTED;
  return JSON.stringify(redactValues(parsed));
}
