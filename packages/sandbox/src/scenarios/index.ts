/**
 * Scenarios seed a fresh sandbox: accounts, clusters, add-ons, Helm releases, IAM, buckets...
 */
import type { Sandbox } from '../Sandbox';
import { demoScenario } from './demo';
import { emptyScenario } from './empty';
import { largeScenario } from './large';

export interface Scenario {
  name: string;
  description: string;
  seed(sandbox: Sandbox, options: Record<string, unknown>): Promise<void>;
}

export const scenarios: Record<string, Scenario> = {
  [demoScenario.name]: demoScenario,
  [emptyScenario.name]: emptyScenario,
  [largeScenario.name]: largeScenario,
};

export function resolveScenario(s: string | Scenario): Scenario {
  if (typeof s !== 'string') return s;
  const found = scenarios[s];
  if (!found) {
    throw new Error(
      `unknown scenario '${s}'; known scenarios: ${Object.keys(scenarios).sort().join(', ')}`,
    );
  }
  return found;
}
