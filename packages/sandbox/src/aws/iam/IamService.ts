/**
 * IAM (query protocol, API 2010-05-08): roles with trust policies, tags, attached managed policies
 * and inline policies, customer managed policies, the users behind the sandbox's access keys with
 * their own policies, and SimulatePrincipalPolicy. IAM is global: state is per account only.
 * Each group of actions has its file; this one dispatches, seeds and answers the other services.
 */
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { QueryProtocolService, type QueryOperation } from '../protocols/QueryProtocolService';
import type { AwsRequest, AwsResponse } from '../types';
import { HOLDER_POLICY_ACTIONS } from './holderPolicyActions';
import type { IamAction } from './IamAction';
import { checkIdentityPolicy } from './iamParams';
import { iamSnapshot } from './iamSnapshot';
import {
  POLICY_ARN_RE,
  type AccountState,
  type IamRoleView,
  type IdentityPolicy,
  type ManagedPolicy,
} from './IamState';
import { IamStore } from './IamStore';
import { tagRecord, tagsOf } from './iamTags';
import { MANAGED_POLICY_ACTIONS } from './managedPolicyActions';
import { parsePolicy } from './policyDocument';
import { ROLE_ACTIONS } from './roleActions';
import { simulatePrincipalPolicy, type PolicySimulator } from './simulatePrincipalPolicy';
import { USER_ACTIONS } from './userActions';

export type { IamRoleView, IamTag, IdentityPolicy } from './IamState';
export type { PolicySimulator, SimulationInput, SimulationResult } from './simulatePrincipalPolicy';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const VERSION = '2010-05-08';

const ACTIONS: Record<string, IamAction> = {
  ...ROLE_ACTIONS,
  ...HOLDER_POLICY_ACTIONS,
  ...MANAGED_POLICY_ACTIONS,
  ...USER_ACTIONS,
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
};

export interface SeedRoleInput {
  accountId: string;
  name: string;
  path?: string;
  /** A trust policy object or its JSON text. */
  trustPolicy: object | string;
  description?: string;
  maxSessionDuration?: number;
  attachedPolicyArns?: string[];
  /** Inline policy name → document (object or JSON text). */
  inlinePolicies?: Record<string, object | string>;
  tags?: Record<string, string>;
}

export interface SeedPolicyInput {
  accountId: string;
  name: string;
  path?: string;
  document: object | string;
  description?: string;
  tags?: Record<string, string>;
}

const jsonText = (doc: object | string) => (typeof doc === 'string' ? doc : JSON.stringify(doc));

export class IamService extends QueryProtocolService implements Snapshottable {
  readonly signingName = 'iam';
  protected readonly api = { version: VERSION, xmlns: XMLNS };
  // The state: the sandbox's copies take a service's Map fields; the store works on these same Maps.
  private readonly accounts = new Map<string, AccountState>();
  private readonly awsManaged = new Map<string, ManagedPolicy>();
  private readonly store: IamStore;
  /** The sandbox's evaluator, wired by the Sandbox; without it SimulatePrincipalPolicy is refused. */
  simulator?: PolicySimulator;

  constructor(ctx: ServiceContext) {
    super();
    this.store = new IamStore(ctx, this.accounts, this.awsManaged);
  }

  protected readonly operations: Record<string, QueryOperation> = Object.fromEntries(
    Object.entries(ACTIONS).map(([name, action]): [string, QueryOperation] => [
      name,
      (req, p) => action({ store: this.store, req, p, simulator: this.simulator }),
    ]),
  );

  override handle(req: AwsRequest, operation: string): AwsResponse {
    // Any call makes the account known to IAM (it shows, empty, in the snapshot).
    this.store.account(req.accountId);
    return super.handle(req, operation);
  }

  // ---- seeding -----------------------------------------------------------------------------------

