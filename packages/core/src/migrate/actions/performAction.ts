/**
 * Performs one action of a plan, by kind. Every action is idempotent (done twice is done once):
 * `wasStarted` says the journal shows it started before, so what it finds may be its own doing.
 */
import type { MigrationAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import type { ActionResult } from './ActionResult';
import * as eksCreateAddon from './eksCreateAddon';
import * as eksWaitActive from './eksWaitActive';
import * as helmMarkMigrated from './helmMarkMigrated';
import * as iamCreateRole from './iamCreateRole';
import * as kubeDelete from './kubeDelete';
import * as kubeScale from './kubeScale';
import * as tag from './tag';

export async function performAction(
  run: MigrationRun,
  action: MigrationAction,
  wasStarted: boolean,
): Promise<ActionResult> {
  switch (action.kind) {
    case 'iam.createRole':
      return iamCreateRole.perform(run, action, wasStarted);
    case 'tag':
      return tag.perform(run, action);
    case 'kube.scale':
      return kubeScale.perform(run, action);
    case 'eks.createAddon':
      return eksCreateAddon.perform(run, action, wasStarted);
    case 'eks.waitActive':
      return eksWaitActive.perform(run, action);
    case 'kube.delete':
      return kubeDelete.perform(run, action);
    case 'helm.markMigrated':
      return helmMarkMigrated.perform(run, action);
  }
}
