/**
 * The sandbox's IAM through the real AWS SDK v3 IAM client (awsQuery protocol).
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { IamService } from '@hyperpod/sandbox/testing';
import { signedFetch } from '../support/signedFetch';
import { startAwsHarness, type AwsHarness, errorOf, unsignedQuery } from '../support/awsHarness';
import { assumeRolePolicy } from '../support/assumeRolePolicy';

const IRSA_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: {
        Federated:
          'arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/5C5E4B1D3A2F',
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'oidc.eks.us-west-2.amazonaws.com/id/5C5E4B1D3A2F:sub':
            'system:serviceaccount:hyperpod-inference-system:hyperpod-inference-operator-controller-manager',
        },
      },
    },
  ],
};
const S3_READ = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::hyperpod-tls-certs', 'arn:aws:s3:::hyperpod-tls-certs/*'],
    },
  ],
};

type Services = { iam: IamService };
let h: AwsHarness<Services>;
let iam: IAMClient;

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ iam: new IamService(ctx) }));
  iam = new IAMClient({ ...h.clientConfig('us-east-1'), maxAttempts: 1 });
});
afterAll(async () => {
  iam.destroy();
  await h.stop();
});

describe('roles', () => {
  test('CreateRole returns the role with a URL-encoded trust policy, an AROA id and the ARN with its path', async () => {
    const out = await iam.send(
      new CreateRoleCommand({
        RoleName: 'HyperPodInferenceOperatorRole',
        Path: '/hyperpod/',
        AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
        Description: 'IRSA role of the inference operator',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'team', Value: 'ml-platform' }],
      }),
    );
    const role = out.Role!;
    expect(role.RoleName).toBe('HyperPodInferenceOperatorRole');
    expect(role.Arn).toBe('arn:aws:iam::111111111111:role/hyperpod/HyperPodInferenceOperatorRole');
    expect(role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(role.Path).toBe('/hyperpod/');
    expect(role.CreateDate).toBeInstanceOf(Date);
    expect(role.MaxSessionDuration).toBe(7200);
    expect(role.Tags).toEqual([{ Key: 'team', Value: 'ml-platform' }]);
    expect(role.AssumeRolePolicyDocument).toBe(encodeURIComponent(JSON.stringify(IRSA_TRUST)));
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(IRSA_TRUST);
  });

  test('GetRole finds the role (names are case-insensitive) and DeleteRole removes it', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'short-lived',
        AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
      }),
    );
    const got = await iam.send(new GetRoleCommand({ RoleName: 'SHORT-LIVED' }));
    expect(got.Role?.RoleName).toBe('short-lived');
    expect(got.Role?.Description).toBeUndefined();
    expect(got.Role?.MaxSessionDuration).toBe(3600);
    await iam.send(new DeleteRoleCommand({ RoleName: 'short-lived' }));
    const err = await errorOf(iam.send(new GetRoleCommand({ RoleName: 'short-lived' })));
    expect(err).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The role with name short-lived cannot be found.',
    });
  });

  test('CreateRole refuses a duplicate name with EntityAlreadyExists (409)', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'dup-role',
        AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
      }),
    );
    const err = await errorOf(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'Dup-Role',
          AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
        }),
      ),
    );
    expect(err).toMatchObject({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: 'Role with name Dup-Role already exists.',
    });
  });

  test('CreateRole validates the role name', async () => {
    const bad = await errorOf(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'has space',
          AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
        }),
      ),
    );
    expect(bad.name).toBe('ValidationError');
    expect(bad.message).toContain("at 'roleName' failed to satisfy constraint");
    const long = await errorOf(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'r'.repeat(65),
          AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
        }),
      ),
    );
    expect(long.name).toBe('ValidationError');
    expect(long.message).toContain('less than or equal to 64');
  });

  test('CreateRole refuses malformed trust policies with MalformedPolicyDocument', async () => {
    const notJson = await errorOf(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad-trust',
          AssumeRolePolicyDocument: '{"Version": "2012-10-17",',
        }),
      ),
    );
    expect(notJson).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      status: 400,
      message: 'This policy contains invalid Json',
    });
    const withResource = await errorOf(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad-trust',
          AssumeRolePolicyDocument: JSON.stringify(
            assumeRolePolicy({ AWS: '111111111111' }, { Resource: '*' }),
          ),
        }),
      ),
    );
    expect(withResource).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Has prohibited field Resource',
    });
  });

  test('ListRoles pages with Marker / MaxItems / IsTruncated', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) {
      h.services.iam.seedRole({
        accountId: '111111111111',
        name: n,
        path: '/paging/',
        trustPolicy: IRSA_TRUST,
      });
    }
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
    expect(first.Roles?.map((r) => r.RoleName)).toEqual(['page-a', 'page-b']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const second = await iam.send(
      new ListRolesCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: first.Marker }),
    );
    expect(second.Roles?.map((r) => r.RoleName)).toEqual(['page-c']);
    expect(second.IsTruncated).toBe(false);
    const names: string[] = [];
    for await (const pg of paginateListRoles(
      { client: iam, pageSize: 1 },
      { PathPrefix: '/paging/' },
    ))
      names.push(...(pg.Roles ?? []).map((r) => r.RoleName!));
    expect(names).toEqual(['page-a', 'page-b', 'page-c']);
    // Roles of another account are not listed.
    const other = new IAMClient({ ...h.clientConfig('us-east-1', 1), maxAttempts: 1 });
    expect((await other.send(new ListRolesCommand({ PathPrefix: '/paging/' }))).Roles).toEqual([]);
    other.destroy();
  });

  test('UpdateAssumeRolePolicy replaces the trust policy', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'trust-update',
        AssumeRolePolicyDocument: JSON.stringify(IRSA_TRUST),
      }),
    );
    const next = assumeRolePolicy({ Service: 'sagemaker.amazonaws.com' });
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'trust-update',
        PolicyDocument: JSON.stringify(next),
      }),
    );
    const got = await iam.send(new GetRoleCommand({ RoleName: 'trust-update' }));
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(next);
    const err = await errorOf(
      iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: 'trust-update', PolicyDocument: 'nope' }),
      ),
    );
    expect(err.name).toBe('MalformedPolicyDocumentException');
  });
});

describe('role tags', () => {
  test('TagRole adds alongside existing tags, overwriting only the same key; UntagRole removes only the given keys', async () => {
    h.services.iam.seedRole({
      accountId: '111111111111',
      name: 'tagged',
      trustPolicy: IRSA_TRUST,
      tags: { team: 'ml', env: 'prod' },
    });
    await iam.send(
      new TagRoleCommand({
        RoleName: 'tagged',
        Tags: [
          { Key: 'managed-by', Value: 'kubectl-hyperpod' },
          { Key: 'env', Value: 'staging' },
        ],
      }),
    );
    const tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }));
    expect(tags.Tags).toEqual([
      { Key: 'team', Value: 'ml' },
      { Key: 'env', Value: 'staging' },
      { Key: 'managed-by', Value: 'kubectl-hyperpod' },
    ]);
    expect(tags.IsTruncated).toBe(false);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['env'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([
      { Key: 'team', Value: 'ml' },
      { Key: 'managed-by', Value: 'kubectl-hyperpod' },
    ]);
  });

  test('TagRole refuses duplicate keys and more than 50 tags', async () => {
    h.services.iam.seedRole({
      accountId: '111111111111',
      name: 'many-tags',
      trustPolicy: IRSA_TRUST,
    });
    const dup = await errorOf(
      iam.send(
        new TagRoleCommand({
          RoleName: 'many-tags',
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'A', Value: '2' },
          ],
        }),
      ),
    );
    expect(dup).toMatchObject({ name: 'InvalidInputException', status: 400 });
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await iam.send(new TagRoleCommand({ RoleName: 'many-tags', Tags: fifty }));
    const over = await errorOf(
      iam.send(
        new TagRoleCommand({ RoleName: 'many-tags', Tags: [{ Key: 'one-more', Value: 'v' }] }),
      ),
    );
    expect(over).toMatchObject({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for TagsPerRole: 50',
    });
  });

  test('tagging a missing role is NoSuchEntity', async () => {
    const err = await errorOf(
      iam.send(new TagRoleCommand({ RoleName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});

describe('role policies', () => {
  test('AttachRolePolicy / ListAttachedRolePolicies / DetachRolePolicy with AWS and customer managed policies', async () => {
    h.services.iam.seedRole({
      accountId: '111111111111',
      name: 'attach-me',
      trustPolicy: IRSA_TRUST,
    });
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'HyperPodTlsRead',
        PolicyDocument: JSON.stringify(S3_READ),
        Path: '/hyperpod/',
      }),
    );
    const customArn = created.Policy!.Arn!;
    expect(customArn).toBe('arn:aws:iam::111111111111:policy/hyperpod/HyperPodTlsRead');
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'attach-me',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: customArn }));
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attach-me' }));
    expect(listed.AttachedPolicies).toEqual([
      {
        PolicyName: 'AmazonS3ReadOnlyAccess',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      },
      { PolicyName: 'HyperPodTlsRead', PolicyArn: customArn },
    ]);
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: customArn }))).Policy?.AttachmentCount,
    ).toBe(1);

    const missing = await errorOf(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'attach-me',
          PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy',
        }),
      ),
    );
    expect(missing).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.',
    });
    const badArn = await errorOf(
      iam.send(
        new AttachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: 'AmazonS3ReadOnlyAccess' }),
      ),
    );
    expect(badArn).toMatchObject({
      name: 'InvalidInputException',
      message: 'ARN AmazonS3ReadOnlyAccess is not valid.',
    });

    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'attach-me' })));
    expect(conflict).toMatchObject({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    const policyConflict = await errorOf(
      iam.send(new DeletePolicyCommand({ PolicyArn: customArn })),
    );
    expect(policyConflict).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
    });

    await iam.send(
      new DetachRolePolicyCommand({
        RoleName: 'attach-me',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: customArn }));
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attach-me' })))
        .AttachedPolicies,
    ).toEqual([]);
    const notAttached = await errorOf(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: customArn })),
    );
    expect(notAttached).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${customArn} was not found.`,
    });
    await iam.send(new DeleteRoleCommand({ RoleName: 'attach-me' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: customArn }));
    expect((await errorOf(iam.send(new GetPolicyCommand({ PolicyArn: customArn })))).name).toBe(
      'NoSuchEntityException',
    );
  });

  test('PutRolePolicy / GetRolePolicy / ListRolePolicies / DeleteRolePolicy, and DeleteRole conflicts while inline policies exist', async () => {
    h.services.iam.seedRole({
      accountId: '111111111111',
      name: 'inline-role',
      trustPolicy: IRSA_TRUST,
    });
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'inline-role',
        PolicyName: 'tls-read',
        PolicyDocument: JSON.stringify(S3_READ),
      }),
    );
    const got = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'tls-read' }),
    );
    expect(got.RoleName).toBe('inline-role');
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(S3_READ);
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames,
    ).toEqual(['tls-read']);

    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' })));
    expect(conflict).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
    });

    const withPrincipal = await errorOf(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'inline-role',
          PolicyName: 'bad',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
          }),
        }),
      ),
    );
    expect(withPrincipal).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Has prohibited field Principal',
    });

    await iam.send(
      new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'tls-read' }),
    );
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames,
    ).toEqual([]);
    const gone = await errorOf(
      iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'tls-read' })),
    );
    expect(gone).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name tls-read cannot be found.',
    });
    await iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' }));
  });
});

describe('managed policies', () => {
  test('CreatePolicy / GetPolicy / GetPolicyVersion return the policy and its URL-encoded default version', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'CopyOfTlsRead',
        PolicyDocument: JSON.stringify(S3_READ),
        Description: 'copied by migration',
        Tags: [{ Key: 'copied-from', Value: 'helm' }],
      }),
    );
    expect(created.Policy).toMatchObject({
      PolicyName: 'CopyOfTlsRead',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
      Path: '/',
    });
    expect(created.Policy?.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    const arn = created.Policy!.Arn!;
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy?.Description).toBe('copied by migration');
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }),
    );
    expect(version.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(S3_READ);
    const awsManaged = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        VersionId: 'v1',
      }),
    );
    expect(
      JSON.parse(decodeURIComponent(awsManaged.PolicyVersion!.Document!)).Statement[0].Action,
    ).toContain('s3:Get*');
    const noVersion = await errorOf(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v7' })),
    );
    expect(noVersion.name).toBe('NoSuchEntityException');
    const dup = await errorOf(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'CopyOfTlsRead',
          PolicyDocument: JSON.stringify(S3_READ),
        }),
      ),
    );
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    const noResource = await errorOf(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'NoResource',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*' }],
          }),
        }),
      ),
    );
    expect(noResource).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy statement must contain resources.',
    });
  });

  test('policies of another account are invisible', async () => {
    const arn = h.services.iam.seedPolicy({
      accountId: '222222222222',
      name: 'DevOnly',
      document: S3_READ,
    });
    const err = await errorOf(iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});

describe('bad input on the wire', () => {
  const post = (body: string) =>
    signedFetch({
      endpoint: h.endpoint,
      service: 'iam',
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      credentials: h.credentials(),
    });

  test('an unknown Action is InvalidAction, a missing one MissingAction', async () => {
    const unknown = await post('Action=LaunchRockets&Version=2010-05-08');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    const missing = await post('Version=2010-05-08');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<Code>MissingAction</Code>');
  });

  test('a missing required parameter is a ValidationError', async () => {
    const res = await post('Action=GetRole&Version=2010-05-08');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>ValidationError</Code>');
    expect(res.text.replace(/&apos;/g, "'")).toContain(
      "Value null at 'roleName' failed to satisfy constraint: Member must not be null",
    );
  });

  test('an unsigned request is refused with MissingAuthenticationToken (403)', async () => {
    const res = await unsignedQuery(h, 'Action=ListRoles&Version=2010-05-08');
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});
