import { KubeApiServer } from './KubeApiServer';
import { KubeCluster } from './KubeCluster';
import { hyperpodInferenceCrds } from './hyperpodCrds';

const TOKEN = 't0ken';
const NS = 'hyperpod-inference-system';

describe('KubeApiServer on the wire', () => {
  let cluster: KubeCluster;
  let server: KubeApiServer;
  let base: string;

  beforeEach(async () => {
    cluster = new KubeCluster({ name: 'hp', version: '1.30' });
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    server = new KubeApiServer(cluster, {
      token: TOKEN,
      scheme: 'http',
      authorizeAwsToken: (akid) => akid === 'AKIASANDBOX111111111',
    });
    base = await server.listen();
  });

  afterEach(() => server.close());

  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(base + path, {
      ...init,
      headers: {
        authorization: `Bearer ${init.token ?? TOKEN}`,
        ...(init.headers as Record<string, string>),
      },
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: text ? JSON.parse(text) : undefined,
    };
  };

  it('answers malformed JSON with 400, unknown paths with 404 and oversized bodies with 413', async () => {
    const bad = await call(`/api/v1/namespaces/${NS}/configmaps`, {
      method: 'POST',
      body: '{"kind":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(await call('/apis/nope.example.com/v1/things')).toMatchObject({
      status: 404,
      body: { reason: 'NotFound', message: 'the server could not find the requested resource' },
    });
    const huge = await call(`/api/v1/namespaces/${NS}/configmaps`, {
      method: 'POST',
      body: 'x'.repeat(3 * 1024 * 1024 + 1),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge).toMatchObject({ status: 413, body: { reason: 'RequestEntityTooLarge' } });
    const mismatch = await call(`/apis/apps/v1/namespaces/${NS}/deployments`, {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(mismatch).toMatchObject({
      status: 400,
      body: {
        message:
          'the API version in the data (v1) does not match the expected API version (apps/v1)',
      },
    });
  });

  it('refuses strategic merge patches on custom resources with 415', async () => {
    for (const crd of hyperpodInferenceCrds()) cluster.create(crd);
    cluster.create({
      apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
      kind: 'JumpStartModel',
      metadata: { name: 'm', namespace: NS },
      spec: { replicas: 1 },
    });
    const r = await call(
      `/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/${NS}/jumpstartmodels/m`,
      {
        method: 'PATCH',
        body: '{"spec":{"replicas":2}}',
        headers: { 'content-type': 'application/strategic-merge-patch+json' },
      },
    );
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });

  it('serves aggregated discovery v2 when asked, legacy otherwise', async () => {
    cluster.create(hyperpodInferenceCrds()[1]!);
    const agg = await call('/apis', {
      headers: {
        accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(agg.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const inference = agg.body.items.find(
      (g: { metadata: { name: string } }) =>
        g.metadata.name === 'inference.sagemaker.aws.amazon.com',
    );
    expect(inference.versions.map((v: { version: string }) => v.version)).toEqual([
      'v1',
      'v1alpha1',
    ]);
    expect(inference.versions[0].resources[0]).toMatchObject({
      resource: 'jumpstartmodels',
      scope: 'Namespaced',
      responseKind: { kind: 'JumpStartModel' },
    });
    const legacy = await call('/apis');
    expect(legacy.body.kind).toBe('APIGroupList');
    const apps = await call('/apis/apps/v1');
    expect(apps.body.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'deployments/scale',
          kind: 'Scale',
          group: 'autoscaling',
          version: 'v1',
        }),
      ]),
    );
  });

  it('serves tables for kubectl get, scale subresource and dry runs that store nothing', async () => {
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    const dry = await call(`/apis/apps/v1/namespaces/${NS}/deployments?dryRun=All`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(dry.status).toBe(201);
    expect(
      cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'd' }),
    ).toBeUndefined();
    await call(`/apis/apps/v1/namespaces/${NS}/deployments`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const table = await call(`/apis/apps/v1/namespaces/${NS}/deployments`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(table.body.kind).toBe('Table');
    expect(table.body.columnDefinitions.slice(0, 5).map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
    ]);
    expect(table.body.rows[0].cells.slice(0, 4)).toEqual(['d', '2/2', 2, 2]);
    const scale = await call(`/apis/apps/v1/namespaces/${NS}/deployments/d/scale`);
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'a=b' },
    });
  });

  it('streams watch events until the timeout', async () => {
    const res = await fetch(
      `${base}/api/v1/namespaces/${NS}/configmaps?watch=true&timeoutSeconds=1`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
    );
    cluster.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: NS },
    });
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({
        type: 'ADDED',
        object: expect.objectContaining({ metadata: expect.objectContaining({ name: 'watched' }) }),
      }),
    ]);
  });

  it('accepts an EKS token whose access key the callback authorises', async () => {
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const presigned = (akid: string) =>
      'k8s-aws-v1.' +
      Buffer.from(
        `https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${akid}%2F${date.slice(0, 8)}%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=${date}&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=abc`,
      ).toString('base64url');
    expect(
      (await call('/api/v1/namespaces', { token: presigned('AKIASANDBOX111111111') })).status,
    ).toBe(200);
    expect(
      (await call('/api/v1/namespaces', { token: presigned('AKIAOTHERACCOUNT0000') })).body,
    ).toMatchObject({ code: 401, reason: 'Unauthorized' });
  });
});
