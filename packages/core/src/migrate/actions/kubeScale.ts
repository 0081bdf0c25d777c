/**
 * `kube.scale`: the Helm install's controllers scaled down before the add-on takes over, so two
 * never reconcile the same objects. Undo: restoreObject (the saved object, replicas included).
 */
import { GatewayError } from '../../ports/GatewayError';
import { describeRef } from '../manifest';
import type { ScaleAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import type { ActionResult } from './ActionResult';

export async function perform(run: MigrationRun, action: ScaleAction): Promise<ActionResult> {
  try {
    await run.call(`scale ${describeRef(action.ref)}`, () =>
      run.deps.kube.patch(action.ref, { spec: { replicas: action.after } }),
    );
  } catch (e) {
    if (e instanceof GatewayError && e.kind === 'NotFound')
      return { skipped: 'it no longer exists' };
    throw e;
  }
  return undefined;
}
