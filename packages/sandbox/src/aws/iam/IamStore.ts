/**
 * IAM's entities and how they are found: accounts with their roles, customer managed policies and
 * users, and the AWS managed policy catalogue. IAM is global: state is per account only. The
 * actions (roleActions, holderPolicyActions, ...) and the service's seeding work on it.
 */
import type { ServiceContext } from '../ServiceContext';
import { iamUniqueId } from '../protocols/ids';
import { validationError } from '../protocols/queryProtocol';
import { AWS_MANAGED_POLICIES } from './awsManagedPolicies';
import {
  checkIdentityPolicy,
  checkName,
  checkPath,
  checkPolicyArn,
  checkTrustPolicy,
  policySize,
} from './iamParams';
import {
  POLICY_ARN_RE,
  entityAlreadyExists,
  limitExceeded,
  noSuchEntity,
  type AccountState,
  type IamTag,
  type ManagedPolicy,
  type PolicyHolder,
  type Role,
  type User,
} from './IamState';
import { validTags } from './iamTags';
import { parsePolicy, type PolicyDocument } from './policyDocument';

export interface CreateRoleInput {
  name: string;
  trustPolicy: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  tags: IamTag[];
}

export interface CreatePolicyInput {
  name: string;
  document: string;
  path?: string;
  description?: string;
  tags: IamTag[];
}

/** A role or user an ARN names, with which of the two it is. */
export interface FoundPrincipal {
  accountId: string;
  kind: 'user' | 'role';
  holder: Role | User;
}

export class IamStore {
  /**
   * Stored documents were checked when written; evaluation on every call parses each text once.
   * (Held inside an object: the sandbox's state copies take every Map field of a service.)
   */
  private readonly cache = { documents: new Map<string, PolicyDocument>() };

  /** The Maps are the service's state fields (the sandbox copies and restores them in place). */
  constructor(
    private readonly ctx: ServiceContext,
    readonly accounts: Map<string, AccountState>,
    readonly awsManaged: Map<string, ManagedPolicy>,
  ) {
    const created = new Date('2015-02-06T18:40:00Z');
    for (const p of AWS_MANAGED_POLICIES)
      this.addAwsManagedPolicy(p.name, p.path, p.document, created, p.description);
  }

  account(accountId: string): AccountState {
    let a = this.accounts.get(accountId);
    if (!a) {
      a = { roles: new Map(), policies: new Map(), users: new Map() };
      this.accounts.set(accountId, a);
    }
    return a;
  }

  role(accountId: string, name: string): Role {
    checkName(name, 'roleName', 64);
    const role = this.account(accountId).roles.get(name.toLowerCase());
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  }

  /** A user by name; the owner of one of the account's access keys exists without seeding. */
  user(accountId: string, name: string): User {
    checkName(name, 'userName', 64);
    const user =
      this.accounts.get(accountId)?.users.get(name.toLowerCase()) ??
      this.keyOwner(accountId, name, true);
    if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
    return user;
  }

  /** The user an access key of the account belongs to, created in IAM's state when `create`. */
  private keyOwner(accountId: string, name: string, create = false): User | undefined {
    const arn = `arn:aws:iam::${accountId}:user/${name}`;
    if (!this.ctx.accounts.longTerm().some((c) => c.principalArn === arn)) return undefined;
    if (!create)
      return {
        accountId,
        name,
        path: '/',
        userId: '',
        arn,
        createDate: new Date(0),
        tags: [],
        attachedPolicyArns: [],
        inlinePolicies: new Map(),
      };
    return this.createUser(accountId, name, '/');
  }

  createUser(accountId: string, name: string, path: string): User {
    checkName(name, 'userName', 64);
    const acct = this.account(accountId);
    if (acct.users.has(name.toLowerCase()))
      throw entityAlreadyExists(`User with name ${name} already exists.`);
    const user: User = {
      accountId,
      name,
      path: checkPath(path),
      userId: iamUniqueId('AIDA'),
      arn: `arn:aws:iam::${accountId}:user${path}${name}`,
      createDate: new Date(),
      tags: [],
      attachedPolicyArns: [],
      inlinePolicies: new Map(),
    };
    acct.users.set(name.toLowerCase(), user);
    return user;
  }

