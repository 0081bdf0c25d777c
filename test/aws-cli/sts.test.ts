/**
 * The sandbox's STS through the aws CLI: who am I, and assuming a role then acting as it.
 */
import { IamService, StsService } from '@hyperpod/sandbox/testing';
import { awsCliEnv, runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';

let h: AwsHarness<{ iam: IamService; sts: StsService }>;
beforeAll(async () => {
  h = await startAwsHarness((ctx) => {
    const iam = new IamService(ctx);
    return { iam, sts: new StsService(ctx, iam) };
  });
  h.services.iam.seedRole({
    accountId: '222222222222',
    name: 'HyperPodDeployer',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' },
      ],
    },
  });
});
afterAll(() => h.stop());

test('get-caller-identity and assume-role; the temporary credentials act as the assumed role', async () => {
  const [me, assumed, denied] = await Promise.all([
    runAws(h, ['sts', 'get-caller-identity'], { region: 'us-west-2' }),
    runAws(
      h,
      [
        'sts',
        'assume-role',
        '--role-arn',
        'arn:aws:iam::222222222222:role/HyperPodDeployer',
        '--role-session-name',
        'cli-session',
      ],
      { region: 'us-west-2' },
    ),
    runAws(
      h,
      [
        'sts',
        'assume-role',
        '--role-arn',
        'arn:aws:iam::222222222222:role/Missing',
        '--role-session-name',
        'cli-session',
      ],
      { region: 'us-west-2' },
    ),
  ]);
  expect(me.json).toEqual({
    UserId: 'AIDATEST111111111111',
    Account: '111111111111',
    Arn: 'arn:aws:iam::111111111111:user/tester',
  });
  expect(assumed.json.AssumedRoleUser.Arn).toBe(
    'arn:aws:sts::222222222222:assumed-role/HyperPodDeployer/cli-session',
  );
  expect(denied.code).toBeGreaterThan(0);
  expect(denied.stderr).toContain('(AccessDenied)');

  const env = {
    ...awsCliEnv(h),
    AWS_ACCESS_KEY_ID: assumed.json.Credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: assumed.json.Credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: assumed.json.Credentials.SessionToken,
  };
  const asRole = await runAws(h, ['sts', 'get-caller-identity'], { region: 'us-west-2', env });
  expect(asRole.json).toMatchObject({
    Account: '222222222222',
    Arn: 'arn:aws:sts::222222222222:assumed-role/HyperPodDeployer/cli-session',
  });
});
