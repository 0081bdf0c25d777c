/**
 * `--dry-run=server`: every Kubernetes change of the plan sent with `dryRun=All` (admission,
 * validation and RBAC run; nothing is stored). AWS has no dry run for these calls: what could be
 * checked there (versions, schemas, roles, bucket, access reviews) was read when planning.
 */
import { withRetry } from '../scan/withRetry';
import { releaseSecretRef } from './actions/helmMarkMigrated';
import type { MigrationGateways } from './ExecuteMigrationDeps';
import { planActions, type MigrationPlan } from './MigrationPlan';
import { DEFAULT_RETRY } from './MigrationRun';

/** One line per refusal; empty = the API servers accept the plan. */
export async function dryRunOnServer(plan: MigrationPlan, g: MigrationGateways): Promise<string[]> {
  const problems: string[] = [];
  const check = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await withRetry(fn, DEFAULT_RETRY);
    } catch (e) {
      problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (const { action } of planActions(plan)) {
    if (action.kind === 'kube.scale')
      await check(action.summary, () =>
        g.kube.patch(action.ref, { spec: { replicas: action.after } }, { dryRun: true }),
      );
    if (action.kind === 'kube.delete')
      await check(action.summary, () => g.kube.delete(action.ref, { dryRun: true }));
    if (action.kind === 'helm.markMigrated') {
      const ref = releaseSecretRef(action);
      await check(action.summary, async () => {
        const secret = await g.kube.get(ref);
        if (!secret) throw new Error('the release secret is gone');
        await g.kube.replace(secret, { dryRun: true });
      });
    }
  }
  return problems;
}
