/**
 * `eks.waitActive`: polls the add-on until it is ACTIVE; failed, DEGRADED past the grace period
 * or not ACTIVE in time fails the run. Undo: none (it only reads).
 */
import type { WaitAddonAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import type { ActionResult } from './ActionResult';

export async function perform(run: MigrationRun, action: WaitAddonAction): Promise<ActionResult> {
  const addonName = action.addonName;
  const w = run.deps.wait ?? {};
  const pollMs = w.pollMs ?? 5_000;
  const timeoutMs = w.timeoutMs ?? 20 * 60_000;
  const grace = w.degradedGraceMs ?? 2 * 60_000;
  const start = run.now().getTime();
  let degradedSince: number | undefined;
  let last = '';
  for (;;) {
    const a = await run.call(`DescribeAddon ${addonName}`, () =>
      run.deps.eks.describeAddon(run.plan.cluster.name, addonName),
    );
    if (!a) throw new Error(`add-on ${addonName} disappeared while waiting for it`);
    const elapsed = run.now().getTime() - start;
    if (a.status !== last) {
      run.emit('waiting', `${addonName} is ${a.status} (${Math.round(elapsed / 1000)} s)`);
      last = a.status;
    }
    if (a.status === 'ACTIVE') return { status: 'ACTIVE', seconds: Math.round(elapsed / 100) / 10 };
    const issues = a.issues.map((i) => `${i.code}: ${i.message}`).join('; ');
    if (
      a.status === 'CREATE_FAILED' ||
      a.status === 'UPDATE_FAILED' ||
      a.status === 'DELETE_FAILED'
    )
      throw new Error(`add-on ${addonName} is ${a.status}${issues ? `: ${issues}` : ''}`);
    if (a.status === 'DEGRADED') {
      degradedSince ??= run.now().getTime();
      if (run.now().getTime() - degradedSince >= grace)
        throw new Error(
          `add-on ${addonName} stayed DEGRADED for ${Math.round(grace / 1000)} s${issues ? `: ${issues}` : ''}`,
        );
    } else degradedSince = undefined;
    if (elapsed >= timeoutMs)
      throw new Error(
        `add-on ${addonName} was not ACTIVE after ${Math.round(timeoutMs / 1000)} s (last status ${a.status})`,
      );
    await run.sleep(pollMs);
  }
}
