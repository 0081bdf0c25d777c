/**
 * The errors the sandbox's EKS gives, driven by the real @aws-sdk/client-eks: refused add-on
 * requests, idempotency tokens, throttling, signatures, and malformed input on the wire.
 */
import {
  CreateAddonCommand,
  DeleteAddonCommand,
  DescribeAddonCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  ListUpdatesCommand,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import { signedFetch } from '../support/signedFetch';
import {
  acct,
  client,
  eks,
  h,
  INFERENCE,
  inferenceConfig,
  REGION,
  rejection,
  settle,
  strict,
  useEksSandbox,
} from './eksSandbox';

useEksSandbox();

/** The inference add-on the life cycle leaves on ml-prod, which some refusals need in place. */
beforeAll(() => {
  eks.seedAddon({
    accountId: acct,
    region: REGION,
    clusterName: 'ml-prod',
    addonName: INFERENCE,
    addonVersion: 'v1.2.0-eksbuild.1',
    configurationValues: inferenceConfig({ inferenceGateway: { enabled: true } }),
  });
});

describe('add-on errors', () => {
  it('refuses creating an add-on that exists (409)', async () => {
    const e = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: INFERENCE,
          configurationValues: inferenceConfig(),
        }),
      ),
    );
    expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual([
      'ResourceInUseException',
      409,
      'Addon already exists.',
    ]);
    expect(e['addonName']).toBe(INFERENCE);
  });

  it("refuses a version not compatible with the cluster's Kubernetes version, an unknown version and an unknown add-on", async () => {
    const old = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-edge',
          addonName: INFERENCE,
          addonVersion: 'v1.0.0-eksbuild.1',
          configurationValues: inferenceConfig(),
        }),
      ),
    );
    expect(old.name).toBe('InvalidParameterException');
    expect(old.message).toContain('1.33');
    const unknownVersion = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'coredns',
          addonVersion: 'v0.0.1-eksbuild.1',
        }),
      ),
    );
    expect(unknownVersion.name).toBe('InvalidParameterException');
    const unknown = await rejection(
      strict.send(new CreateAddonCommand({ clusterName: 'ml-prod', addonName: 'not-an-addon' })),
    );
    expect([unknown.name, unknown.message]).toEqual([
      'InvalidParameterException',
      'Addon not-an-addon specified is not supported in 1.31 kubernetes version',
    ]);
    const noVersionFor133 = await rejection(
      strict.send(new CreateAddonCommand({ clusterName: 'ml-edge', addonName: 'adot' })),
    );
    expect(noVersionFor133.name).toBe('InvalidParameterException');
  });

  it('refuses resolveConflicts PRESERVE on create', async () => {
    const e = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'kube-proxy',
          resolveConflicts: 'PRESERVE',
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterException');
    expect(e.message).toMatch(/PRESERVE/);
  });

  it("refuses configurationValues that do not parse or do not match the version's schema", async () => {
    const notYaml = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'kube-proxy',
          configurationValues: '{"mode": ',
        }),
      ),
    );
    expect(notYaml.name).toBe('InvalidParameterException');
    expect(notYaml.message).toMatch(/^ConfigurationValue provided in request is not supported: /);
    const wrongType = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'metrics-server',
          configurationValues: 'replicas: "three"\n',
        }),
      ),
    );
    expect(wrongType.message).toContain(
      'Json schema validation failed with error: [$.replicas: string found, integer expected]',
    );
    const unknownKey = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'metrics-server',
          configurationValues: '{"replicaCount": 3}',
        }),
      ),
    );
    expect(unknownKey.message).toContain(
      '$.replicaCount: is not defined in the schema and the schema does not allow additional properties',
    );
    const missing = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-batch',
          addonName: INFERENCE,
          addonVersion: 'v1.1.0-eksbuild.1',
        }),
      ),
    );
    expect(missing.message).toContain("$: required property 'executionRoleArn' not found");
    const badRole = await rejection(
      strict.send(
        new UpdateAddonCommand({
          clusterName: 'ml-prod',
          addonName: INFERENCE,
          configurationValues: inferenceConfig({
            executionRoleArn: `arn:aws:iam::${acct}:role/my-inference-role`,
          }),
        }),
      ),
    );
    expect(badRole.name).toBe('InvalidParameterException');
    expect(badRole.message).toContain('$.executionRoleArn: does not match the regex pattern');
  });

  it('refuses add-on changes on a cluster that is not ACTIVE', async () => {
    const e = await rejection(
      strict.send(new CreateAddonCommand({ clusterName: 'ml-upgrading', addonName: 'kube-proxy' })),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['InvalidRequestException', 400]);
  });

  it('answers ResourceNotFoundException for unknown add-ons and updates', async () => {
    for (const cmd of [
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: 'vpc-cni' }),
      new UpdateAddonCommand({
        clusterName: 'ml-prod',
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.2-eksbuild.1',
      }),
      new DeleteAddonCommand({ clusterName: 'ml-prod', addonName: 'vpc-cni' }),
      new ListUpdatesCommand({ name: 'ml-prod', addonName: 'vpc-cni' }),
      new ListAddonsCommand({ clusterName: 'nope' }),
    ]) {
      const e = await rejection(strict.send(cmd as never));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    }
    const u = await rejection(
      strict.send(
        new DescribeUpdateCommand({
          name: 'ml-prod',
          updateId: '00000000-0000-0000-0000-000000000000',
          addonName: INFERENCE,
        }),
      ),
    );
    expect([u.name, u.message]).toEqual([
      'ResourceNotFoundException',
      'No update found for ID: 00000000-0000-0000-0000-000000000000',
    ]);
  });

  it('treats a repeated clientRequestToken with the same request as the same call, and refuses it with other parameters', async () => {
    const token = 'retry-token-0001';
    const first = await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.15-eksbuild.4',
        clientRequestToken: token,
      }),
    );
    await settle('ml-legacy', 'kube-proxy');
    const second = await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.15-eksbuild.4',
        clientRequestToken: token,
      }),
    );
    expect(second.addon?.addonArn).toBe(first.addon?.addonArn);
    expect(second.addon?.status).toBe('CREATING');
    const other = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-legacy',
          addonName: 'kube-proxy',
          addonVersion: 'v1.28.17-eksbuild.2',
          clientRequestToken: token,
        }),
      ),
    );
    expect(other.name).toBe('InvalidParameterException');
    const u1 = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.17-eksbuild.2',
        clientRequestToken: 'upd-1',
      }),
    );
    const u2 = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.17-eksbuild.2',
        clientRequestToken: 'upd-1',
      }),
    );
    expect(u2.update?.id).toBe(u1.update?.id);
    await settle('ml-legacy', 'kube-proxy');
    expect(
      (await client.send(new ListUpdatesCommand({ name: 'ml-legacy', addonName: 'kube-proxy' })))
        .updateIds,
    ).toEqual([u1.update?.id]);
  });

  it('passes throttling from the fault knobs through as ThrottlingException (429)', async () => {
    h.faults.set({ throttleRate: 1 });
    try {
      const e = await rejection(strict.send(new ListClustersCommand({})));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ThrottlingException', 429]);
    } finally {
      h.faults.set({ throttleRate: 0 });
    }
  });

  it('refuses an unsigned request (403 MissingAuthenticationTokenException) and a wrong secret (InvalidSignatureException)', async () => {
    const res = await fetch(`${h.endpoint}/clusters`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const wrong = new EKSClient({
      ...h.clientConfig(REGION),
      credentials: { accessKeyId: h.accounts[0]!.accessKeyId, secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    const e = await rejection(wrong.send(new ListClustersCommand({})));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['InvalidSignatureException', 403]);
  });

  it('answers malformed bodies, wrong member types and bad paging input with 400s, never a crash', async () => {
    const base = {
      endpoint: h.endpoint,
      service: 'eks',
      region: REGION,
      credentials: h.credentials(),
    };
    const badJson = await signedFetch({
      ...base,
      method: 'POST',
      path: '/clusters/ml-prod/addons',
      headers: { 'content-type': 'application/json' },
      body: '{"addonName": ',
    });
    expect([badJson.status, badJson.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'BadRequestException',
    ]);
    expect(JSON.parse(badJson.text)).toHaveProperty('message');
    const wrongType = await signedFetch({
      ...base,
      method: 'POST',
      path: '/clusters/ml-prod/addons',
      headers: { 'content-type': 'application/json' },
      body: '{"addonName": 42}',
    });
    expect([wrongType.status, wrongType.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const noName = await signedFetch({
      ...base,
      method: 'POST',
      path: '/clusters/ml-prod/addons',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([noName.status, noName.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const badMax = await signedFetch({
      ...base,
      method: 'GET',
      path: '/clusters',
      query: { maxResults: '500' },
    });
    expect([badMax.status, badMax.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const badToken = await signedFetch({
      ...base,
      method: 'GET',
      path: '/clusters',
      query: { nextToken: 'garbage' },
    });
    expect([badToken.status, badToken.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const badPreserve = await signedFetch({
      ...base,
      method: 'DELETE',
      path: `/clusters/ml-prod/addons/${INFERENCE}`,
      query: { preserve: 'maybe' },
    });
    expect([badPreserve.status, badPreserve.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const unknownRoute = await signedFetch({
      ...base,
      method: 'GET',
      path: '/clusters/ml-prod/nodegroups-nope',
    });
    expect(unknownRoute.status).toBe(404);
    const noSchemaParams = await signedFetch({
      ...base,
      method: 'GET',
      path: '/addons/configuration-schemas',
    });
    expect([noSchemaParams.status, noSchemaParams.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
  });
});
