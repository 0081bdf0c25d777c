/**
 * The sandbox's STS through the real AWS SDK v3 STS client (awsQuery protocol), with IAM roles
 * whose trust policies decide AssumeRole.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { IamService, StsService } from '@hyperpod/sandbox/testing';
import { signedFetch } from '../support/signedFetch';
import { startAwsHarness, type AwsHarness, errorOf, unsignedQuery } from '../support/awsHarness';
import { assumeRolePolicy } from '../support/assumeRolePolicy';

type Services = { iam: IamService; sts: StsService };
let h: AwsHarness<Services>;
let sts: STSClient;

beforeAll(async () => {
  h = await startAwsHarness((ctx) => {
    const iam = new IamService(ctx);
    return { iam, sts: new StsService(ctx, iam) };
  });
  sts = new STSClient({ ...h.clientConfig('us-west-2'), maxAttempts: 1 });
  const iam = h.services.iam;
  // Cross-account deploy role in dev (222...) trusted by prod (111...).
  iam.seedRole({
    accountId: '222222222222',
    name: 'HyperPodDeployer',
    trustPolicy: assumeRolePolicy({ AWS: 'arn:aws:iam::111111111111:root' }),
    maxSessionDuration: 7200,
  });
  iam.seedRole({
    accountId: '222222222222',
    name: 'ExternalIdRole',
    trustPolicy: assumeRolePolicy(
      { AWS: '111111111111' },
      { Condition: { StringEquals: { 'sts:ExternalId': 'hyperpod-42' } } },
    ),
  });
  iam.seedRole({
    accountId: '222222222222',
    name: 'OnlyDevTrusted',
    trustPolicy: assumeRolePolicy({ AWS: 'arn:aws:iam::222222222222:root' }),
  });
  iam.seedRole({
    accountId: '222222222222',
    name: 'ServiceRole',
    trustPolicy: assumeRolePolicy({ Service: 'sagemaker.amazonaws.com' }),
  });
  iam.seedRole({
    accountId: '111111111111',
    name: 'ChainTarget',
    trustPolicy: assumeRolePolicy({ AWS: 'arn:aws:iam::222222222222:role/HyperPodDeployer' }),
  });
});
afterAll(async () => {
  sts.destroy();
  await h.stop();
});

test('GetCallerIdentity names the calling user and account', async () => {
  const me = await sts.send(new GetCallerIdentityCommand({}));
  expect(me).toMatchObject({
    Account: '111111111111',
    Arn: 'arn:aws:iam::111111111111:user/tester',
    UserId: 'AIDATEST111111111111',
  });
});

test('AssumeRole returns temporary credentials that act as the assumed role', async () => {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::222222222222:role/HyperPodDeployer',
      RoleSessionName: 'kubectl-hyperpod',
      DurationSeconds: 7200,
    }),
  );
  expect(out.AssumedRoleUser?.Arn).toBe(
    'arn:aws:sts::222222222222:assumed-role/HyperPodDeployer/kubectl-hyperpod',
  );
  expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:kubectl-hyperpod$/);
  expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
  const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
  expect(lifetime).toBeGreaterThan(7100 * 1000);
  expect(lifetime).toBeLessThanOrEqual(7200 * 1000);

  const assumed = {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
  const asRole = new STSClient({
    endpoint: h.endpoint,
    region: 'us-west-2',
    credentials: assumed,
    maxAttempts: 1,
  });
  const me = await asRole.send(new GetCallerIdentityCommand({}));
  expect(me.Account).toBe('222222222222');
  expect(me.Arn).toBe('arn:aws:sts::222222222222:assumed-role/HyperPodDeployer/kubectl-hyperpod');
  expect(me.UserId).toBe(out.AssumedRoleUser?.AssumedRoleId);

  // Other services see the role's account: IAM lists dev's roles.
  const iamAsRole = new IAMClient({
    endpoint: h.endpoint,
    region: 'us-east-1',
    credentials: assumed,
    maxAttempts: 1,
  });
  const roles = await iamAsRole.send(new ListRolesCommand({}));
  expect(roles.Roles?.map((r) => r.RoleName)).toContain('OnlyDevTrusted');

  // Role chaining: the session is the principal a trust policy may name by the role's ARN.
  const chained = await asRole.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::111111111111:role/ChainTarget',
      RoleSessionName: 'chained',
    }),
  );
  expect(chained.AssumedRoleUser?.Arn).toBe(
    'arn:aws:sts::111111111111:assumed-role/ChainTarget/chained',
  );
  asRole.destroy();
  iamAsRole.destroy();
});

test('temporary credentials without their session token are refused', async () => {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::222222222222:role/HyperPodDeployer',
      RoleSessionName: 'no-token',
    }),
  );
  const noToken = new STSClient({
    endpoint: h.endpoint,
    region: 'us-west-2',
    credentials: {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
    },
    maxAttempts: 1,
  });
  const err = await errorOf(noToken.send(new GetCallerIdentityCommand({})));
  expect(err).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  noToken.destroy();
});

test('AssumeRole is AccessDenied when the trust policy does not name the caller', async () => {
  const notTrusted = await errorOf(
    sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::222222222222:role/OnlyDevTrusted',
        RoleSessionName: 's1',
      }),
    ),
  );
  expect(notTrusted).toMatchObject({
    name: 'AccessDenied',
    status: 403,
    message:
      'User: arn:aws:iam::111111111111:user/tester is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OnlyDevTrusted',
  });
  const servicePrincipal = await errorOf(
    sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::222222222222:role/ServiceRole',
        RoleSessionName: 's1',
      }),
    ),
  );
  expect(servicePrincipal.name).toBe('AccessDenied');
});

test('AssumeRole of a role that does not exist is AccessDenied, as STS reports it', async () => {
  const err = await errorOf(
    sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::222222222222:role/Nope',
        RoleSessionName: 's1',
      }),
    ),
  );
  expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
  expect(err.message).toContain(
    'is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Nope',
  );
});

test('AssumeRole checks sts:ExternalId conditions', async () => {
  const arn = 'arn:aws:iam::222222222222:role/ExternalIdRole';
  expect(
    (await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1' })))).name,
  ).toBe('AccessDenied');
  expect(
    (
      await errorOf(
        sts.send(
          new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', ExternalId: 'wrong-id' }),
        ),
      )
    ).name,
  ).toBe('AccessDenied');
  const ok = await sts.send(
    new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', ExternalId: 'hyperpod-42' }),
  );
  expect(ok.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/ExternalIdRole/s1');
});

test('AssumeRole validates the session name and duration', async () => {
  const arn = 'arn:aws:iam::222222222222:role/HyperPodDeployer';
  const badName = await errorOf(
    sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'has space' })),
  );
  expect(badName).toMatchObject({ name: 'ValidationError', status: 400 });
  expect(badName.message).toContain("at 'roleSessionName'");
  const tooShort = await errorOf(
    sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'x' })),
  );
  expect(tooShort.name).toBe('ValidationError');
  const under = await errorOf(
    sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'short', DurationSeconds: 600 }),
    ),
  );
  expect(under.message).toContain('greater than or equal to 900');
  const over = await errorOf(
    sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'long', DurationSeconds: 10800 }),
    ),
  );
  expect(over).toMatchObject({
    name: 'ValidationError',
    message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  });
});

test('expired temporary credentials get ExpiredToken', async () => {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::222222222222:role/HyperPodDeployer',
      RoleSessionName: 'expiring',
    }),
  );
  h.ctx.accounts.expire(out.Credentials!.AccessKeyId!);
  const asRole = new STSClient({
    endpoint: h.endpoint,
    region: 'us-west-2',
    credentials: {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    },
    maxAttempts: 1,
  });
  expect((await errorOf(asRole.send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredToken');
  asRole.destroy();
});

test('a missing RoleArn is a ValidationError on the wire; an unsigned call MissingAuthenticationToken', async () => {
  const res = await signedFetch({
    endpoint: h.endpoint,
    service: 'sts',
    region: 'us-west-2',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=AssumeRole&Version=2011-06-15&RoleSessionName=abc',
    credentials: h.credentials(),
  });
  expect(res.status).toBe(400);
  expect(res.text).toContain('<Code>ValidationError</Code>');
  const unsigned = await unsignedQuery(h, 'Action=GetCallerIdentity&Version=2011-06-15');
  expect(unsigned.status).toBe(403);
  expect(unsigned.text).toContain('<Code>MissingAuthenticationToken</Code>');
});
