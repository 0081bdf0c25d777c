/**
 * Scenarios seed a fresh sandbox: accounts, clusters, add-ons, Helm releases, IAM, buckets...
 */
import type { Sandbox } from '../Sandbox';
import { demoScenario } from './demo';
import { emptyScenario } from './empty';
import { applyRbacSetting } from './kubeRbac';
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

/** The scenario, seeding then applying the per-cluster `rbac` option (see kubeRbac.ts). */
export function resolveScenario(s: string | Scenario): Scenario {
  const found = typeof s === 'string' ? scenarios[s] : s;
  if (!found) {
    throw new Error(
      `unknown scenario '${s}'; known scenarios: ${Object.keys(scenarios).sort().join(', ')}`,
    );
  }
  return {
    ...found,
    async seed(sandbox, options) {
      await found.seed(sandbox, options);
      applyRbacSetting(sandbox, options);
    },
  };
}
