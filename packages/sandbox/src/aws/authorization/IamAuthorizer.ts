/**
 * Opt-in IAM enforcement for the sandbox's AWS endpoint: for the accounts it is switched on for,
 * every call is evaluated against the identity-based policies of the calling principal — the ones
 * IAM holds for the user or role (attached managed and inline policies; an assumed-role session
 * gets its role's), plus any a test gives with `setPolicies` — with the request's condition keys
 * and the resource's tags, and refused in its service's AccessDenied shape. Accounts without
 * enforcement keep answering every known key, as the demo and the existing tests expect.
 * SimulatePrincipalPolicy answers from the same evaluation.
 */
import type { AwsError, AwsProtocol, AwsRequest } from '../types';
import type {
  IdentityPolicy,
  PolicySimulator,
  SimulationInput,
  SimulationResult,
} from '../iam/IamService';
import type { PolicyDocument } from '../iam/policyDocument';
import { accessDenied } from './accessDenied';
import {
  evaluatePolicies,
  missingConditionKeys,
  type AuthorizationDecision,
  type AuthorizationRequest,
} from './evaluatePolicies';
import { authorizationsOf } from './requestAuthorization';

/** Where the evaluation reads a principal's policies and a resource's tags from. */
export interface AuthorizationSources {
  identityPolicies(principalArn: string): readonly IdentityPolicy[];
  /** The tags of the resource an ARN names, or undefined when it has none the sandbox knows. */
  resourceTags(arn: string): Record<string, string> | undefined;
}

/** What every caller holds in an account without enforcement (the sandbox's default). */
const UNENFORCED_ADMINISTRATOR: IdentityPolicy = {
  id: 'arn:aws:iam::aws:policy/AdministratorAccess',
  type: 'aws-managed',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const NO_SOURCES: AuthorizationSources = {
  identityPolicies: () => [],
  resourceTags: () => undefined,
};

export class IamAuthorizer implements PolicySimulator {
  private readonly enforced = new Set<string>();
  private readonly policies = new Map<string, PolicyDocument[]>();

  constructor(private readonly sources: AuthorizationSources = NO_SOURCES) {}

  /** Switches evaluation on (or off) for the calls of one account. */
  enforce(accountId: string, on = true): void {
    if (on) this.enforced.add(accountId);
    else this.enforced.delete(accountId);
  }

  /** Whether the calls of an account are evaluated. */
  isEnforced(accountId: string): boolean {
    return this.enforced.has(accountId);
  }

  /** The accounts whose calls are evaluated. */
  enforcedAccounts(): string[] {
    return [...this.enforced].sort();
  }

  /**
   * Policies evaluated for a principal besides those IAM holds for it:
   * `arn:aws:iam::<acct>:user/<name>` or `arn:aws:iam::<acct>:role/<name>` (which its assumed-role
   * sessions get). An empty list removes them.
   */
  setPolicies(principalArn: string, policies: readonly PolicyDocument[]): void {
    if (policies.length) this.policies.set(principalArn, [...policies]);
    else this.policies.delete(principalArn);
  }

  /** Every identity-based policy evaluated for a principal (a user, a role or a role session). */
  policiesOf(principalArn: string): IdentityPolicy[] {
    const given = (this.policies.get(identityOf(principalArn)) ?? []).map(
      (document, i): IdentityPolicy => ({
        id: `sandbox-authorization-${i + 1}`,
        type: 'user-managed',
        document,
      }),
    );
    return [...this.sources.identityPolicies(principalArn), ...given];
  }

  /** The refusal for this call, or undefined when it may proceed. */
  check(req: AwsRequest, operation: string, protocol: AwsProtocol): AwsError | undefined {
    if (!this.enforced.has(req.accountId)) return undefined;
    const policies = this.policiesOf(req.principalArn).map((p) => p.document);
    for (const auth of authorizationsOf(req, operation)) {
      // Who you are needs no permission (as on AWS).
      if (auth.action === 'sts:GetCallerIdentity') continue;
      const decision = evaluatePolicies(policies, this.withResourceTags(auth));
      if (decision.decision !== 'allow')
        return accessDenied(protocol, req.principalArn, auth.action, auth.resource, decision);
    }
    return undefined;
  }

  /**
   * SimulatePrincipalPolicy: each action on each resource, with the context the caller gives (as
   * IAM's simulator, it reads no resource tags; keys the matching statements need and the caller
   * did not give are reported missing).
   */
  simulate(input: SimulationInput): SimulationResult[] {
    const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(input.policySourceArn)?.[1];
    const policies = [
      // Where enforcement is off every caller is an administrator: the simulation says what the
      // calls themselves will do.
      ...(account && !this.enforced.has(account) ? [UNENFORCED_ADMINISTRATOR] : []),
      ...this.policiesOf(input.policySourceArn),
      ...input.policyInputList.map((document, i): IdentityPolicy => ({
        id: `PolicyInputList.${i + 1}`,
        type: 'none',
        document,
      })),
    ];
    const resources = input.resourceArns.length ? input.resourceArns : ['*'];
    return input.actionNames.flatMap((action) =>
      resources.map((resource): SimulationResult => {
        const req: AuthorizationRequest = { action, resource, context: input.context };
        const each = policies.map((p) => ({ p, d: evaluatePolicies([p.document], req) }));
        const decisive = (kind: AuthorizationDecision['decision']) =>
          each.filter((x) => x.d.decision === kind);
        const denies = decisive('explicitDeny');
        const allows = decisive('allow');
        const matched = denies.length ? denies : allows;
        return {
          action,
          resource,
          decision: denies.length ? 'explicitDeny' : allows.length ? 'allowed' : 'implicitDeny',
          missingContextValues: missingConditionKeys(
            policies.map((p) => p.document),
            req,
          ),
          matchedStatements: matched.map(({ p }) => ({
            sourcePolicyId: p.id,
            sourcePolicyType: p.type,
          })),
        };
      }),
    );
  }

  /**
   * The resource's own tags join the request's context: `aws:ResourceTag/<key>`, and for S3
   * objects `s3:ExistingObjectTag/<key>`.
   */
  private withResourceTags(auth: AuthorizationRequest): AuthorizationRequest {
    if (auth.resource === '*') return auth;
    const tags = this.sources.resourceTags(auth.resource);
    if (!tags) return auth;
    const prefix = /^arn:aws:s3:::[^/]+\/./.test(auth.resource)
      ? 's3:ExistingObjectTag/'
      : 'aws:ResourceTag/';
    const context = { ...(auth.context ?? {}) };
    for (const [k, v] of Object.entries(tags)) context[`${prefix}${k}`] = v;
    return { ...auth, context };
  }
}

/** An assumed-role session is evaluated with its role's policies. */
function identityOf(principalArn: string): string {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principalArn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : principalArn;
}
