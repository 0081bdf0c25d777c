/** IamGateway in memory: roles with trust policies, attached and inline policies, tags. */
import { GatewayError } from '../ports/GatewayError';
import type { CreateRoleInput, IamGateway, IamRole, PolicyDocument } from '../ports/IamGateway';
import { FakeFaults } from './FakeFaults';
import { clone } from './clone';

interface RoleState extends Omit<IamRole, 'inlinePolicyNames'> {
  inline: Map<string, PolicyDocument>;
}

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy\/.+/;

export class InMemoryIamGateway implements IamGateway {
  readonly accountId: string;
  readonly faults = new FakeFaults();
  /** Keyed by lower-cased name: IAM role names are unique regardless of case. */
  private readonly roles = new Map<string, RoleState>();

  constructor(
    opts: {
      accountId?: string;
      roles?: (CreateRoleInput & {
        attachedPolicyArns?: string[];
        inlinePolicies?: Record<string, PolicyDocument>;
      })[];
    } = {},
  ) {
    this.accountId = opts.accountId ?? '111111111111';
    for (const r of opts.roles ?? []) {
      this.create(r);
      for (const arn of r.attachedPolicyArns ?? [])
        this.must(r.name, 'seed').attachedPolicyArns.push(arn);
      for (const [n, d] of Object.entries(r.inlinePolicies ?? {}))
        this.must(r.name, 'seed').inline.set(n, clone(d));
    }
  }

  async getRole(name: string): Promise<IamRole | undefined> {
    this.faults.check('iam', 'GetRole');
    const r = this.roles.get(name.toLowerCase());
    return r ? view(r) : undefined;
  }

  async createRole(input: CreateRoleInput): Promise<IamRole> {
    this.faults.check('iam', 'CreateRole');
    return view(this.create(input));
  }

  async deleteRole(name: string): Promise<void> {
    this.faults.check('iam', 'DeleteRole');
    const r = this.must(name, 'DeleteRole');
    if (r.attachedPolicyArns.length || r.inline.size) {
      throw new GatewayError(
        'InUse',
        'Cannot delete entity, must detach all policies first.',
        'iam',
        'DeleteRole',
        'DeleteConflict',
        409,
      );
    }
    this.roles.delete(name.toLowerCase());
  }

  async attachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    this.faults.check('iam', 'AttachRolePolicy');
    const r = this.must(roleName, 'AttachRolePolicy');
    if (!POLICY_ARN.test(policyArn))
      throw new GatewayError(
        'InvalidParameter',
        `ARN ${policyArn} is not valid.`,
        'iam',
        'AttachRolePolicy',
        'InvalidInput',
        400,
      );
    if (!r.attachedPolicyArns.includes(policyArn)) r.attachedPolicyArns.push(policyArn);
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    this.faults.check('iam', 'DetachRolePolicy');
    const r = this.must(roleName, 'DetachRolePolicy');
    if (!r.attachedPolicyArns.includes(policyArn))
      throw new GatewayError(
        'NotFound',
        `Policy ${policyArn} was not found.`,
        'iam',
        'DetachRolePolicy',
        'NoSuchEntity',
        404,
      );
    r.attachedPolicyArns = r.attachedPolicyArns.filter((a) => a !== policyArn);
  }

  async getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
    this.faults.check('iam', 'GetRolePolicy');
    const d = this.must(roleName, 'GetRolePolicy').inline.get(policyName);
    return d ? clone(d) : undefined;
  }

  async putRolePolicy(
    roleName: string,
    policyName: string,
    document: PolicyDocument,
  ): Promise<void> {
    this.faults.check('iam', 'PutRolePolicy');
    const r = this.must(roleName, 'PutRolePolicy');
    if (!Array.isArray(document['Statement']) && typeof document['Statement'] !== 'object') {
      throw new GatewayError(
        'InvalidParameter',
        'Syntax errors in policy.',
        'iam',
        'PutRolePolicy',
        'MalformedPolicyDocument',
        400,
      );
    }
    r.inline.set(policyName, clone(document));
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<void> {
    this.faults.check('iam', 'DeleteRolePolicy');
    if (!this.must(roleName, 'DeleteRolePolicy').inline.delete(policyName)) {
      throw new GatewayError(
        'NotFound',
        `The role policy with name ${policyName} cannot be found.`,
        'iam',
        'DeleteRolePolicy',
        'NoSuchEntity',
        404,
      );
    }
  }

  async tagRole(roleName: string, tags: Record<string, string>): Promise<void> {
    this.faults.check('iam', 'TagRole');
    Object.assign(this.must(roleName, 'TagRole').tags, tags);
  }

  async untagRole(roleName: string, keys: string[]): Promise<void> {
    this.faults.check('iam', 'UntagRole');
    const r = this.must(roleName, 'UntagRole');
    for (const k of keys) delete r.tags[k];
  }

  private create(input: CreateRoleInput): RoleState {
    if (!/^[\w+=,.@-]{1,64}$/.test(input.name)) {
      throw new GatewayError(
        'InvalidParameter',
        `1 validation error detected: Value '${input.name}' at 'roleName' failed to satisfy constraint`,
        'iam',
        'CreateRole',
        'ValidationError',
        400,
      );
    }
    if (this.roles.has(input.name.toLowerCase())) {
      throw new GatewayError(
        'Conflict',
        `Role with name ${input.name} already exists.`,
        'iam',
        'CreateRole',
        'EntityAlreadyExists',
        409,
      );
    }
    const path = input.path ?? '/';
    const role: RoleState = {
      name: input.name,
      arn: `arn:aws:iam::${this.accountId}:role${path}${input.name}`,
      path,
      trustPolicy: clone(input.trustPolicy),
      attachedPolicyArns: [],
      tags: { ...(input.tags ?? {}) },
      ...(input.description ? { description: input.description } : {}),
      createdAt: new Date().toISOString(),
      inline: new Map(),
    };
    this.roles.set(input.name.toLowerCase(), role);
    return role;
  }

  private must(name: string, operation: string): RoleState {
    const r = this.roles.get(name.toLowerCase());
    if (!r)
      throw new GatewayError(
        'NotFound',
        `The role with name ${name} cannot be found.`,
        'iam',
        operation,
        'NoSuchEntity',
        404,
      );
    return r;
  }
}

function view(r: RoleState): IamRole {
  const { inline, ...rest } = r;
  return clone({ ...rest, inlinePolicyNames: [...inline.keys()].sort() });
}
