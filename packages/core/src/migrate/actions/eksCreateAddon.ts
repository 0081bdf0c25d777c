/**
 * `eks.createAddon`: the add-on, with the configuration derived from the Helm values. Undo: an
 * add-on the run created (absent from the backup) is deleted, its objects preserved for rollback
 * to sort out (restored when the backup has them, deleted when the add-on made them).
 */
import { GatewayError } from '../../ports/GatewayError';
import { clientRequestToken } from '../clientRequestToken';
import type { CreateAddonAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import type { ActionResult } from './ActionResult';

export async function perform(
  run: MigrationRun,
  action: CreateAddonAction,
  wasStarted: boolean,
): Promise<ActionResult> {
  const { eks } = run.deps;
  const cluster = run.plan.cluster.name;
  const existing = await run.call(`DescribeAddon ${action.addonName}`, () =>
    eks.describeAddon(cluster, action.addonName),
  );
  if (existing) {
    if (wasStarted) return { existed: 'created by this run before it was interrupted' };
    throw new Error(
      `add-on ${action.addonName} appeared since the plan was made (${existing.addonVersion}, ${existing.status})`,
    );
  }
  try {
    await run.call(`CreateAddon ${action.addonName}`, () =>
      eks.createAddon({
        clusterName: cluster,
        addonName: action.addonName,
        addonVersion: action.addonVersion,
        resolveConflicts: action.resolveConflicts,
        clientRequestToken: clientRequestToken(run.runId, action.id),
        ...(action.configurationValues ? { configurationValues: action.configurationValues } : {}),
        ...(action.serviceAccountRoleArn
          ? { serviceAccountRoleArn: action.serviceAccountRoleArn }
          : {}),
      }),
    );
  } catch (e) {
    // A retried CreateAddon whose first try went through.
    const again = await run.call(`DescribeAddon ${action.addonName}`, () =>
      eks.describeAddon(cluster, action.addonName),
    );
    if (!again) throw e;
  }
  return undefined;
}

/** Deletes the add-on (preserving its objects) and waits until EKS no longer has it. */
export async function undo(run: MigrationRun, addonName: string): Promise<void> {
  const { eks } = run.deps;
  const cluster = run.plan.cluster.name;
  const w = run.deps.wait ?? {};
  const pollMs = w.pollMs ?? 5_000;
  const deadline = run.now().getTime() + (w.timeoutMs ?? 20 * 60_000);
  for (;;) {
    const a = await run.call(`DescribeAddon ${addonName}`, () =>
      eks.describeAddon(cluster, addonName),
    );
    if (!a) return;
    if (a.status !== 'DELETING' && a.status !== 'CREATING' && a.status !== 'UPDATING') {
      try {
        await run.call(`DeleteAddon ${addonName}`, () =>
          eks.deleteAddon(cluster, addonName, { preserve: true }),
        );
      } catch (e) {
        if (!(e instanceof GatewayError && (e.kind === 'NotFound' || e.kind === 'InUse'))) throw e;
      }
    }
    if (run.now().getTime() > deadline)
      throw new Error(`add-on ${addonName} was not deleted in time (status ${a.status})`);
    run.emit('waiting', `waiting for ${addonName} to be deleted (${a.status})`);
    await run.sleep(pollMs);
  }
}
