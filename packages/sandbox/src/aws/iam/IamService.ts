/**
 * IAM (query protocol, API 2010-05-08): roles with trust policies, tags, attached managed policies
 * and inline policies, customer managed policies, the users behind the sandbox's access keys with
 * their own policies, and SimulatePrincipalPolicy. IAM is global: state is per account only.
 */
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { decodeToken, page } from '../protocols/pagination';
import { iamUniqueId } from '../protocols/ids';
import {
  memberList,
  memberStructs,
  optional,
  optionalInt,
  queryAction,
  queryParams,
  queryResponse,
  required,
  tagList,
  validationError,
  type XmlValue,
} from '../protocols/queryProtocol';
import {
  AwsError,
  type AwsProtocol,
  type AwsRequest,
  type AwsResponse,
  type AwsService,
} from '../types';
import { AWS_MANAGED_POLICIES } from './awsManagedPolicies';
import { parsePolicy, type PolicyDocument } from './policyDocument';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const VERSION = '2010-05-08';

const ACTIONS = new Set([
  'CreateRole',
  'GetRole',
  'DeleteRole',
  'ListRoles',
  'UpdateAssumeRolePolicy',
  'TagRole',
  'UntagRole',
  'ListRoleTags',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'ListAttachedRolePolicies',
  'PutRolePolicy',
  'GetRolePolicy',
  'DeleteRolePolicy',
  'ListRolePolicies',
  'CreatePolicy',
  'GetPolicy',
  'DeletePolicy',
  'GetPolicyVersion',
  'GetUser',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'ListAttachedUserPolicies',
  'PutUserPolicy',
  'GetUserPolicy',
  'DeleteUserPolicy',
  'ListUserPolicies',
  'SimulatePrincipalPolicy',
]);

const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;
const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const POLICY_ARN_RE = /^arn:aws:iam::(aws|\d{12}):policy((?:\/[\u0021-\u007E]+)*)\/([\w+=,.@-]+)$/;
const MAX_TAGS = 50;
const MAX_MANAGED_PER_ROLE = 10;

export interface IamTag {
  Key: string;
  Value: string;
}

interface Role {
  accountId: string;
  name: string;
  path: string;
  roleId: string;
  arn: string;
  createDate: Date;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  tags: IamTag[];
  attachedPolicyArns: string[];
  inlinePolicies: Map<string, string>;
}

/**
 * An IAM user. The sandbox's users are the owners of its long-term access keys; they come into
 * IAM's state the first time IAM is asked about them, so the snapshot of an untouched account
 * stays as it was.
 */
interface User {
  accountId: string;
  name: string;
  path: string;
  userId: string;
  arn: string;
  createDate: Date;
  tags: IamTag[];
  attachedPolicyArns: string[];
  inlinePolicies: Map<string, string>;
}

/** Evaluates a principal's policies for SimulatePrincipalPolicy (the sandbox's IAM evaluator). */
export interface PolicySimulator {
  simulate(input: SimulationInput): SimulationResult[];
}

export interface SimulationInput {
  /** A user or role ARN. */
  policySourceArn: string;
  actionNames: string[];
  /** Defaults to `*`. */
  resourceArns: string[];
  /** Extra policies evaluated with the principal's (PolicyInputList). */
  policyInputList: PolicyDocument[];
  context: Record<string, string[]>;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** Condition keys the matching statements name that the request did not give. */
  missingContextValues: string[];
  matchedStatements: { sourcePolicyId: string; sourcePolicyType: string }[];
}

/** One identity-based policy as IAM attaches it, named for SimulatePrincipalPolicy's answers. */
export interface IdentityPolicy {
  /** Managed policy ARN, or the inline policy's name. */
  id: string;
  type: 'user' | 'role' | 'aws-managed' | 'user-managed' | 'none';
  document: PolicyDocument;
}

