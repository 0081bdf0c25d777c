/**
 * `kube.delete`: an object of the Helm install the add-on does not take over. Undo:
 * restoreObject (the object as the backup saved it).
 */
import type { KubeObject } from '../../ports/KubeGateway';
import { describeRef } from '../manifest';
import type { DeleteObjectAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import type { ActionResult } from './ActionResult';

export async function perform(
  run: MigrationRun,
  action: DeleteObjectAction,
): Promise<ActionResult> {
  const { kube } = run.deps;
  if (action.unlessAdoptedBy) {
    const live = await run.call(`get ${describeRef(action.ref)}`, () => kube.get(action.ref));
    if (!live) return { skipped: 'already gone' };
    if (managedBy(live, action.unlessAdoptedBy)) return { skipped: 'the add-on took it over' };
  }
  const deleted = await run.call(`delete ${describeRef(action.ref)}`, () =>
    kube.delete(action.ref),
  );
  return deleted ? undefined : { skipped: 'already gone' };
}

/** Has field manager `manager` written to the object (EKS: the add-on applied it)? */
export function managedBy(o: KubeObject, manager: string): boolean {
  const mf = o.metadata['managedFields'];
  return Array.isArray(mf) && mf.some((m) => (m as { manager?: string }).manager === manager);
}