  createRole(accountId: string, input: CreateRoleInput): Role {
    checkName(input.name, 'roleName', 64);
    const path = checkPath(input.path ?? '/');
    if (input.description !== undefined && input.description.length > 1000) {
      throw validationError(
        "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000",
      );
    }
    const maxSessionDuration = input.maxSessionDuration ?? 3600;
    if (maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      throw validationError(
        `1 validation error detected: Value '${maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`,
      );
    }
    checkTrustPolicy(input.trustPolicy);
    const tags = validTags(input.tags);
    const acct = this.account(accountId);
    if (acct.roles.has(input.name.toLowerCase()))
      throw entityAlreadyExists(`Role with name ${input.name} already exists.`);
    const role: Role = {
      accountId,
      name: input.name,
      path,
      roleId: iamUniqueId('AROA'),
      arn: `arn:aws:iam::${accountId}:role${path}${input.name}`,
      createDate: new Date(),
      trustPolicy: input.trustPolicy,
      description: input.description,
      maxSessionDuration,
      tags,
      attachedPolicyArns: [],
      inlinePolicies: new Map(),
    };
    acct.roles.set(input.name.toLowerCase(), role);
    return role;
  }

  createPolicy(accountId: string, input: CreatePolicyInput): ManagedPolicy {
    checkName(input.name, 'policyName', 128);
    const path = checkPath(input.path ?? '/');
    checkIdentityPolicy(input.document);
    if (policySize(input.document) > 6144)
      throw limitExceeded('Cannot exceed quota for PolicySize: 6144');
    const tags = validTags(input.tags);
    const acct = this.account(accountId);
    if ([...acct.policies.values()].some((x) => x.name === input.name)) {
      throw entityAlreadyExists(
        `A policy called ${input.name} already exists. Duplicate names are not allowed.`,
      );
    }
    const now = new Date();
    const policy: ManagedPolicy = {
      owner: accountId,
      name: input.name,
      path,
      policyId: iamUniqueId('ANPA'),
      arn: `arn:aws:iam::${accountId}:policy${path}${input.name}`,
      description: input.description,
      document: input.document,
      createDate: now,
      updateDate: now,
      tags,
    };
    acct.policies.set(policy.arn, policy);
    return policy;
  }

  /** Adds an AWS managed policy (`arn:aws:iam::aws:policy<path><name>`) to the catalogue. */
  addAwsManagedPolicy(
    name: string,
    path: string,
    document: object,
    created = new Date(),
    description?: string,
  ): ManagedPolicy {
    const arn = `arn:aws:iam::aws:policy${path}${name}`;
    const policy: ManagedPolicy = {
      owner: 'aws',
      name,
      path,
      policyId: iamUniqueId('ANPA'),
      arn,
      description,
      document: JSON.stringify(document),
      createDate: created,
      updateDate: created,
      tags: [],
    };
    this.awsManaged.set(arn, policy);
    return policy;
  }

  policyByArn(callerAccount: string, arn: string): ManagedPolicy | undefined {
    const m = POLICY_ARN_RE.exec(arn);
    if (!m) return undefined;
    if (m[1] === 'aws') return this.awsManaged.get(arn);
    // Customer managed policies of other accounts are invisible, as in IAM.
    if (m[1] !== callerAccount) return undefined;
    return this.accounts.get(callerAccount)?.policies.get(arn);
  }

  existingPolicy(callerAccount: string, arn: string): ManagedPolicy {
    checkPolicyArn(arn);
    const policy = this.policyByArn(callerAccount, arn);
    if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  /** The managed policies a role or user has attached, those that still exist. */
  attachedPolicies(holder: PolicyHolder): ManagedPolicy[] {
    return holder.attachedPolicyArns
      .map((arn) => this.policyByArn(holder.accountId, arn))
      .filter((x): x is ManagedPolicy => x !== undefined);
  }

  attachmentCount(accountId: string, arn: string): number {
    const acct = this.accounts.get(accountId);
    return [...(acct?.roles.values() ?? []), ...(acct?.users.values() ?? [])].filter((r) =>
      r.attachedPolicyArns.includes(arn),
    ).length;
  }

  /** The role or user an ARN names (an assumed-role session names its role), if IAM has it. */
  principal(arn: string): FoundPrincipal | undefined {
    const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
    const m = session
      ? [arn, session[1]!, 'role', session[2]!]
      : /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    if (!m) return undefined;
    const accountId = m[1]!;
    const name = m[3]!.toLowerCase();
    const acct = this.accounts.get(accountId);
    if (m[2] === 'role') {
      const holder = acct?.roles.get(name);
      return holder ? { accountId, kind: 'role', holder } : undefined;
    }
    const holder = acct?.users.get(name) ?? this.keyOwner(accountId, m[3]!);
    return holder ? { accountId, kind: 'user', holder } : undefined;
  }

  /** A stored identity policy's document, parsed once. */
  parsed(text: string): PolicyDocument {
    let doc = this.cache.documents.get(text);
    if (!doc) {
      doc = parsePolicy(text, 'identity');
      this.cache.documents.set(text, doc);
    }
    return doc;
  }
}
