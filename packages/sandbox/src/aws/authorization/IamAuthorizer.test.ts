import type { AwsRequest } from '../types';
import type { PolicyDocument } from '../iam/policyDocument';
import { IamAuthorizer, type AuthorizationSources } from './IamAuthorizer';
import { authorizationsOf } from './requestAuthorization';

const ACCT = '111111111111';
function req(over: Partial<AwsRequest>): AwsRequest {
  return {
    service: 'eks',
    method: 'GET',
    path: '/',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    region: 'us-east-1',
    accountId: ACCT,
    accessKeyId: 'AKIA',
    principalArn: `arn:aws:iam::${ACCT}:user/u`,
    requestId: 'r',
    ...over,
  };
}

describe('authorizationsOf', () => {
  it('names the EKS cluster or add-on ARN from the path', () => {
    expect(authorizationsOf(req({ path: '/clusters/ml/addons/vpc-cni' }), 'DescribeAddon')).toEqual(
      [
        {
          action: 'eks:DescribeAddon',
          resource: `arn:aws:eks:us-east-1:${ACCT}:addon/ml/vpc-cni/*`,
        },
      ],
    );
    expect(authorizationsOf(req({ path: '/clusters/ml' }), 'DescribeCluster')[0]!.resource).toBe(
      `arn:aws:eks:us-east-1:${ACCT}:cluster/ml`,
    );
  });

  it('adds iam:PassRole to EKS for an add-on given a service-account role', () => {
    const body = Buffer.from(
      JSON.stringify({ addonName: 'x', serviceAccountRoleArn: `arn:aws:iam::${ACCT}:role/r` }),
    );
    expect(
      authorizationsOf(req({ method: 'POST', path: '/clusters/ml/addons', body }), 'CreateAddon'),
    ).toEqual([
      { action: 'eks:CreateAddon', resource: `arn:aws:eks:us-east-1:${ACCT}:cluster/ml` },
      {
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${ACCT}:role/r`,
        context: { 'iam:PassedToService': 'eks.amazonaws.com' },
      },
    ]);
  });

  it('maps S3 HeadBucket to s3:ListBucket on the bucket, IAM calls to the role', () => {
    expect(authorizationsOf(req({ service: 's3', path: '/b' }), 'HeadBucket')).toEqual([
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::b' },
    ]);
    const body = Buffer.from('Action=GetRole&Version=2010-05-08&RoleName=Admin');
    expect(authorizationsOf(req({ service: 'iam', body }), 'GetRole')[0]!.resource).toBe(
      `arn:aws:iam::${ACCT}:role/Admin`,
    );
  });
});

describe('request tags in the condition context', () => {
  it('reads IAM CreateRole tags as aws:RequestTag and aws:TagKeys', () => {
    const body = Buffer.from(
      'Action=CreateRole&RoleName=SageMakerHP-ALB-x-addon&Tags.member.1.Key=CreatedBy&Tags.member.1.Value=HyperPodInference',
    );
    expect(authorizationsOf(req({ service: 'iam', body }), 'CreateRole')).toEqual([
      {
        action: 'iam:CreateRole',
        resource: `arn:aws:iam::${ACCT}:role/SageMakerHP-ALB-x-addon`,
        context: { 'aws:TagKeys': ['CreatedBy'], 'aws:RequestTag/CreatedBy': 'HyperPodInference' },
      },
    ]);
  });

  it('authorizes ELBv2 tagging per load balancer, with the keys it removes', () => {
    const lb = (n: number) =>
      `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:loadbalancer/app/a${n}/1`;
    const body = Buffer.from(
      new URLSearchParams({
        Action: 'RemoveTags',
        'ResourceArns.member.1': lb(1),
        'ResourceArns.member.2': lb(2),
        'TagKeys.member.1': 'CreatedBy',
      }).toString(),
    );
    expect(authorizationsOf(req({ service: 'elasticloadbalancing', body }), 'RemoveTags')).toEqual(
      [lb(1), lb(2)].map((resource) => ({
        action: 'elasticloadbalancing:RemoveTags',
        resource,
        context: { 'aws:TagKeys': ['CreatedBy'] },
      })),
    );
  });

  it('reads ACM tags and the certificate ARN from the JSON body', () => {
    const arn = `arn:aws:acm:us-east-1:${ACCT}:certificate/abc`;
    const body = Buffer.from(
      JSON.stringify({
        CertificateArn: arn,
        Tags: [{ Key: 'CreatedBy', Value: 'HyperPodInference' }],
      }),
    );
    expect(authorizationsOf(req({ service: 'acm', body }), 'AddTagsToCertificate')).toEqual([
      {
        action: 'acm:AddTagsToCertificate',
        resource: arn,
        context: { 'aws:TagKeys': ['CreatedBy'], 'aws:RequestTag/CreatedBy': 'HyperPodInference' },
      },
    ]);
  });
});

describe('EKS request tags', () => {
  it('reads CreateAddon’s tags map as aws:RequestTag and aws:TagKeys', () => {
    const body = Buffer.from(
      JSON.stringify({ addonName: 'x', tags: { CreatedBy: 'HyperPodInference' } }),
    );
    expect(
      authorizationsOf(req({ method: 'POST', path: '/clusters/ml/addons', body }), 'CreateAddon'),
    ).toEqual([
      {
        action: 'eks:CreateAddon',
        resource: `arn:aws:eks:us-east-1:${ACCT}:cluster/ml`,
        context: { 'aws:TagKeys': ['CreatedBy'], 'aws:RequestTag/CreatedBy': 'HyperPodInference' },
      },
    ]);
  });
});

describe('IamAuthorizer', () => {
  const allowDescribe = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'eks:Describe*', Resource: '*' }],
  };

  it('lets every call through for accounts without enforcement', () => {
    const a = new IamAuthorizer();
    expect(a.check(req({ path: '/clusters/ml' }), 'DeleteCluster', 'rest-json')).toBeUndefined();
  });

  it('evaluates an assumed-role session with its role’s policies', () => {
    const a = new IamAuthorizer();
    a.enforce(ACCT);
    a.setPolicies(`arn:aws:iam::${ACCT}:role/Reader`, [allowDescribe]);
    const session = `arn:aws:sts::${ACCT}:assumed-role/Reader/s1`;
    expect(
      a.check(req({ principalArn: session, path: '/clusters/ml' }), 'DescribeCluster', 'rest-json'),
    ).toBeUndefined();
    const denied = a.check(
      req({ principalArn: session, path: '/clusters/ml' }),
      'DeleteCluster',
      'rest-json',
    );
    expect([denied?.code, denied?.status]).toEqual(['AccessDeniedException', 403]);
    // Another principal of the same account has no policies: everything but whoami is refused.
    expect(a.check(req({ path: '/clusters/ml' }), 'DescribeCluster', 'rest-json')?.code).toBe(
      'AccessDeniedException',
    );
    expect(a.check(req({ service: 'sts' }), 'GetCallerIdentity', 'query')).toBeUndefined();
  });
});

describe('IamAuthorizer with the IAM state as its source', () => {
  const user = `arn:aws:iam::${ACCT}:user/u`;
  const tagged = `arn:aws:iam::${ACCT}:role/SageMakerHP-ALB-x`;
  const untagged = `arn:aws:iam::${ACCT}:role/SageMakerHP-ALB-y`;
  const object = 'arn:aws:s3:::tls/cert.pem';
  const grant: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iam:AttachRolePolicy',
        Resource: `arn:aws:iam::*:role/SageMakerHP-*`,
        Condition: { StringEquals: { 'aws:ResourceTag/CreatedBy': 'HyperPodInference' } },
      },
      {
        Effect: 'Allow',
        Action: 's3:DeleteObjectTagging',
        Resource: 'arn:aws:s3:::*/*',
        Condition: { StringEquals: { 's3:ExistingObjectTag/CreatedBy': 'HyperPodInference' } },
      },
      {
        Effect: 'Allow',
        Action: ['eks:CreateAddon', 'eks:UpdateAddon'],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: `arn:aws:iam::*:role/SageMakerHP-*`,
        Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } },
      },
    ],
  };
  const sources: AuthorizationSources = {
    identityPolicies: (arn) =>
      arn === user
        ? [{ id: 'arn:aws:iam::111111111111:policy/grant', type: 'user-managed', document: grant }]
        : [],
    resourceTags: (arn): Record<string, string> | undefined =>
      arn === tagged || arn === object
        ? { CreatedBy: 'HyperPodInference' }
        : arn === untagged
          ? {}
          : undefined,
  };
  const authorizer = () => {
    const a = new IamAuthorizer(sources);
    a.enforce(ACCT);
    return a;
  };
  const iam = (action: string, role: string) =>
    req({
      service: 'iam',
      method: 'POST',
      body: Buffer.from(
        `Action=${action}&Version=2010-05-08&RoleName=${role}&PolicyArn=arn:aws:iam::aws:policy/X`,
      ),
    });

  it('reads aws:ResourceTag from the resource the call acts on', () => {
    const a = authorizer();
    expect(
      a.check(iam('AttachRolePolicy', 'SageMakerHP-ALB-x'), 'AttachRolePolicy', 'query'),
    ).toBeUndefined();
    const denied = a.check(
      iam('AttachRolePolicy', 'SageMakerHP-ALB-y'),
      'AttachRolePolicy',
      'query',
    );
    expect(denied?.message).toBe(
      `User: ${user} is not authorized to perform: iam:AttachRolePolicy on resource: ${untagged} because no identity-based policy allows the iam:AttachRolePolicy action`,
    );
  });

  it('reads an S3 object’s tags as s3:ExistingObjectTag', () => {
    const a = authorizer();
    const del = (key: string) =>
      a.check(
        req({ service: 's3', method: 'DELETE', path: `/tls/${key}` }),
        'DeleteObjectTagging',
        'rest-xml',
      );
    expect(del('cert.pem')).toBeUndefined();
    expect(del('other.pem')?.code).toBe('AccessDenied');
  });

  it('authorizes iam:PassRole, passed to EKS, for every role an add-on call hands over', () => {
    const a = authorizer();
    const create = (roles: { irsa?: string; podIdentity?: string }) =>
      a.check(
        req({
          method: 'POST',
          path: '/clusters/ml/addons',
          body: Buffer.from(
            JSON.stringify({
              addonName: 'x',
              ...(roles.irsa ? { serviceAccountRoleArn: roles.irsa } : {}),
              ...(roles.podIdentity
                ? { podIdentityAssociations: [{ serviceAccount: 's', roleArn: roles.podIdentity }] }
                : {}),
            }),
          ),
        }),
        'CreateAddon',
        'rest-json',
      );
    expect(create({ irsa: tagged, podIdentity: untagged })).toBeUndefined();
    const denied = create({ podIdentity: `arn:aws:iam::${ACCT}:role/Admin` });
    expect([denied?.code, denied?.status]).toEqual(['AccessDeniedException', 403]);
    expect(denied?.message).toContain(`iam:PassRole on resource: arn:aws:iam::${ACCT}:role/Admin`);
  });

  it('adds policies a test gives to those IAM holds; an explicit Deny among them wins', () => {
    const a = authorizer();
    a.setPolicies(user, [
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: tagged }] },
    ]);
    expect(a.policiesOf(user).map((p) => p.id)).toEqual([
      'arn:aws:iam::111111111111:policy/grant',
      'sandbox-authorization-1',
    ]);
    expect(
      a.check(iam('AttachRolePolicy', 'SageMakerHP-ALB-x'), 'AttachRolePolicy', 'query')?.message,
    ).toContain('with an explicit deny in an identity-based policy');
  });

  it('simulates an administrator where enforcement is off, as the calls themselves then succeed', () => {
    const a = new IamAuthorizer(sources);
    const input = {
      policySourceArn: user,
      actionNames: ['iam:AttachRolePolicy'],
      resourceArns: [tagged],
      policyInputList: [],
      context: {},
    };
    expect(a.simulate(input)).toEqual([
      expect.objectContaining({
        decision: 'allowed',
        matchedStatements: [
          {
            sourcePolicyId: 'arn:aws:iam::aws:policy/AdministratorAccess',
            sourcePolicyType: 'aws-managed',
          },
        ],
      }),
    ]);
    a.enforce(ACCT);
    expect(a.simulate(input)).toEqual([expect.objectContaining({ decision: 'implicitDeny' })]);
  });

  it('simulates each action on each resource with the given context, naming missing keys and matches', () => {
    const a = authorizer();
    const results = a.simulate({
      policySourceArn: user,
      actionNames: ['iam:AttachRolePolicy', 'iam:PassRole'],
      resourceArns: [tagged],
      policyInputList: [],
      context: { 'iam:PassedToService': ['eks.amazonaws.com'] },
    });
    expect(results).toEqual([
      {
        action: 'iam:AttachRolePolicy',
        resource: tagged,
        // The simulator reads no resource tags: the caller gives them or is told they are missing.
        decision: 'implicitDeny',
        missingContextValues: ['aws:ResourceTag/CreatedBy'],
        matchedStatements: [],
      },
      {
        action: 'iam:PassRole',
        resource: tagged,
        decision: 'allowed',
        missingContextValues: [],
        matchedStatements: [
          {
            sourcePolicyId: 'arn:aws:iam::111111111111:policy/grant',
            sourcePolicyType: 'user-managed',
          },
        ],
      },
    ]);
    const denied = a.simulate({
      policySourceArn: user,
      actionNames: ['iam:PassRole'],
      resourceArns: [],
      policyInputList: [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }],
        },
      ],
      context: {},
    });
    expect(denied).toEqual([
      {
        action: 'iam:PassRole',
        resource: '*',
        decision: 'explicitDeny',
        // `*` is not within the PassRole statement's role pattern: nothing of it is needed.
        missingContextValues: [],
        matchedStatements: [{ sourcePolicyId: 'PolicyInputList.1', sourcePolicyType: 'none' }],
      },
    ]);
  });
});
