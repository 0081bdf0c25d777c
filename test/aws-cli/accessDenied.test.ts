/**
 * The sandbox's IAM enforcement through the aws CLI (a client nobody here wrote): policies are
 * created and attached to the calling user through IAM's own API, enforcement is switched on
 * through the control API, and then every service the product calls refuses what the policy does
 * not allow in that service's real error shape — EKS, ACM and SageMaker `AccessDeniedException`
 * (rest-json / json), IAM, STS and ELBv2 `AccessDenied` (query XML), S3 `AccessDenied` (rest-xml) —
 * while SimulatePrincipalPolicy answers from the same evaluation.
 */
import { ControlServer, type Sandbox } from '@hyperpod/sandbox';
import { runAws, type AwsHarness } from '../support/awsHarness';
import { helmSandbox } from '../migrate/support';

const CLUSTER = 'ml-denied-use1';
const ACCT = '111111111111';
const TOKEN = 'control-token';
const USER = `arn:aws:iam::${ACCT}:user/sandbox-admin`;
const READER = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DescribeEks', Effect: 'Allow', Action: 'eks:Describe*', Resource: '*' },
    {
      Sid: 'Simulate',
      Effect: 'Allow',
      Action: ['iam:SimulatePrincipalPolicy', 'iam:ListAttachedUserPolicies'],
      Resource: USER,
    },
    { Sid: 'NoIamWrites', Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' },
  ],
};
const noPolicy = (action: string, resource?: string) =>
  `User: ${USER} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the ${action} action`;

