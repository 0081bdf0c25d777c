import type { PolicyDocument } from '../iam/policyDocument';
import { accessDenied } from './accessDenied';
import { arnMatch, evaluatePolicies, missingConditionKeys } from './evaluatePolicies';

const policy = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});

describe('evaluatePolicies', () => {
  const readAddons = policy({
    Sid: 'Read',
    Effect: 'Allow',
    Action: ['eks:Describe*', 'eks:ListAddons'],
    Resource: 'arn:aws:eks:*:*:addon/*/*/*',
  });
  const addon = 'arn:aws:eks:us-east-1:111111111111:addon/ml/vpc-cni/abcd';

  it('allows a matching action and resource, naming the statement', () => {
    expect(
      evaluatePolicies([readAddons], { action: 'eks:DescribeAddon', resource: addon }),
    ).toEqual({ decision: 'allow', sid: 'Read' });
    // Action names match without case.
    expect(
      evaluatePolicies([readAddons], { action: 'EKS:describeaddon', resource: addon }).decision,
    ).toBe('allow');
  });

  it('denies implicitly what no statement allows', () => {
    expect(evaluatePolicies([readAddons], { action: 'eks:DeleteAddon', resource: addon })).toEqual({
      decision: 'implicitDeny',
    });
    expect(
      evaluatePolicies([readAddons], {
        action: 'eks:DescribeAddon',
        resource: 'arn:aws:eks:us-east-1:111111111111:cluster/ml',
      }).decision,
    ).toBe('implicitDeny');
    expect(evaluatePolicies([], { action: 'eks:DescribeAddon', resource: addon }).decision).toBe(
      'implicitDeny',
    );
  });

  it('lets an explicit Deny win over any Allow', () => {
    const deny = policy({ Sid: 'No', Effect: 'Deny', Action: 'eks:*', Resource: '*' });
    expect(
      evaluatePolicies([readAddons, deny], { action: 'eks:DescribeAddon', resource: addon }),
    ).toEqual({ decision: 'explicitDeny', sid: 'No' });
  });

  it('matches ARNs segment by segment', () => {
    expect(
      arnMatch(
        'arn:aws:iam::*:role/SageMakerHP-*',
        'arn:aws:iam::111111111111:role/SageMakerHP-ALB-x-addon',
      ),
    ).toBe(true);
    expect(
      arnMatch('arn:aws:iam::*:role/SageMakerHP-*', 'arn:aws:iam::111111111111:role/Admin'),
    ).toBe(false);
    // `*` in the account segment does not reach into the resource.
    expect(arnMatch('arn:aws:iam::*:role/x', 'arn:aws:iam::1:role/y:role/x')).toBe(false);
    expect(arnMatch('arn:aws:s3:::*/*', 'arn:aws:s3:::bucket/a/b.pem')).toBe(true);
    expect(arnMatch('arn:aws:s3:::*/*', 'arn:aws:s3:::bucket')).toBe(false);
  });

  it('evaluates conditions: StringEquals on a tag, a missing key, IfExists, negation', () => {
    const tagged = policy({
      Effect: 'Allow',
      Action: 'iam:DeleteRole',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/CreatedBy': 'HyperPodInference' } },
    });
    const del = (context?: Record<string, string>) =>
      evaluatePolicies([tagged], {
        action: 'iam:DeleteRole',
        resource: 'arn:aws:iam::1:role/r',
        context,
      }).decision;
    expect(del({ 'aws:ResourceTag/CreatedBy': 'HyperPodInference' })).toBe('allow');
    expect(del({ 'aws:resourcetag/createdby': 'HyperPodInference' })).toBe('allow');
    expect(del({ 'aws:ResourceTag/CreatedBy': 'someone' })).toBe('implicitDeny');
    expect(del()).toBe('implicitDeny');

    const ifExists = (op: string) =>
      evaluatePolicies(
        [
          policy({
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: '*',
            Condition: { [op]: { 'iam:PassedToService': 'eks.amazonaws.com' } },
          }),
        ],
        { action: 'iam:PassRole', resource: 'arn:aws:iam::1:role/r' },
      ).decision;
    expect(ifExists('StringEquals')).toBe('implicitDeny');
    expect(ifExists('StringEqualsIfExists')).toBe('allow');
    expect(ifExists('StringNotEquals')).toBe('allow');
  });

  it('evaluates ForAllValues over a multi-valued key (aws:TagKeys)', () => {
    const onlyCreatedBy = policy({
      Effect: 'Allow',
      Action: 'elasticloadbalancing:AddTags',
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['CreatedBy'] } },
    });
    const add = (keys: string[]) =>
      evaluatePolicies([onlyCreatedBy], {
        action: 'elasticloadbalancing:AddTags',
        resource: '*',
        context: { 'aws:TagKeys': keys },
      }).decision;
    expect(add(['CreatedBy'])).toBe('allow');
    expect(add(['CreatedBy', 'Owner'])).toBe('implicitDeny');
  });
});

