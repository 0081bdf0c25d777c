/**
 * IAM's state as the sandbox holds it, per account: roles, customer managed policies and the
 * users behind the access keys, and the errors IAM answers about them.
 */
import { AwsError } from '../types';
import type { PolicyDocument } from './policyDocument';

export interface IamTag {
  Key: string;
  Value: string;
}

/** What roles and users share: the policies attached to them and written into them. */
export interface PolicyHolder {
  accountId: string;
  name: string;
  path: string;
  arn: string;
  createDate: Date;
  tags: IamTag[];
  attachedPolicyArns: string[];
  inlinePolicies: Map<string, string>;
}

export interface Role extends PolicyHolder {
  roleId: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
}

/**
 * An IAM user. The sandbox's users are the owners of its long-term access keys; they come into
 * IAM's state the first time IAM is asked about them, so the snapshot of an untouched account
 * stays as it was.
 */
export interface User extends PolicyHolder {
  userId: string;
}

export interface ManagedPolicy {
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

export interface AccountState {
  /** Keyed by lowercased name: IAM role names are unique regardless of case. */
  roles: Map<string, Role>;
  policies: Map<string, ManagedPolicy>;
  /** Keyed by lowercased name. */
  users: Map<string, User>;
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

/** One identity-based policy as IAM attaches it, named for SimulatePrincipalPolicy's answers. */
export interface IdentityPolicy {
  /** Managed policy ARN, or the inline policy's name. */
  id: string;
  type: 'user' | 'role' | 'aws-managed' | 'user-managed' | 'none';
  document: PolicyDocument;
}

export const POLICY_ARN_RE =
  /^arn:aws:iam::(aws|\d{12}):policy((?:\/[\u0021-\u007E]+)*)\/([\w+=,.@-]+)$/;
/** Managed policies a role or a user may have attached. */
export const MAX_MANAGED_PER_HOLDER = 10;

export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const entityAlreadyExists = (message: string) =>
  new AwsError('EntityAlreadyExists', message, 409);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
