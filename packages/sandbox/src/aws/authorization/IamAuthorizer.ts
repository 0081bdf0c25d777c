/**
 * Opt-in IAM enforcement for the sandbox's AWS endpoint: for the accounts it is switched on for,
 * every call is evaluated against the identity-based policies given for the calling principal
 * (a user ARN, or the role of an assumed-role session), and refused in its service's
 * AccessDenied shape. Accounts without enforcement keep answering every known key, as the demo
 * and the existing tests expect.
 */
import type { AwsError, AwsProtocol, AwsRequest } from '../types';
import type { PolicyDocument } from '../iam/policyDocument';
import { accessDenied } from './accessDenied';
import { evaluatePolicies } from './evaluatePolicies';
import { authorizationsOf } from './requestAuthorization';

export class IamAuthorizer {
  private readonly enforced = new Set<string>();
  private readonly policies = new Map<string, PolicyDocument[]>();

  /** Switches evaluation on (or off) for the calls of one account. */
  enforce(accountId: string, on = true): void {
    if (on) this.enforced.add(accountId);
    else this.enforced.delete(accountId);
  }

  /**
   * The identity-based policies of a principal: `arn:aws:iam::<acct>:user/<name>` or
   * `arn:aws:iam::<acct>:role/<name>` (which its assumed-role sessions get).
   */
  setPolicies(principalArn: string, policies: readonly PolicyDocument[]): void {
    this.policies.set(principalArn, [...policies]);
  }

  /** The refusal for this call, or undefined when it may proceed. */
  check(req: AwsRequest, operation: string, protocol: AwsProtocol): AwsError | undefined {
    if (!this.enforced.has(req.accountId)) return undefined;
    const policies = this.policies.get(identityOf(req.principalArn)) ?? [];
    for (const auth of authorizationsOf(req, operation)) {
      // Who you are needs no permission (as on AWS).
      if (auth.action === 'sts:GetCallerIdentity') continue;
      const decision = evaluatePolicies(policies, auth);
      if (decision.decision !== 'allow')
        return accessDenied(protocol, req.principalArn, auth.action, auth.resource, decision);
    }
    return undefined;
  }
}

/** An assumed-role session is evaluated with its role's policies. */
function identityOf(principalArn: string): string {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principalArn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : principalArn;
}
