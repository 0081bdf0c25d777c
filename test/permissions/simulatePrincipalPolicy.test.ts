import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import type { Sandbox } from '@hyperpod/sandbox';
import { helmSandbox } from '../migrate/support';

/**
 * What the product's preflight can ask before a migration changes anything: IAM's
 * SimulatePrincipalPolicy, through the real SDK, answered by the sandbox from the same evaluation
 * that enforces calls. With the shipped operate policy attached, the migration's writes are
 * allowed once the context the statements condition on is given, and the answer names what is
 * missing when it is not.
 */
const CLUSTER = 'ml-simulate-use1';
const ACCT = '111111111111';
const USER = `arn:aws:iam::${ACCT}:user/sandbox-admin`;
const ROLE = `arn:aws:iam::${ACCT}:role/SageMakerHyperPodInference-k3z9x2ab-execution-role`;
const operate = JSON.parse(
  readFileSync(path.join(__dirname, '../../permissions/iam/hyperpod-operate.json'), 'utf8'),
) as object;
const SIMULATE_SELF = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: '*' }],
};

describe('SimulatePrincipalPolicy on the sandbox, through the SDK', () => {
  let sb: Sandbox;
  let iam: IAMClient;
  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER, {
      scenarioOptions: {
        authorization: {
          prod: {
            enforce: true,
            // The shipped sets do not grant simulating (no gateway calls it yet): a second policy does.
            userPolicies: { 'hyperpod-operate': operate, 'simulate-self': SIMULATE_SELF },
          },
        },
      },
    });
    iam = new IAMClient({ ...sb.sdkConfig('prod'), maxAttempts: 1 });
  });
  afterAll(async () => {
    iam?.destroy();
    await sb?.stop();
  });

  const simulate = (
    actions: string[],
    resources: string[],
    context: Record<string, string> = {},
  ) =>
    iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: USER,
        ActionNames: actions,
        ResourceArns: resources,
        ContextEntries: Object.entries(context).map(([ContextKeyName, v]) => ({
          ContextKeyName,
          ContextKeyValues: [v],
          ContextKeyType: 'string',
        })),
      }),
    );

  it('allows the migration’s role writes given the tag and the service they are conditioned on', async () => {
    const out = await simulate(['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PassRole'], [ROLE], {
      'aws:RequestTag/CreatedBy': 'HyperPodInference',
      'aws:ResourceTag/CreatedBy': 'HyperPodInference',
      'iam:PassedToService': 'eks.amazonaws.com',
    });
    expect(
      out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]),
    ).toEqual([
      ['iam:CreateRole', ROLE, 'allowed'],
      ['iam:AttachRolePolicy', ROLE, 'allowed'],
      ['iam:PassRole', ROLE, 'allowed'],
    ]);
    expect(out.EvaluationResults?.[0]?.MatchedStatements).toEqual([
      { SourcePolicyId: `arn:aws:iam::${ACCT}:policy/hyperpod-operate`, SourcePolicyType: 'user-managed' },
    ]);
  });

  it('denies without the context and names the keys that were missing', async () => {
    const out = await simulate(['iam:AttachRolePolicy', 'iam:DeleteRole'], [ROLE]);
    expect(
      out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision, r.MissingContextValues]),
    ).toEqual([
      ['iam:AttachRolePolicy', 'implicitDeny', ['aws:ResourceTag/CreatedBy']],
      ['iam:DeleteRole', 'implicitDeny', ['aws:ResourceTag/CreatedBy']],
    ]);
  });

  it('refuses to simulate a principal that does not exist, as IAM does', async () => {
    await expect(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCT}:user/nobody`,
          ActionNames: ['eks:DescribeCluster'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
