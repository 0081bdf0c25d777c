/**
 * The sandbox's IAM through the aws CLI (a client nobody here wrote), one call per operation.
 */
import { IamService } from '@hyperpod/sandbox/testing';
import { commandLine } from '../support/commandLine';
import { runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';
import { assumeRolePolicy } from '../support/assumeRolePolicy';

const TRUST = assumeRolePolicy({ Service: 'sagemaker.amazonaws.com' });
const S3_READ = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::hyperpod-tls-certs/*' },
  ],
};

let h: AwsHarness<{ iam: IamService }>;
beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ iam: new IamService(ctx) }));
});
afterAll(() => h.stop());

/** `aws …` against the harness, the command line written as one line. */
const aws = (line: TemplateStringsArray, ...values: (string | readonly string[])[]) =>
  runAws(h, commandLine(line, ...values));

test('role lifecycle: create-role, get-role, update-assume-role-policy, list-roles, delete-role', async () => {
  const created =
    await aws`iam create-role --role-name cli-role --path /cli/ --assume-role-policy-document ${JSON.stringify(TRUST)} --tags Key=team,Value=ml`;
  expect(created.code).toBe(0);
  expect(created.json.Role).toMatchObject({
    RoleName: 'cli-role',
    Path: '/cli/',
    Arn: 'arn:aws:iam::111111111111:role/cli/cli-role',
  });
  // botocore decodes IAM's URL-encoded policy documents into JSON.
  expect(created.json.Role.AssumeRolePolicyDocument).toEqual(TRUST);

  const next = {
    ...TRUST,
    Statement: [{ ...TRUST.Statement[0], Principal: { AWS: 'arn:aws:iam::222222222222:root' } }],
  };
  const [got, updated] = await Promise.all([
    aws`iam get-role --role-name cli-role`,
    aws`iam update-assume-role-policy --role-name cli-role --policy-document ${JSON.stringify(next)}`,
  ]);
  expect(got.json.Role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
  expect(updated.code).toBe(0);
  const [listed, missing] = await Promise.all([
    aws`iam list-roles --path-prefix /cli/`,
    aws`iam get-role --role-name nope`,
  ]);
  expect(listed.json.Roles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['cli-role']);
  expect(listed.json.Roles[0].AssumeRolePolicyDocument).toEqual(next);
  expect(missing.code).toBeGreaterThan(0);
  expect(missing.stderr).toContain('(NoSuchEntity)');
  const deleted = await aws`iam delete-role --role-name cli-role`;
  expect(deleted.code).toBe(0);
  expect(h.services.iam.findRole('arn:aws:iam::111111111111:role/cli/cli-role')).toBeUndefined();
});

test('role tags: tag-role, list-role-tags, untag-role', async () => {
  h.services.iam.seedRole({
    accountId: '111111111111',
    name: 'cli-tags',
    trustPolicy: TRUST,
    tags: { team: 'ml' },
  });
  expect((await aws`iam tag-role --role-name cli-tags --tags Key=env,Value=prod`).code).toBe(0);
  expect((await aws`iam untag-role --role-name cli-tags --tag-keys team`).code).toBe(0);
  const tags = await aws`iam list-role-tags --role-name cli-tags`;
  expect(tags.json.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
});

test('managed and inline policies: create-policy, get-policy, get-policy-version, attach/list/detach, put/get/list/delete-role-policy, delete-policy', async () => {
  h.services.iam.seedRole({ accountId: '111111111111', name: 'cli-policies', trustPolicy: TRUST });
  const created =
    await aws`iam create-policy --policy-name CliTlsRead --policy-document ${JSON.stringify(S3_READ)}`;
  const arn = created.json.Policy.Arn as string;
  expect(arn).toBe('arn:aws:iam::111111111111:policy/CliTlsRead');
  const [attached, put] = await Promise.all([
    aws`iam attach-role-policy --role-name cli-policies --policy-arn ${arn}`,
    aws`iam put-role-policy --role-name cli-policies --policy-name inline-read --policy-document ${JSON.stringify(S3_READ)}`,
  ]);
  expect([attached.code, put.code]).toEqual([0, 0]);
  const [policy, version, listedAttached, inline, inlineNames, conflict] = await Promise.all([
    aws`iam get-policy --policy-arn ${arn}`,
    aws`iam get-policy-version --policy-arn ${arn} --version-id v1`,
    aws`iam list-attached-role-policies --role-name cli-policies`,
    aws`iam get-role-policy --role-name cli-policies --policy-name inline-read`,
    aws`iam list-role-policies --role-name cli-policies`,
    aws`iam delete-role --role-name cli-policies`,
  ]);
  expect(policy.json.Policy).toMatchObject({
    PolicyName: 'CliTlsRead',
    AttachmentCount: 1,
    DefaultVersionId: 'v1',
  });
  expect(version.json.PolicyVersion).toMatchObject({
    Document: S3_READ,
    VersionId: 'v1',
    IsDefaultVersion: true,
  });
  expect(listedAttached.json.AttachedPolicies).toEqual([
    { PolicyName: 'CliTlsRead', PolicyArn: arn },
  ]);
  expect(inline.json).toEqual({
    RoleName: 'cli-policies',
    PolicyName: 'inline-read',
    PolicyDocument: S3_READ,
  });
  expect(inlineNames.json.PolicyNames).toEqual(['inline-read']);
  expect(conflict.stderr).toContain('(DeleteConflict)');
  const [detached, removed] = await Promise.all([
    aws`iam detach-role-policy --role-name cli-policies --policy-arn ${arn}`,
    aws`iam delete-role-policy --role-name cli-policies --policy-name inline-read`,
  ]);
  expect([detached.code, removed.code]).toEqual([0, 0]);
  expect((await aws`iam delete-policy --policy-arn ${arn}`).code).toBe(0);
  expect(h.services.iam.snapshot()).toMatchObject({
    '111111111111': {
      roles: { 'cli-policies': { attachedPolicyArns: [], inlinePolicies: {} } },
      policies: {},
    },
  });
});

test('the user behind the access keys: get-user, user policies attached and inline', async () => {
  const user = await aws`iam get-user`;
  expect(user.code).toBe(0);
  expect(user.json.User).toMatchObject({
    UserName: 'tester',
    Path: '/',
    Arn: 'arn:aws:iam::111111111111:user/tester',
  });
  expect(user.json.User.UserId).toMatch(/^AIDA/);
  const policy =
    await aws`iam create-policy --policy-name user-read --policy-document ${JSON.stringify(S3_READ)}`;
  const arn = policy.json.Policy.Arn as string;
  const [attach, put] = await Promise.all([
    aws`iam attach-user-policy --user-name tester --policy-arn ${arn}`,
    aws`iam put-user-policy --user-name tester --policy-name inline-read --policy-document ${JSON.stringify(S3_READ)}`,
  ]);
  expect([attach.code, put.code]).toEqual([0, 0]);
  const [attached, inline, got, missing] = await Promise.all([
    aws`iam list-attached-user-policies --user-name tester`,
    aws`iam list-user-policies --user-name tester`,
    aws`iam get-user-policy --user-name tester --policy-name inline-read`,
    aws`iam attach-user-policy --user-name nobody --policy-arn ${arn}`,
  ]);
  expect(attached.json.AttachedPolicies).toEqual([{ PolicyName: 'user-read', PolicyArn: arn }]);
  expect(inline.json.PolicyNames).toEqual(['inline-read']);
  expect(got.json.PolicyDocument).toEqual(S3_READ);
  expect(missing.stderr).toContain(
    '(NoSuchEntity) when calling the AttachUserPolicy operation: The user with name nobody cannot be found.',
  );
  const [detach, del] = await Promise.all([
    aws`iam detach-user-policy --user-name tester --policy-arn ${arn}`,
    aws`iam delete-user-policy --user-name tester --policy-name inline-read`,
  ]);
  expect([detach.code, del.code]).toEqual([0, 0]);
  expect((await aws`iam list-user-policies --user-name tester`).json.PolicyNames).toEqual([]);
});
