/**
 * The sandbox's IAM roles and their tags through the real AWS SDK v3 IAM client (awsQuery protocol).
 */
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { errorOf } from '../support/awsHarness';
import { assumeRolePolicy } from '../support/assumeRolePolicy';
import { h, iam, IRSA_TRUST, useIamSandbox } from './iamSandbox';

useIamSandbox();

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
