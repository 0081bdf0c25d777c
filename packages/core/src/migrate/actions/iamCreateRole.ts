/**
 * `iam.createRole`: the add-on's service-account role, a copy of the one the Helm values name.
 * Undo: a role the run created (absent from the backup) is deleted with its policies.
 */
import { GatewayError } from '../../ports/GatewayError';
import type { CreateRoleAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import { CREATED_BY_TAG } from '../profiles';
import type { ActionResult } from './ActionResult';

export async function perform(
  run: MigrationRun,
  action: CreateRoleAction,
  wasStarted: boolean,
): Promise<ActionResult> {
  const { iam } = run.deps;
  const existing = await run.call(`GetRole ${action.roleName}`, () => iam.getRole(action.roleName));
  if (existing && existing.tags[CREATED_BY_TAG.key] !== CREATED_BY_TAG.value && !wasStarted)
    throw new Error(
      `role ${action.roleName} appeared since the plan was made and is not ours: refusing to change it`,
    );
  if (!existing) {
    try {
      await run.call(`CreateRole ${action.roleName}`, () =>
        iam.createRole({
          name: action.roleName,
          trustPolicy: action.trustPolicy,
          description: `Made by kubectl-hyperpod migrate (run ${run.runId}) from ${action.copyFrom}`,
          tags: action.tags,
        }),
      );
    } catch (e) {
      // A retried CreateRole whose first try went through.
      if (!(e instanceof GatewayError && e.kind === 'Conflict')) throw e;
    }
  }
  for (const arn of action.attachPolicyArns)
    await run.call(`AttachRolePolicy ${action.roleName}`, () =>
      iam.attachRolePolicy(action.roleName, arn),
    );
  for (const [name, doc] of Object.entries(action.inlinePolicies))
    await run.call(`PutRolePolicy ${action.roleName}`, () =>
      iam.putRolePolicy(action.roleName, name, doc),
    );
  return { roleArn: `arn:aws:iam::${run.plan.cluster.accountId}:role/${action.roleName}` };
}

/** Deletes the role (its policies first); a role already gone is fine. */
export async function undo(run: MigrationRun, action: CreateRoleAction): Promise<void> {
  const { iam } = run.deps;
  const role = await run.call(`GetRole ${action.roleName}`, () => iam.getRole(action.roleName));
  if (!role) return;
  for (const arn of role.attachedPolicyArns)
    await run.call(`DetachRolePolicy ${action.roleName}`, () =>
      iam.detachRolePolicy(action.roleName, arn),
    );
  for (const name of role.inlinePolicyNames)
    await run.call(`DeleteRolePolicy ${action.roleName}`, () =>
      iam.deleteRolePolicy(action.roleName, name),
    );
  await run
    .call(`DeleteRole ${action.roleName}`, () => iam.deleteRole(action.roleName))
    .catch((e: unknown) => {
      if (!(e instanceof GatewayError && e.kind === 'NotFound')) throw e;
    });
}