interface ManagedPolicy {
  /** Owning account, or `aws` for AWS managed policies. */
  owner: string;
  name: string;
  path: string;
  policyId: string;
  arn: string;
  description?: string;
  document: string;
  createDate: Date;
  updateDate: Date;
  tags: IamTag[];
}

/** What STS needs to know about a role to decide AssumeRole. */
export interface IamRoleView {
  accountId: string;
  name: string;
  roleId: string;
  arn: string;
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
}

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

interface AccountState {
  /** Keyed by lowercased name: IAM role names are unique regardless of case. */
  roles: Map<string, Role>;
  policies: Map<string, ManagedPolicy>;
  /** Keyed by lowercased name. */
  users: Map<string, User>;
}

const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);

export class IamService implements AwsService, Snapshottable {
  readonly signingName = 'iam';
  readonly protocol: AwsProtocol = 'query';
  private readonly accounts = new Map<string, AccountState>();
  private readonly awsManaged = new Map<string, ManagedPolicy>();
  /** The sandbox's evaluator, wired by the Sandbox; without it SimulatePrincipalPolicy is refused. */
  simulator?: PolicySimulator;

  constructor(private readonly ctx: ServiceContext) {
    const created = new Date('2015-02-06T18:40:00Z');
    for (const p of AWS_MANAGED_POLICIES) {
      const arn = `arn:aws:iam::aws:policy${p.path}${p.name}`;
      this.awsManaged.set(arn, {
        owner: 'aws',
        name: p.name,
        path: p.path,
        policyId: iamUniqueId('ANPA'),
        arn,
        description: p.description,
        document: JSON.stringify(p.document),
        createDate: created,
        updateDate: created,
        tags: [],
      });
    }
  }

  operationOf(req: AwsRequest): string | undefined {
    return queryAction(req, ACTIONS, VERSION);
  }