describe('evaluatePolicies: NotAction, NotResource and the pattern operators', () => {
  const role = (n: string) => `arn:aws:iam::111111111111:role/${n}`;

  it('allows everything but what NotAction / NotResource name', () => {
    const allButIam = policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(
      evaluatePolicies([allButIam], { action: 'eks:DeleteAddon', resource: '*' }).decision,
    ).toBe('allow');
    expect(evaluatePolicies([allButIam], { action: 'iam:PassRole', resource: '*' }).decision).toBe(
      'implicitDeny',
    );
    const notAdmin = policy({ Effect: 'Deny', Action: 'iam:*', NotResource: role('Mine-*') });
    const all = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(
      evaluatePolicies([all, notAdmin], { action: 'iam:DeleteRole', resource: role('Admin') })
        .decision,
    ).toBe('explicitDeny');
    expect(
      evaluatePolicies([all, notAdmin], { action: 'iam:DeleteRole', resource: role('Mine-1') })
        .decision,
    ).toBe('allow');
  });

  it('matches StringLike, ArnLike and ForAnyValue conditions', () => {
    const p = policy({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: {
        StringLike: { 'iam:PassedToService': '*.amazonaws.com' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:*:cluster/ml-*' },
        'ForAnyValue:StringEquals': { 'aws:TagKeys': ['CreatedBy'] },
      },
    });
    const ctx = (over: Record<string, string | string[]>) => ({
      'iam:PassedToService': 'eks.amazonaws.com',
      'aws:SourceArn': 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod',
      'aws:TagKeys': ['Owner', 'CreatedBy'],
      ...over,
    });
    const decide = (c: Record<string, string | string[]>) =>
      evaluatePolicies([p], { action: 'iam:PassRole', resource: role('r'), context: c }).decision;
    expect(decide(ctx({}))).toBe('allow');
    expect(decide(ctx({ 'iam:PassedToService': 'eks.example.com' }))).toBe('implicitDeny');
    expect(decide(ctx({ 'aws:SourceArn': 'arn:aws:eks:us-east-1:111111111111:cluster/dev' }))).toBe(
      'implicitDeny',
    );
    expect(decide(ctx({ 'aws:TagKeys': ['Owner'] }))).toBe('implicitDeny');
  });

  it('names the condition keys a matching statement needs and the request lacks', () => {
    const p = policy(
      {
        Effect: 'Allow',
        Action: 'iam:AttachRolePolicy',
        Resource: role('SageMakerHP-*'),
        Condition: { StringEquals: { 'aws:ResourceTag/CreatedBy': 'HyperPodInference' } },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } },
      },
    );
    expect(
      missingConditionKeys([p], {
        action: 'iam:AttachRolePolicy',
        resource: role('SageMakerHP-x'),
      }),
    ).toEqual(['aws:ResourceTag/CreatedBy']);
    expect(
      missingConditionKeys([p], {
        action: 'iam:AttachRolePolicy',
        resource: role('SageMakerHP-x'),
        context: { 'aws:resourcetag/createdby': 'HyperPodInference' },
      }),
    ).toEqual([]);
    // A statement for another action or resource needs nothing of this request.
    expect(
      missingConditionKeys([p], { action: 'iam:AttachRolePolicy', resource: role('Admin') }),
    ).toEqual([]);
  });
});

describe('accessDenied', () => {
  const user = 'arn:aws:iam::111111111111:user/reader';
  it('answers in each protocol’s shape and names action, resource and reason', () => {
    const eks = accessDenied(
      'rest-json',
      user,
      'eks:CreateAddon',
      'arn:aws:eks:us-east-1:1:cluster/ml',
      {
        decision: 'implicitDeny',
      },
    );
    expect([eks.code, eks.status]).toEqual(['AccessDeniedException', 403]);
    expect(eks.message).toBe(
      `User: ${user} is not authorized to perform: eks:CreateAddon on resource: arn:aws:eks:us-east-1:1:cluster/ml because no identity-based policy allows the eks:CreateAddon action`,
    );
    const acm = accessDenied('json', user, 'acm:ListCertificates', '*', {
      decision: 'implicitDeny',
    });
    expect([acm.code, acm.status]).toEqual(['AccessDeniedException', 400]);
    expect(acm.message).not.toContain('on resource');
    const iam = accessDenied('query', user, 'iam:DeleteRole', 'arn:aws:iam::1:role/r', {
      decision: 'explicitDeny',
    });
    expect([iam.code, iam.status, iam.fault]).toEqual(['AccessDenied', 403, 'Sender']);
    expect(iam.message).toMatch(/with an explicit deny in an identity-based policy$/);
    const s3 = accessDenied('rest-xml', user, 's3:ListBucket', 'arn:aws:s3:::b', {
      decision: 'implicitDeny',
    });
    expect(s3.message).toContain('on resource: "arn:aws:s3:::b"');
  });
});