describe('AccessDenied in each service’s shape, seen by the aws CLI', () => {
  let sb: Sandbox;
  let control: ControlServer;
  let cli: AwsHarness<unknown>;
  const aws = (...args: string[]) => runAws(cli, args);
  const put = (path: string, body: unknown) =>
    fetch(`${control.endpoint}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER);
    control = new ControlServer(sb, TOKEN);
    await control.listen();
    // runAws needs only the endpoint and the account's keys of a harness.
    cli = {
      endpoint: sb.awsEndpoint,
      accounts: [sb.account('prod')],
    } as unknown as AwsHarness<unknown>;
  });
  afterAll(async () => {
    await control?.close();
    await sb?.stop();
  });

  it('applies the policy attached through IAM once the control API switches enforcement on', async () => {
    // Still an administrator: create the policy and attach it to the user the keys belong to.
    const created = await aws(
      'iam',
      'create-policy',
      '--policy-name',
      'reader',
      '--policy-document',
      JSON.stringify(READER),
    );
    expect(created.code).toBe(0);
    const attach = await aws(
      'iam',
      'attach-user-policy',
      '--user-name',
      'sandbox-admin',
      '--policy-arn',
      created.json.Policy.Arn,
    );
    expect(attach.code).toBe(0);
    expect(await aws('eks', 'list-clusters')).toMatchObject({ code: 0 });

    const res = await put('/authorization', { prod: { enforce: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accounts: [{ accountId: ACCT, alias: 'prod', enforce: true }],
    });

    const [listed, described, listClusters] = await Promise.all([
      aws('iam', 'list-attached-user-policies', '--user-name', 'sandbox-admin'),
      aws('eks', 'describe-cluster', '--name', CLUSTER),
      aws('eks', 'list-clusters'),
    ]);
    expect(listed.json.AttachedPolicies).toEqual([
      { PolicyName: 'reader', PolicyArn: `arn:aws:iam::${ACCT}:policy/reader` },
    ]);
    expect(described.json.cluster.name).toBe(CLUSTER);
    expect(listClusters.stderr.trim()).toBe(
      `An error occurred (AccessDeniedException) when calling the ListClusters operation: ${noPolicy('eks:ListClusters')}`,
    );
  });

  it('refuses in each service’s own error code and message', async () => {
    const bucket = `hyperpod-tls-${ACCT}-${CLUSTER}`;
    const role = `arn:aws:iam::${ACCT}:role/SageMakerHyperPodInference-x`;
    const [eks, iam, iamDeny, sts, s3, elbv2, acm, sagemaker] = await Promise.all([
      aws('eks', 'delete-addon', '--cluster-name', CLUSTER, '--addon-name', 'vpc-cni'),
      aws('iam', 'get-role', '--role-name', 'Admin'),
      aws('iam', 'delete-role', '--role-name', 'Admin'),
      aws('sts', 'assume-role', '--role-arn', role, '--role-session-name', 's1'),
      aws('s3api', 'list-objects-v2', '--bucket', bucket),
      aws('elbv2', 'describe-load-balancers'),
      aws('acm', 'list-certificates'),
      aws('sagemaker', 'list-clusters'),
    ]);
    const line = (r: { code: number; stderr: string }) => {
      expect(r.code).not.toBe(0);
      return r.stderr.trim();
    };
    expect(line(eks)).toBe(
      `An error occurred (AccessDeniedException) when calling the DeleteAddon operation: ${noPolicy('eks:DeleteAddon', `arn:aws:eks:us-east-1:${ACCT}:addon/${CLUSTER}/vpc-cni/*`)}`,
    );
    expect(line(iam)).toBe(
      `An error occurred (AccessDenied) when calling the GetRole operation: ${noPolicy('iam:GetRole', `arn:aws:iam::${ACCT}:role/Admin`)}`,
    );
    expect(line(iamDeny)).toBe(
      `An error occurred (AccessDenied) when calling the DeleteRole operation: User: ${USER} is not authorized to perform: iam:DeleteRole on resource: arn:aws:iam::${ACCT}:role/Admin with an explicit deny in an identity-based policy`,
    );
    expect(line(sts)).toBe(
      `An error occurred (AccessDenied) when calling the AssumeRole operation: ${noPolicy('sts:AssumeRole', role)}`,
    );
    expect(line(s3)).toBe(
      `An error occurred (AccessDenied) when calling the ListObjectsV2 operation: User: ${USER} is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::${bucket}" because no identity-based policy allows the s3:ListBucket action`,
    );
    expect(line(elbv2)).toBe(
      `An error occurred (AccessDenied) when calling the DescribeLoadBalancers operation: ${noPolicy('elasticloadbalancing:DescribeLoadBalancers')}`,
    );
    expect(line(acm)).toBe(
      `An error occurred (AccessDeniedException) when calling the ListCertificates operation: ${noPolicy('acm:ListCertificates')}`,
    );
    expect(line(sagemaker)).toBe(
      `An error occurred (AccessDeniedException) when calling the ListClusters operation: ${noPolicy('sagemaker:ListClusters')}`,
    );
  });

  it('simulates the user’s policies with simulate-principal-policy', async () => {
    const sim = await aws(
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      USER,
      '--action-names',
      'eks:DescribeAddon',
      'eks:DeleteAddon',
      'iam:DeleteRole',
    );
    expect(sim.code).toBe(0);
    expect(
      (sim.json.EvaluationResults as Record<string, unknown>[]).map((r) => ({
        action: r.EvalActionName,
        resource: r.EvalResourceName,
        decision: r.EvalDecision,
        matched: r.MatchedStatements,
      })),
    ).toEqual([
      {
        action: 'eks:DescribeAddon',
        resource: '*',
        decision: 'allowed',
        matched: [
          {
            SourcePolicyId: `arn:aws:iam::${ACCT}:policy/reader`,
            SourcePolicyType: 'user-managed',
          },
        ],
      },
      { action: 'eks:DeleteAddon', resource: '*', decision: 'implicitDeny', matched: [] },
      {
        action: 'iam:DeleteRole',
        resource: '*',
        decision: 'explicitDeny',
        matched: [
          {
            SourcePolicyId: `arn:aws:iam::${ACCT}:policy/reader`,
            SourcePolicyType: 'user-managed',
          },
        ],
      },
    ]);
  });

  it('gives the administrator back when the control API switches enforcement off', async () => {
    const res = await put('/authorization', { prod: { enforce: false } });
    expect(res.status).toBe(200);
    const getRole = await aws('iam', 'get-role', '--role-name', 'Admin');
    expect(getRole.stderr).toContain('(NoSuchEntity)');
    const bad = await put('/authorization', { prod: { enforce: 'yes' } });
    expect(bad.status).toBe(400);
  });
});
