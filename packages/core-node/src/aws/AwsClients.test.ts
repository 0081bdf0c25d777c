import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { InMemoryStsGateway } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { AwsClients, assumeRoleProvider, createAwsGateways } from './AwsClients';
import { FLEET_READER_ROLE } from '../contract/fleetReaderRole';

describe('assumeRoleProvider', () => {
  it('assumes once, shares the call between concurrent callers, and refreshes near expiry', async () => {
    let now = Date.parse('2025-06-01T00:00:00Z');
    const sts = new InMemoryStsGateway(undefined, () => now);
    sts.allowAssumeRole('arn:aws:iam::222222222222:role/fleet-reader');
    const provider = assumeRoleProvider(
      sts,
      {
        roleArn: 'arn:aws:iam::222222222222:role/fleet-reader',
        sessionName: 'kubectl-hyperpod',
        durationSeconds: 3600,
      },
      () => now,
    );
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a.accessKeyId).toBe(b.accessKeyId);
    expect(sts.faults.callCount('AssumeRole')).toBe(1);
    now += 50 * 60_000;
    expect((await provider()).accessKeyId).toBe(a.accessKeyId);
    expect(sts.faults.callCount('AssumeRole')).toBe(1);
    // Within five minutes of expiry: a new session.
    now += 6 * 60_000;
    const c = await provider();
    expect(c.accessKeyId).not.toBe(a.accessKeyId);
    expect(c.expiration?.getTime()).toBe(now + 3600_000);
    expect(sts.faults.callCount('AssumeRole')).toBe(2);
  });
});

describe('AwsClients on the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'empty' });
    for (const [account, region, name, version] of [
      ['prod', 'us-east-1', 'ml-prod-use1', '1.31'],
      ['prod', 'us-east-1', 'ml-legacy-use1', '1.28'],
      ['dev', 'us-east-1', 'ml-dev-use1', '1.30'],
      ['dev', 'us-west-2', 'ml-staging-usw2', '1.31'],
    ] as const)
      await sb.addCluster({ account, region, name, version });
    sb.services.iam.seedRole(FLEET_READER_ROLE);
  });
  afterAll(() => sb?.stop());

  const base = () => {
    const c = sb.sdkConfig('prod', 'us-east-1');
    return { endpoint: c.endpoint, credentials: c.credentials };
  };

  it('gives the same gateways for the same account, region and role, and others for another region', () => {
    const clients = new AwsClients(base());
    const a = clients.gateways({ region: 'us-east-1', accountId: '111111111111' });
    expect(clients.gateways({ region: 'us-east-1', accountId: '111111111111' })).toBe(a);
    expect(clients.gateways({ region: 'us-west-2', accountId: '111111111111' })).not.toBe(a);
  });

  it('builds SDK clients without the logger middleware (it filters every answer for no log)', async () => {
    const sends = [
      jest.spyOn(EKSClient.prototype, 'send'),
      jest.spyOn(STSClient.prototype, 'send'),
    ];
    try {
      const g = createAwsGateways({ region: 'us-east-1', ...base() });
      expect(await g.eks.listClusters()).toEqual(['ml-legacy-use1', 'ml-prod-use1']);
      expect((await g.sts.getCallerIdentity()).accountId).toBe('111111111111');
      for (const send of sends) {
        const client = send.mock.contexts[0] as EKSClient | STSClient;
        const stack = client.middlewareStack.identify().join('\n');
        expect(stack).toContain('retryMiddleware');
        expect(stack).not.toContain('loggerMiddleware');
      }
    } finally {
      for (const send of sends) send.mockRestore();
    }
  });

  it('reads a fleet with the default options', async () => {
    const g = createAwsGateways({ region: 'us-east-1', ...base() });
    expect(await g.eks.listClusters()).toEqual(['ml-legacy-use1', 'ml-prod-use1']);
    expect((await g.sts.getCallerIdentity()).accountId).toBe('111111111111');
  });

  it('assumes a role into another account once for every service and region', async () => {
    const clients = new AwsClients(base());
    sb.resetAwsCallStats();
    const roleArn = 'arn:aws:iam::222222222222:role/hyperpod-fleet-reader';
    const east = clients.gateways({ region: 'us-east-1', accountId: '222222222222', roleArn });
    const west = clients.gateways({ region: 'us-west-2', accountId: '222222222222', roleArn });
    expect((await east.sts.getCallerIdentity()).arn).toMatch(
      /^arn:aws:sts::222222222222:assumed-role\/hyperpod-fleet-reader\/kubectl-hyperpod$/,
    );
    expect(await east.eks.listClusters()).toEqual(['ml-dev-use1']);
    expect(await west.eks.listClusters()).toEqual(['ml-staging-usw2']);
    expect(sb.awsCallStats().byOperation['sts.AssumeRole']).toBe(1);
  });

  it('fails with AccessDenied when the role does not trust the caller', async () => {
    const g = createAwsGateways({
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::222222222222:role/not-there',
      ...base(),
      maxAttempts: 1,
    });
    // The failing call is STS AssumeRole, and the error says so.
    await expect(g.eks.listClusters()).rejects.toMatchObject({
      kind: 'AccessDenied',
      service: 'sts',
      operation: 'AssumeRole',
    });
  });

  it('reports an expired session as Unauthenticated', async () => {
    const assumed = await createAwsGateways({ region: 'us-east-1', ...base() }).sts.assumeRole({
      roleArn: 'arn:aws:iam::222222222222:role/hyperpod-fleet-reader',
      sessionName: 'expiring',
      durationSeconds: 900,
    });
    const g = createAwsGateways({
      region: 'us-east-1',
      endpoint: base().endpoint,
      maxAttempts: 1,
      credentials: {
        accessKeyId: assumed.credentials.accessKeyId,
        secretAccessKey: assumed.credentials.secretAccessKey,
        sessionToken: 'not-the-session-token',
      },
    });
    await expect(g.eks.listClusters()).rejects.toMatchObject({ kind: 'Unauthenticated' });
  });

  it('retries throttled calls up to maxAttempts', async () => {
    sb.faults.set({
      faultPoints: [
        {
          point: 'eks.ListClusters',
          status: 400,
          code: 'ThrottlingException',
          message: 'Rate exceeded',
          times: 2,
        },
      ],
    });
    try {
      sb.resetAwsCallStats();
      const g = createAwsGateways({ region: 'us-east-1', ...base(), maxAttempts: 3 });
      expect(await g.eks.listClusters()).toEqual(['ml-legacy-use1', 'ml-prod-use1']);
      expect(sb.awsCallStats().byOperation['eks.ListClusters']).toBe(3);
    } finally {
      sb.faults.clearFaultPoints();
    }
  });

  it('gives up after requestTimeoutMs with Timeout, retryable', async () => {
    sb.faults.set({ latencyMs: 400 });
    try {
      const g = createAwsGateways({
        region: 'us-east-1',
        ...base(),
        maxAttempts: 1,
        requestTimeoutMs: 100,
      });
      const e = await g.eks.listClusters().catch((x: unknown) => x);
      expect(e).toMatchObject({ kind: 'Timeout', service: 'eks', operation: 'ListClusters' });
      expect((e as { retryable: boolean }).retryable).toBe(true);
    } finally {
      sb.faults.set({ latencyMs: 0 });
    }
  });

  it('reports an endpoint nobody listens on as Unavailable', async () => {
    const g = createAwsGateways({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: base().credentials,
      maxAttempts: 1,
    });
    await expect(g.eks.listClusters()).rejects.toMatchObject({ kind: 'Unavailable' });
  });
});
