import { Accounts } from '../Accounts';
import { IamService } from '../iam/IamService';
import type { AwsRequest } from '../types';
import { IamAuthorizer } from './IamAuthorizer';
import { resourceTagsFrom } from './resourceTags';

/**
 * The evaluation wired to IAM's own state, as the Sandbox wires it: the policies IAM holds for a
 * user or a role (attached managed and inline) decide, an assumed-role session gets its role's,
 * and the roles' tags are the `aws:ResourceTag` of calls on them.
 */
const ACCT = '111111111111';
const USER = `arn:aws:iam::${ACCT}:user/operator`;
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }],
};

function setup() {
  const accounts = new Accounts();
  accounts.add({
    accessKeyId: 'AKIAOPERATOR',
    secretAccessKey: 's',
    accountId: ACCT,
    principalArn: USER,
    userId: 'AIDAOPERATOR',
  });
  const iam = new IamService({
    accounts,
    kubeFor: () => undefined,
    timing: { addonTransitionMs: 0 },
  });
  const authorizer = new IamAuthorizer({
    identityPolicies: (arn) => iam.identityPolicies(arn),
    resourceTags: resourceTagsFrom({ iam }),
  });
  authorizer.enforce(ACCT);
  return { iam, authorizer };
}

const iamCall = (principalArn: string, action: string, roleName: string): AwsRequest => ({
  service: 'iam',
  method: 'POST',
  path: '/',
  rawPath: '/',
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.from(`Action=${action}&Version=2010-05-08&RoleName=${roleName}`),
  region: 'us-east-1',
  accountId: ACCT,
  accessKeyId: 'AKIAOPERATOR',
  principalArn,
  requestId: 'r',
});

describe('IAM enforcement from IAM’s stored policies', () => {
  it('evaluates a user’s attached managed policy and a role session’s inline policy', () => {
    const { iam, authorizer } = setup();
    const check = (principal: string, action: string, role: string) =>
      authorizer.check(iamCall(principal, action, role), action, 'query')?.code ?? 'allowed';
    expect(check(USER, 'GetRole', 'Tagged')).toBe('AccessDenied');

    const readRoles = iam.seedPolicy({
      accountId: ACCT,
      name: 'read-roles',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }],
      },
    });
    iam.seedUserPolicyAttachment(ACCT, 'operator', readRoles);
    expect(check(USER, 'GetRole', 'Tagged')).toBe('allowed');
    expect(check(USER, 'DeleteRole', 'Tagged')).toBe('AccessDenied');

    iam.seedRole({
      accountId: ACCT,
      name: 'Tagged',
      trustPolicy: TRUST,
      tags: { CreatedBy: 'HyperPodInference' },
    });
    iam.seedRole({ accountId: ACCT, name: 'Untagged', trustPolicy: TRUST });
    iam.seedRole({
      accountId: ACCT,
      name: 'Cleaner',
      trustPolicy: TRUST,
      inlinePolicies: {
        delete: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:DeleteRole',
              Resource: '*',
              Condition: { StringEquals: { 'aws:ResourceTag/CreatedBy': 'HyperPodInference' } },
            },
          ],
        },
      },
    });
    const session = `arn:aws:sts::${ACCT}:assumed-role/Cleaner/run-1`;
    expect(check(session, 'DeleteRole', 'Tagged')).toBe('allowed');
    expect(check(session, 'DeleteRole', 'Untagged')).toBe('AccessDenied');
    // The session has its role's policies, not the user's.
    expect(check(session, 'GetRole', 'Tagged')).toBe('AccessDenied');
  });
});