  handle(req: AwsRequest, operation: string): AwsResponse {
    const p = queryParams(req);
    const acct = this.account(req.accountId);
    const respond = (result?: Record<string, XmlValue>) =>
      queryResponse(operation, XMLNS, req.requestId, result);
    switch (operation) {
      case 'CreateRole': {
        const role = this.createRole(req.accountId, {
          name: required(p, 'RoleName'),
          trustPolicy: required(p, 'AssumeRolePolicyDocument'),
          path: optional(p, 'Path'),
          description: optional(p, 'Description'),
          maxSessionDuration: optionalInt(p, 'MaxSessionDuration', 3600, 43200),
          tags: tagList(p),
        });
        return respond({ Role: roleXml(role, { tags: role.tags.length > 0 }) });
      }
      case 'GetRole': {
        const role = this.role(acct, required(p, 'RoleName'));
        return respond({
          Role: { ...roleXml(role, { tags: role.tags.length > 0 }), RoleLastUsed: {} },
        });
      }
      case 'DeleteRole': {
        const role = this.role(acct, required(p, 'RoleName'));
        if (role.attachedPolicyArns.length > 0) {
          throw new AwsError(
            'DeleteConflict',
            'Cannot delete entity, must detach all policies first.',
            409,
          );
        }
        if (role.inlinePolicies.size > 0)
          throw new AwsError(
            'DeleteConflict',
            'Cannot delete entity, must delete policies first.',
            409,
          );
        acct.roles.delete(role.name.toLowerCase());
        return respond();
      }
      case 'ListRoles': {
        const prefix = optional(p, 'PathPrefix') ?? '/';
        const roles = [...acct.roles.values()]
          .filter((r) => r.path.startsWith(prefix))
          .sort((a, b) => a.name.localeCompare(b.name));
        const pg = paged(roles, p);
        return respond({
          Roles: pg.items.map((r) => roleXml(r, { tags: false })),
          ...truncation(pg.next),
        });
      }
      case 'UpdateAssumeRolePolicy': {
        const role = this.role(acct, required(p, 'RoleName'));
        const doc = required(p, 'PolicyDocument');
        checkTrustPolicy(doc);
        role.trustPolicy = doc;
        return respond();
      }
      case 'TagRole': {
        const role = this.role(acct, required(p, 'RoleName'));
        role.tags = mergeTags(role.tags, validTags(tagList(p)));
        return respond();
      }
      case 'UntagRole': {
        const role = this.role(acct, required(p, 'RoleName'));
        const keys = new Set(memberList(p, 'TagKeys').map((k) => k.toLowerCase()));
        role.tags = role.tags.filter((t) => !keys.has(t.Key.toLowerCase()));
        return respond();
      }
      case 'ListRoleTags': {
        const role = this.role(acct, required(p, 'RoleName'));
        const pg = paged(role.tags, p);
        return respond({ Tags: pg.items.map((t) => ({ ...t })), ...truncation(pg.next) });
      }
      case 'AttachRolePolicy': {
        const role = this.role(acct, required(p, 'RoleName'));
        const policy = this.attachablePolicy(req.accountId, required(p, 'PolicyArn'));
        if (!role.attachedPolicyArns.includes(policy.arn)) {
          if (role.attachedPolicyArns.length >= MAX_MANAGED_PER_ROLE) {
            throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${MAX_MANAGED_PER_ROLE}`);
          }
          role.attachedPolicyArns.push(policy.arn);
        }
        return respond();
      }
      case 'DetachRolePolicy': {
        const role = this.role(acct, required(p, 'RoleName'));
        const arn = checkPolicyArn(required(p, 'PolicyArn'));
        if (!role.attachedPolicyArns.includes(arn))
          throw noSuchEntity(`Policy ${arn} was not found.`);
        role.attachedPolicyArns = role.attachedPolicyArns.filter((a) => a !== arn);
        return respond();
      }
      case 'ListAttachedRolePolicies': {
        const role = this.role(acct, required(p, 'RoleName'));
        const prefix = optional(p, 'PathPrefix') ?? '/';
        const attached = role.attachedPolicyArns
          .map((arn) => this.policyByArn(req.accountId, arn))
          .filter((x): x is ManagedPolicy => x !== undefined && x.path.startsWith(prefix));
        const pg = paged(attached, p);
        return respond({
          AttachedPolicies: pg.items.map((x) => ({ PolicyName: x.name, PolicyArn: x.arn })),
          ...truncation(pg.next),
        });
      }
      case 'PutRolePolicy': {
        const role = this.role(acct, required(p, 'RoleName'));
        const name = checkName(required(p, 'PolicyName'), 'policyName', 128);
        const doc = required(p, 'PolicyDocument');
        checkIdentityPolicy(doc);
        const total = [...role.inlinePolicies]
          .filter(([n]) => n !== name)
          .reduce((n, [, d]) => n + d.replace(/\s/g, '').length, 0);
        if (total + doc.replace(/\s/g, '').length > 10240) {
          throw limitExceeded(`Maximum policy size of 10240 bytes exceeded for role ${role.name}`);
        }
        role.inlinePolicies.set(name, doc);
        return respond();
      }
      case 'GetRolePolicy': {
        const role = this.role(acct, required(p, 'RoleName'));
        const name = required(p, 'PolicyName');
        const doc = role.inlinePolicies.get(name);
        if (doc === undefined)
          throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
        return respond({
          RoleName: role.name,
          PolicyName: name,
          PolicyDocument: encodeURIComponent(doc),
        });
      }
      case 'DeleteRolePolicy': {
        const role = this.role(acct, required(p, 'RoleName'));
        const name = required(p, 'PolicyName');
        if (!role.inlinePolicies.delete(name))
          throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
        return respond();
      }
      case 'ListRolePolicies': {
        const role = this.role(acct, required(p, 'RoleName'));
        const pg = paged([...role.inlinePolicies.keys()].sort(), p);
        return respond({ PolicyNames: pg.items, ...truncation(pg.next) });
      }
      case 'CreatePolicy': {
        const policy = this.createPolicy(req.accountId, {
          name: required(p, 'PolicyName'),
          document: required(p, 'PolicyDocument'),
          path: optional(p, 'Path'),
          description: optional(p, 'Description'),
          tags: tagList(p),
        });
        return respond({ Policy: this.policyXml(req.accountId, policy, false) });
      }
      case 'GetPolicy': {
        const policy = this.existingPolicy(req.accountId, required(p, 'PolicyArn'));
        return respond({ Policy: this.policyXml(req.accountId, policy, true) });
      }
      case 'DeletePolicy': {
        const policy = this.existingPolicy(req.accountId, required(p, 'PolicyArn'));
        if (policy.owner === 'aws')
          throw new AwsError(
            'AccessDenied',
            `User: ${req.principalArn} is not authorized to perform: iam:DeletePolicy on resource: policy ${policy.arn}`,
            403,
          );
        if (this.attachmentCount(req.accountId, policy.arn) > 0) {
          throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
        }
        acct.policies.delete(policy.arn);
        return respond();
      }
      case 'GetPolicyVersion': {
        const policy = this.existingPolicy(req.accountId, required(p, 'PolicyArn'));
        const versionId = required(p, 'VersionId');
        if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) {
          throw validationError(
            `1 validation error detected: Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`,
          );
        }
        if (versionId !== 'v1')
          throw noSuchEntity(
            `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
          );
        return respond({
          PolicyVersion: {
            Document: encodeURIComponent(policy.document),
            VersionId: 'v1',
            IsDefaultVersion: true,
            CreateDate: policy.createDate,
          },
        });
      }
      case 'GetUser': {
        const name =
          optional(p, 'UserName') ?? /:user\/(?:.*\/)?([^/]+)$/.exec(req.principalArn)?.[1];
        if (!name)
          throw validationError('Must specify userName when calling with non-User credentials');
        const user = this.user(req.accountId, name);
        return respond({ User: userXml(user) });
      }
      case 'AttachUserPolicy': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const policy = this.attachablePolicy(req.accountId, required(p, 'PolicyArn'));
        if (!user.attachedPolicyArns.includes(policy.arn)) {
          if (user.attachedPolicyArns.length >= MAX_MANAGED_PER_ROLE)
            throw limitExceeded(`Cannot exceed quota for PoliciesPerUser: ${MAX_MANAGED_PER_ROLE}`);
          user.attachedPolicyArns.push(policy.arn);
        }
        return respond();
      }
      case 'DetachUserPolicy': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const arn = checkPolicyArn(required(p, 'PolicyArn'));
        if (!user.attachedPolicyArns.includes(arn))
          throw noSuchEntity(`Policy ${arn} was not found.`);
        user.attachedPolicyArns = user.attachedPolicyArns.filter((a) => a !== arn);
        return respond();
      }
      case 'ListAttachedUserPolicies': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const prefix = optional(p, 'PathPrefix') ?? '/';
        const attached = user.attachedPolicyArns
          .map((arn) => this.policyByArn(req.accountId, arn))
          .filter((x): x is ManagedPolicy => x !== undefined && x.path.startsWith(prefix));
        const pg = paged(attached, p);
        return respond({
          AttachedPolicies: pg.items.map((x) => ({ PolicyName: x.name, PolicyArn: x.arn })),
          ...truncation(pg.next),
        });
      }
      case 'PutUserPolicy': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const name = checkName(required(p, 'PolicyName'), 'policyName', 128);
        const doc = required(p, 'PolicyDocument');
        checkIdentityPolicy(doc);
        const total = [...user.inlinePolicies]
          .filter(([n]) => n !== name)
          .reduce((n, [, d]) => n + d.replace(/\s/g, '').length, 0);
        if (total + doc.replace(/\s/g, '').length > 2048)
          throw limitExceeded(`Maximum policy size of 2048 bytes exceeded for user ${user.name}`);
        user.inlinePolicies.set(name, doc);
        return respond();
      }
      case 'GetUserPolicy': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const name = required(p, 'PolicyName');
        const doc = user.inlinePolicies.get(name);
        if (doc === undefined)
          throw noSuchEntity(`The user policy with name ${name} cannot be found.`);
        return respond({
          UserName: user.name,
          PolicyName: name,
          PolicyDocument: encodeURIComponent(doc),
        });
      }
      case 'DeleteUserPolicy': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const name = required(p, 'PolicyName');
        if (!user.inlinePolicies.delete(name))
          throw noSuchEntity(`The user policy with name ${name} cannot be found.`);
        return respond();
      }
      case 'ListUserPolicies': {
        const user = this.user(req.accountId, required(p, 'UserName'));
        const pg = paged([...user.inlinePolicies.keys()].sort(), p);
        return respond({ PolicyNames: pg.items, ...truncation(pg.next) });
      }
      case 'SimulatePrincipalPolicy':
        return respond(this.simulatePrincipalPolicy(req.accountId, p));
      default:
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${operation} for version ${VERSION}`,
          400,
        );
    }
  }

  // ---- seeding and lookups -------------------------------------------------------------------

  /** Creates a role as CreateRole + AttachRolePolicy + PutRolePolicy would. */
  seedRole(input: SeedRoleInput): { arn: string; roleId: string } {
    const role = this.createRole(input.accountId, {
      name: input.name,
      path: input.path,
      trustPolicy:
        typeof input.trustPolicy === 'string'
          ? input.trustPolicy
          : JSON.stringify(input.trustPolicy),
      description: input.description,
      maxSessionDuration: input.maxSessionDuration,
      tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    });
    for (const arn of input.attachedPolicyArns ?? []) {
      let policy = this.policyByArn(input.accountId, arn);
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
      const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
      checkIdentityPolicy(text);
      role.inlinePolicies.set(name, text);
    }
    return { arn: role.arn, roleId: role.roleId };
  }

  /** Creates a customer managed policy; returns its ARN. */
  seedPolicy(input: SeedPolicyInput): string {
    return this.createPolicy(input.accountId, {
      name: input.name,
      path: input.path,
      document:
        typeof input.document === 'string' ? input.document : JSON.stringify(input.document),
      description: input.description,
      tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }).arn;
  }

  /** Adds an AWS managed policy (`arn:aws:iam::aws:policy<path><name>`) to the catalogue. */
  seedAwsManagedPolicy(name: string, path: string, document: object): ManagedPolicy {
    const arn = `arn:aws:iam::aws:policy${path}${name}`;
    const now = new Date();
    const policy: ManagedPolicy = {
      owner: 'aws',
      name,
      path,
      policyId: iamUniqueId('ANPA'),
      arn,
      document: JSON.stringify(document),
      createDate: now,
      updateDate: now,
      tags: [],
    };
    this.awsManaged.set(arn, policy);
    return policy;
  }

  /** Creates an IAM user (CreateUser); the owners of the sandbox's access keys need no seeding. */
  seedUser(input: { accountId: string; name: string; path?: string }): string {
    return this.createUser(input.accountId, input.name, input.path ?? '/').arn;
  }

  /** Attaches a managed policy to a user (AttachUserPolicy); the key owners need no seeding. */
  seedUserPolicyAttachment(accountId: string, userName: string, policyArn: string): void {
    const user = this.user(accountId, userName);
    const policy = this.existingPolicy(accountId, policyArn);
    if (!user.attachedPolicyArns.includes(policy.arn)) user.attachedPolicyArns.push(policy.arn);
  }

  /**
   * The identity-based policies IAM holds for a principal: a user's or role's attached managed
   * policies and inline policies. An assumed-role session (`arn:aws:sts::…:assumed-role/R/s`)
   * has its role's. Unknown principals have none.
   */
  identityPolicies(principalArn: string): IdentityPolicy[] {
    const found = this.principal(principalArn);
    if (!found) return [];
    const { accountId, kind, holder } = found;
    const managed = holder.attachedPolicyArns
      .map((arn) => this.policyByArn(accountId, arn))
      .filter((x): x is ManagedPolicy => x !== undefined)
      .map((x): IdentityPolicy => ({
        id: x.arn,
        type: x.owner === 'aws' ? 'aws-managed' : 'user-managed',
        document: this.parsed(x.document),
      }));
    const inline = [...holder.inlinePolicies].map(([id, doc]): IdentityPolicy => ({
      id,
      type: kind,
      document: this.parsed(doc),
    }));
    return [...managed, ...inline];
  }

  /**
   * Stored documents were checked when written; evaluation on every call parses each text once.
   * (Held inside an object: the sandbox's state copies take every Map field of a service.)
   */
  private readonly cache = { documents: new Map<string, PolicyDocument>() };

  private parsed(text: string): PolicyDocument {
    let doc = this.cache.documents.get(text);
    if (!doc) {
      doc = parsePolicy(text, 'identity');
      this.cache.documents.set(text, doc);
    }
    return doc;
  }

  /** The role or user an ARN names (an assumed-role session names its role), if IAM has it. */
  private principal(
    arn: string,
  ): { accountId: string; kind: 'user' | 'role'; holder: Role | User } | undefined {
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

  /** The tags of a role (by ARN), for `aws:ResourceTag/<key>`. */
  tagsOf(arn: string): Record<string, string> | undefined {
    const m = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    if (!m) return undefined;
    const acct = this.accounts.get(m[1]!);
    const holder = (m[2] === 'role' ? acct?.roles : acct?.users)?.get(m[3]!.toLowerCase());
    return holder ? Object.fromEntries(holder.tags.map((t) => [t.Key, t.Value])) : undefined;
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
    const out: Record<string, unknown> = {};
    for (const [accountId, acct] of this.accounts) {
      out[accountId] = {
        roles: Object.fromEntries(
          [...acct.roles.values()].map((r) => [
            r.name,
            {
              arn: r.arn,
              path: r.path,
              roleId: r.roleId,
              createDate: r.createDate.toISOString(),
              trustPolicy: JSON.parse(r.trustPolicy) as unknown,
              description: r.description,
              maxSessionDuration: r.maxSessionDuration,
              tags: Object.fromEntries(r.tags.map((t) => [t.Key, t.Value])),
              attachedPolicyArns: [...r.attachedPolicyArns],
              inlinePolicies: Object.fromEntries(
                [...r.inlinePolicies].map(([n, d]) => [n, JSON.parse(d) as unknown]),
              ),
            },
          ]),
        ),
        policies: Object.fromEntries(
          [...acct.policies.values()].map((x) => [
            x.arn,
            {
              name: x.name,
              path: x.path,
              policyId: x.policyId,
              description: x.description,
              document: JSON.parse(x.document) as unknown,
              tags: Object.fromEntries(x.tags.map((t) => [t.Key, t.Value])),
            },
          ]),
        ),
        // Users appear once IAM was asked about them (their policies are state a change can touch).
        ...(acct.users.size > 0
          ? {
              users: Object.fromEntries(
                [...acct.users.values()].map((u) => [
                  u.name,
                  {
                    arn: u.arn,
                    attachedPolicyArns: [...u.attachedPolicyArns],
                    inlinePolicies: Object.fromEntries(
                      [...u.inlinePolicies].map(([n, d]) => [n, JSON.parse(d) as unknown]),
                    ),
                  },
                ]),
              ),
            }
          : {}),
      };
    }
    return out;
  }

  // ---- internals ---------------------------------------------------------------------------------

  private account(accountId: string): AccountState {
    let a = this.accounts.get(accountId);
    if (!a) {
      a = { roles: new Map(), policies: new Map(), users: new Map() };
      this.accounts.set(accountId, a);
    }
    return a;
  }

  /** A user by name; the owner of one of the account's access keys exists without seeding. */
  private user(accountId: string, name: string): User {
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

  private createUser(accountId: string, name: string, path: string): User {
    checkName(name, 'userName', 64);
    const acct = this.account(accountId);
    if (acct.users.has(name.toLowerCase()))
      throw new AwsError('EntityAlreadyExists', `User with name ${name} already exists.`, 409);
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

  private simulatePrincipalPolicy(accountId: string, p: URLSearchParams): Record<string, XmlValue> {
    const source = required(p, 'PolicySourceArn');
    const actionNames = memberList(p, 'ActionNames');
    if (actionNames.length === 0)
      throw validationError(
        "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null",
      );
    if (this.principal(source)?.accountId !== accountId || source.startsWith('arn:aws:sts:'))
      throw noSuchEntity(`The entity ${source} does not exist.`);
    if (!this.simulator)
      throw new AwsError('ServiceFailure', 'The sandbox has no policy evaluator wired.', 500);
    const context: Record<string, string[]> = {};
    for (const e of memberStructs(p, 'ContextEntries')) {
      const key = e['ContextKeyName'];
      if (!key) continue;
      context[key] = Object.entries(e)
        .filter(([k]) => /^ContextKeyValues\.member\.\d+$/.test(k))
        .sort(([a], [b]) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
        .map(([, v]) => v);
    }
    const results = this.simulator.simulate({
      policySourceArn: source,
      actionNames,
      resourceArns: memberList(p, 'ResourceArns'),
      policyInputList: memberList(p, 'PolicyInputList').map((d) => parsePolicy(d, 'identity')),
      context,
    });
    const pg = paged(results, p);
    return {
      EvaluationResults: pg.items.map((r) => ({
        EvalActionName: r.action,
        EvalResourceName: r.resource,
        EvalDecision: r.decision,
        MatchedStatements: r.matchedStatements.map((m) => ({
          SourcePolicyId: m.sourcePolicyId,
          SourcePolicyType: m.sourcePolicyType,
        })),
        MissingContextValues: r.missingContextValues,
        EvalDecisionDetails: undefined,
      })),
      ...truncation(pg.next),
    };
  }

  private role(acct: AccountState, name: string): Role {
    checkName(name, 'roleName', 64);
    const role = acct.roles.get(name.toLowerCase());
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  }

  private createRole(
    accountId: string,
    input: {
      name: string;
      trustPolicy: string;
      path?: string;
      description?: string;
      maxSessionDuration?: number;
      tags: IamTag[];
    },
  ): Role {
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
    if (acct.roles.has(input.name.toLowerCase())) {
      throw new AwsError(
        'EntityAlreadyExists',
        `Role with name ${input.name} already exists.`,
        409,
      );
    }
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

  private createPolicy(
    accountId: string,
    input: { name: string; document: string; path?: string; description?: string; tags: IamTag[] },
  ): ManagedPolicy {
    checkName(input.name, 'policyName', 128);
    const path = checkPath(input.path ?? '/');
    checkIdentityPolicy(input.document);
    if (input.document.replace(/\s/g, '').length > 6144)
      throw limitExceeded('Cannot exceed quota for PolicySize: 6144');
    const tags = validTags(input.tags);
    const acct = this.account(accountId);
    if ([...acct.policies.values()].some((x) => x.name === input.name)) {
      throw new AwsError(
        'EntityAlreadyExists',
        `A policy called ${input.name} already exists. Duplicate names are not allowed.`,
        409,
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

  private policyByArn(callerAccount: string, arn: string): ManagedPolicy | undefined {
    const m = POLICY_ARN_RE.exec(arn);
    if (!m) return undefined;
    if (m[1] === 'aws') return this.awsManaged.get(arn);
    // Customer managed policies of other accounts are invisible, as in IAM.
    if (m[1] !== callerAccount) return undefined;
    return this.accounts.get(callerAccount)?.policies.get(arn);
  }

  private existingPolicy(callerAccount: string, arn: string): ManagedPolicy {
    checkPolicyArn(arn);
    const policy = this.policyByArn(callerAccount, arn);
    if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  private attachablePolicy(callerAccount: string, arn: string): ManagedPolicy {
    return this.existingPolicy(callerAccount, arn);
  }

  private attachmentCount(accountId: string, arn: string): number {
    const acct = this.accounts.get(accountId);
    return [...(acct?.roles.values() ?? []), ...(acct?.users.values() ?? [])].filter((r) =>
      r.attachedPolicyArns.includes(arn),
    ).length;
  }

  private policyXml(
    callerAccount: string,
    x: ManagedPolicy,
    full: boolean,
  ): Record<string, XmlValue> {
    return {
      PolicyName: x.name,
      PolicyId: x.policyId,
      Arn: x.arn,
      Path: x.path,
      DefaultVersionId: 'v1',
      AttachmentCount: this.attachmentCount(callerAccount, x.arn),
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: full ? x.description : undefined,
      CreateDate: x.createDate,
      UpdateDate: x.updateDate,
      Tags: x.tags.length > 0 ? x.tags.map((t) => ({ ...t })) : undefined,
    };
  }
}

function roleXml(r: Role, opts: { tags: boolean }): Record<string, XmlValue> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createDate,
    // IAM returns policy documents URL-encoded (RFC 3986); clients decode them.
    AssumeRolePolicyDocument: encodeURIComponent(r.trustPolicy),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    Tags: opts.tags ? r.tags.map((t) => ({ ...t })) : undefined,
  };
}

function userXml(u: User): Record<string, XmlValue> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: u.createDate,
    Tags: u.tags.length > 0 ? u.tags.map((t) => ({ ...t })) : undefined,
  };
}

function paged<T>(items: T[], p: URLSearchParams): { items: T[]; next?: string } {
  const max = optionalInt(p, 'MaxItems', 1, 1000) ?? 100;
  const start = decodeToken(optional(p, 'Marker'));
  if (start === undefined) throw validationError('Invalid Marker.');
  return page(items, start, max);
}

function truncation(next: string | undefined): Record<string, XmlValue> {
  return next ? { IsTruncated: true, Marker: next } : { IsTruncated: false };
}

function checkName(name: string, member: string, max: number): string {
  if (name.length < 1 || name.length > max) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must have length ${name.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  if (!NAME_RE.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  }
  return name;
}

function checkPath(path: string): string {
  if (path.length > 512 || !PATH_RE.test(path)) {
    throw validationError(
      `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`,
    );
  }
  return path;
}

function checkPolicyArn(arn: string): string {
  if (!POLICY_ARN_RE.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  return arn;
}

function checkTrustPolicy(doc: string): void {
  if (doc.replace(/\s/g, '').length > 2048)
    throw limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
  parsePolicy(doc, 'trust');
}

function checkIdentityPolicy(doc: string): void {
  parsePolicy(doc, 'identity');
}

function validTags(tags: IamTag[]): IamTag[] {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_KEY_RE.test(t.Key)) {
      throw invalidInput(
        `1 validation error detected: Value '${t.Key}' at 'tags.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
      );
    }
    if (t.Value.length > 256 || !TAG_VALUE_RE.test(t.Value)) {
      throw invalidInput(
        `1 validation error detected: Value '${t.Value}' at 'tags.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`,
      );
    }
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw invalidInput('User is not authorized to add aws: prefixed tag keys.');
    if (seen.has(t.Key.toLowerCase()))
      throw invalidInput(
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    seen.add(t.Key.toLowerCase());
  }
  if (tags.length > MAX_TAGS)
    throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${MAX_TAGS}`);
  return tags.map((t) => ({ ...t }));
}

/** TagRole semantics: given keys overwrite (case-insensitively), others stay. */
function mergeTags(existing: IamTag[], added: IamTag[]): IamTag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const i = out.findIndex((x) => x.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  if (out.length > MAX_TAGS)
    throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${MAX_TAGS}`);
  return out;
}
