/**
 * Scenarios seed a fresh sandbox: accounts, clusters, add-ons, Helm releases, IAM, buckets...
 */
import type { Sandbox } from '../Sandbox';
import {
  applyAuthorization,
  authorizationSettings,
  type ScenarioAuthorization,
} from './authorization';
import { demoScenario } from './demo';
import { emptyScenario } from './empty';
import { applyRbacSetting } from './kubeRbac';
import { largeScenario } from './large';

export interface Scenario {
  name: string;
  description: string;
  seed(sandbox: Sandbox, options: Record<string, unknown>): Promise<void>;
  /**
   * Accounts (alias or id) whose AWS calls are evaluated against IAM policies, and the policies
   * their users hold. Default: none, every known key is an administrator.
   */
  authorization?: ScenarioAuthorization;
}

export type { AccountAuthorization, ScenarioAuthorization } from './authorization';

export const scenarios: Record<string, Scenario> = {
  [demoScenario.name]: demoScenario,
  [emptyScenario.name]: emptyScenario,
  [largeScenario.name]: largeScenario,
};

/**
 * The scenario a name (or object) stands for, seeding then applying its IAM enforcement (the
 * definition's `authorization`, overridden per account by the start option `authorization`,
 * see authorization.ts) and the per-cluster `rbac` option (see kubeRbac.ts).
 */
export function resolveScenario(s: string | Scenario): Scenario {
  const found = typeof s === 'string' ? scenarios[s] : s;
  if (!found) {
    throw new Error(
      `unknown scenario '${s as string}'; known scenarios: ${Object.keys(scenarios).sort().join(', ')}`,
    );
  }
  return {
    ...found,
    async seed(sandbox, options) {
      const settings = authorizationSettings(found.authorization, options);
      await found.seed(sandbox, options);
      applyAuthorization(sandbox, settings);
      applyRbacSetting(sandbox, options);
    },
  };
}