  /** Creates a role as CreateRole + AttachRolePolicy + PutRolePolicy would. */
  seedRole(input: SeedRoleInput): { arn: string; roleId: string } {
    const role = this.store.createRole(input.accountId, {
      name: input.name,
      path: input.path,
      trustPolicy: jsonText(input.trustPolicy),
      description: input.description,
      maxSessionDuration: input.maxSessionDuration,
      tags: tagsOf(input.tags),
    });
    for (const arn of input.attachedPolicyArns ?? []) {
      let policy = this.store.policyByArn(input.accountId, arn);
      const m = POLICY_ARN_RE.exec(arn);
      if (!policy && m?.[1] === 'aws') {
        // Scenarios may name AWS managed policies the built-in catalogue lacks.
        policy = this.seedAwsManagedPolicy(m[3]!, (m[2] ?? '') + '/', {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        });
      }
      if (!policy)
        throw new Error(`iam.seedRole: policy ${arn} does not exist in account ${input.accountId}`);
      role.attachedPolicyArns.push(policy.arn);
    }
    for (const [name, doc] of Object.entries(input.inlinePolicies ?? {})) {
      const text = jsonText(doc);
      checkIdentityPolicy(text);
      role.inlinePolicies.set(name, text);
    }
    return { arn: role.arn, roleId: role.roleId };
  }

  /** Creates a customer managed policy; returns its ARN. */
  seedPolicy(input: SeedPolicyInput): string {
    return this.store.createPolicy(input.accountId, {
      name: input.name,
      path: input.path,
      document: jsonText(input.document),
      description: input.description,
      tags: tagsOf(input.tags),
    }).arn;
  }

  /** Adds an AWS managed policy (`arn:aws:iam::aws:policy<path><name>`) to the catalogue. */
  seedAwsManagedPolicy(name: string, path: string, document: object): ManagedPolicy {
    return this.store.addAwsManagedPolicy(name, path, document);
  }

  /** Creates an IAM user (CreateUser); the owners of the sandbox's access keys need no seeding. */
  seedUser(input: { accountId: string; name: string; path?: string }): string {
    return this.store.createUser(input.accountId, input.name, input.path ?? '/').arn;
  }

  /** Attaches a managed policy to a user (AttachUserPolicy); the key owners need no seeding. */
  seedUserPolicyAttachment(accountId: string, userName: string, policyArn: string): void {
    const user = this.store.user(accountId, userName);
    const policy = this.store.existingPolicy(accountId, policyArn);
    if (!user.attachedPolicyArns.includes(policy.arn)) user.attachedPolicyArns.push(policy.arn);
  }

  // ---- what the other services ask ---------------------------------------------------------------

  /**
   * The identity-based policies IAM holds for a principal: a user's or role's attached managed
   * policies and inline policies. An assumed-role session (`arn:aws:sts::…:assumed-role/R/s`)
   * has its role's. Unknown principals have none.
   */
  identityPolicies(principalArn: string): IdentityPolicy[] {
    const found = this.store.principal(principalArn);
    if (!found) return [];
    const { kind, holder } = found;
    const managed = this.store.attachedPolicies(holder).map((x): IdentityPolicy => ({
      id: x.arn,
      type: x.owner === 'aws' ? 'aws-managed' : 'user-managed',
      document: this.store.parsed(x.document),
    }));
    const inline = [...holder.inlinePolicies].map(([id, doc]): IdentityPolicy => ({
      id,
      type: kind,
      document: this.store.parsed(doc),
    }));
    return [...managed, ...inline];
  }

  /** The tags of a role (by ARN), for `aws:ResourceTag/<key>`. */
  tagsOf(arn: string): Record<string, string> | undefined {
    const m = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    if (!m) return undefined;
    const acct = this.accounts.get(m[1]!);
    const holder = (m[2] === 'role' ? acct?.roles : acct?.users)?.get(m[3]!.toLowerCase());
    return holder ? tagRecord(holder.tags) : undefined;
  }

  /** A role by ARN, for STS AssumeRole. */
  findRole(arn: string): IamRoleView | undefined {
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    if (!m) return undefined;
    const role = this.accounts.get(m[1]!)?.roles.get(m[2]!.toLowerCase());
    if (!role || role.arn !== arn) return undefined;
    return {
      accountId: role.accountId,
      name: role.name,
      roleId: role.roleId,
      arn: role.arn,
      maxSessionDuration: role.maxSessionDuration,
      trustPolicy: parsePolicy(role.trustPolicy, 'trust'),
    };
  }

  snapshot(): unknown {
    return iamSnapshot(this.accounts);
  }
}
