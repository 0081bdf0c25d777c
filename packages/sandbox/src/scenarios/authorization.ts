/**
 * A scenario's IAM enforcement: which accounts have their AWS calls evaluated against IAM policies,
 * and the policies their access keys' user holds. Off by default, so the demo and the tests run as
 * an administrator; a scenario definition (`authorization`) or the options a sandbox starts with
 * (`scenarioOptions.authorization`, which win) switch it on per account.
 *
 * ```ts
 * startSandbox({
 *   scenarioOptions: {
 *     authorization: { prod: { enforce: true, userPolicies: { 'hyperpod-operate': operatePolicy } } },
 *   },
 * });
 * ```
 */
import type { Sandbox } from '../Sandbox';

export interface AccountAuthorization {
  /** Evaluate this account's calls (default false: every known key may do anything). */
  enforce: boolean;
  /**
   * Customer managed policies (name → document) created in the account and attached to the user
   * its access keys belong to, as `aws iam create-policy` + `attach-user-policy` would.
   */
  userPolicies?: Record<string, object>;
}

/** Per account alias or id. */
export type ScenarioAuthorization = Record<string, AccountAuthorization>;

/** Applies the settings to a seeded sandbox. */
export function applyAuthorization(sb: Sandbox, settings: ScenarioAuthorization): void {
  for (const [aliasOrId, s] of Object.entries(settings)) {
    const account = sb.account(aliasOrId);
    const userName = account.principalArn.slice(account.principalArn.lastIndexOf('/') + 1);
    for (const [name, document] of Object.entries(s.userPolicies ?? {})) {
      const arn = sb.services.iam.seedPolicy({ accountId: account.accountId, name, document });
      sb.services.iam.seedUserPolicyAttachment(account.accountId, userName, arn);
    }
    sb.authorization.enforce(account.accountId, s.enforce);
  }
}

/** The settings a run asks for: the scenario's, with the start options' per account on top. */
export function authorizationSettings(
  scenario: ScenarioAuthorization | undefined,
  options: Record<string, unknown>,
): ScenarioAuthorization {
  const given = options['authorization'];
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    throw new Error('sandbox: scenario option "authorization" must be an object per account');
  return { ...(scenario ?? {}), ...((given ?? {}) as ScenarioAuthorization) };
}
