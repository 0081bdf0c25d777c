/**
 * The IAM operations the product uses on roles (the IRSA roles Helm installs were given by hand and
 * the ones migrations create). IAM is global: one gateway speaks for one account.
 * Adapters: AwsSdkIamGateway (core-node), InMemoryIamGateway (tests).
 */

/** A policy document (trust or permissions) as parsed JSON. */
export type PolicyDocument = Record<string, unknown>;

export interface IamRole {
  name: string;
  arn: string;
  path: string;
  /** The assume-role (trust) policy, parsed; IAM returns it URL-encoded JSON. */
  trustPolicy: PolicyDocument;
  attachedPolicyArns: string[];
  inlinePolicyNames: string[];
  tags: Record<string, string>;
  description?: string;
  /** ISO-8601. */
  createdAt?: string;
}

export interface CreateRoleInput {
  name: string;
  trustPolicy: PolicyDocument;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
}

export interface IamGateway {
  readonly accountId?: string;
  /** Undefined when no role has this name. */
  getRole(name: string): Promise<IamRole | undefined>;
  createRole(input: CreateRoleInput): Promise<IamRole>;
  /** Fails with InUse while policies are still attached or inline. */
  deleteRole(name: string): Promise<void>;
  attachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  /** Undefined when the role has no inline policy of this name. */
  getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined>;
  putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<void>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
  tagRole(roleName: string, tags: Record<string, string>): Promise<void>;
  untagRole(roleName: string, keys: string[]): Promise<void>;
  /**
   * iam:SimulatePrincipalPolicy: how the principal's identity-based policies decide each action on
   * the resource, with the condition keys the real call would carry. Optional: a gateway that
   * cannot simulate leaves the calls themselves to tell.
   */
  simulatePrincipalPolicy?(input: SimulationInput): Promise<SimulationResult[]>;
}

export interface SimulationInput {
  /** A user or role ARN (an assumed-role session is simulated as its role). */
  principalArn: string;
  actions: string[];
  resource: string;
  /** Condition keys: `aws:RequestTag/CreatedBy`, `iam:PassedToService`… */
  context?: Record<string, string | string[]>;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
}
