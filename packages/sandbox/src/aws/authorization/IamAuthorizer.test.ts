import type { AwsRequest } from '../types';
import { IamAuthorizer } from './IamAuthorizer';
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
