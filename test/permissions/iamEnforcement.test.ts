import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CachingAddonCatalog, GatewayError, observeCluster } from '@hyperpod/core';
import type { Sandbox } from '@hyperpod/sandbox';
import type { PolicyDocument } from '@hyperpod/sandbox/testing';
import { runAws, type AwsHarness } from '../support/awsHarness';
import { helmSandbox } from '../migrate/support';
import { newRecorder, recordingGateways } from './recording';

/**
 * The sandbox's opt-in IAM evaluation with exactly the shipped read-only policy: the scan works
 * through the real SDK, a write or an IAM read is refused in its service's AccessDenied shape
 * (seen by the aws CLI and the SDK), and accounts without enforcement are untouched.
 */
const CLUSTER = 'ml-iam-use1';
const readonly = JSON.parse(
  readFileSync(path.join(__dirname, '../../permissions/iam/hyperpod-readonly.json'), 'utf8'),
) as PolicyDocument;

describe('IAM enforcement with the shipped read-only policy', () => {
  let sb: Sandbox;
  let cli: AwsHarness<unknown>;
  let user: string;
  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER);
    const a = sb.account('prod');
    user = a.principalArn;
    sb.authorization.setPolicies(user, [readonly]);
    sb.authorization.enforce(a.accountId);
    // runAws needs only the endpoint and the account's keys of a harness.
    cli = { endpoint: sb.awsEndpoint, accounts: [a] } as unknown as AwsHarness<unknown>;
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('lets the scan read everything it needs', async () => {
    const g = recordingGateways(sb, CLUSTER, newRecorder);
    const c = sb.cluster(CLUSTER);
    const obs = await observeCluster(
      { name: CLUSTER, accountId: c.accountId, region: c.region, context: CLUSTER },
      { eks: g.eks, kube: g.kube, catalog: new CachingAddonCatalog() },
    );
    expect(obs.errors).toEqual([]);
    expect(await g.sagemaker.listHyperPodClusters()).not.toHaveLength(0);
  });

  it('refuses an IAM read (the migration’s first) through the SDK, naming action and resource', async () => {
    const g = recordingGateways(sb, CLUSTER, newRecorder);
    const denied = await g.iam.getRole('SageMakerHyperPodInference-x-execution-role').then(
      () => undefined,
      (e: unknown) => e as GatewayError,
    );
    expect(denied).toBeInstanceOf(GatewayError);
    expect(denied?.kind).toBe('AccessDenied');
    expect(denied?.message).toContain(
      `is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${sb.cluster(CLUSTER).accountId}:role/SageMakerHyperPodInference-x-execution-role`,
    );
  });

  it('answers each service’s AccessDenied shape to the aws CLI', async () => {
    const acct = sb.cluster(CLUSTER).accountId;
    const [describe, create, getRole, certs, whoami] = await Promise.all([
      runAws(cli, ['eks', 'describe-cluster', '--name', CLUSTER]),
      runAws(cli, [
        'eks',
        'create-addon',
        '--cluster-name',
        CLUSTER,
        '--addon-name',
        'metrics-server',
      ]),
      runAws(cli, ['iam', 'get-role', '--role-name', 'Admin']),
      runAws(cli, ['acm', 'list-certificates']),
      runAws(cli, ['sts', 'get-caller-identity']),
    ]);
    expect(describe.code).toBe(0);
    expect(describe.json.cluster.name).toBe(CLUSTER);
    expect(create.code).not.toBe(0);
    expect(create.stderr.trim()).toBe(
      `An error occurred (AccessDeniedException) when calling the CreateAddon operation: User: ${user} is not authorized to perform: eks:CreateAddon on resource: arn:aws:eks:us-east-1:${acct}:cluster/${CLUSTER} because no identity-based policy allows the eks:CreateAddon action`,
    );
    expect(getRole.code).not.toBe(0);
    expect(getRole.stderr.trim()).toBe(
      `An error occurred (AccessDenied) when calling the GetRole operation: User: ${user} is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${acct}:role/Admin because no identity-based policy allows the iam:GetRole action`,
    );
    expect(certs.stderr).toContain('(AccessDeniedException) when calling the ListCertificates');
    expect(whoami.code).toBe(0);
    expect(whoami.json.Arn).toBe(user);
  });

  it('leaves accounts without enforcement as administrators', async () => {
    sb.authorization.enforce(sb.account('prod').accountId, false);
    try {
      const getRole = await runAws(cli, ['iam', 'get-role', '--role-name', 'Admin']);
      expect(getRole.stderr).toContain('(NoSuchEntity)');
    } finally {
      sb.authorization.enforce(sb.account('prod').accountId);
    }
  });
});
