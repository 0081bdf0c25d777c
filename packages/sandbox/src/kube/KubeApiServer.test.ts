import { KubeApiServer, type KubeApiServerOptions } from './KubeApiServer';
import { KubeCluster } from './KubeCluster';
import { hyperpodInferenceCrds } from './hyperpodCrds';

const TOKEN = 't0ken';
const NS = 'hyperpod-inference-system';

/** A cluster holding the namespace NS, served on a fresh port. */
async function serve(opts: Omit<KubeApiServerOptions, 'token'> = {}) {
  const cluster = new KubeCluster({ name: 'hp', version: '1.30' });
  cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const server = new KubeApiServer(cluster, { token: TOKEN, ...opts });
  return { cluster, server, base: await server.listen() };
}

describe('KubeApiServer on the wire', () => {
  let cluster: KubeCluster;
  let server: KubeApiServer;
  let base: string;

  beforeEach(async () => {
    ({ cluster, server, base } = await serve({
      scheme: 'http',
      authorizeAwsToken: (akid) => akid === 'AKIASANDBOX111111111',
    }));
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

  const json = (method: string, body: unknown, contentType = 'application/json') => ({
    method,
    body: JSON.stringify(body),
    headers: { 'content-type': contentType },
  });
  const cm = (name: string, data: Record<string, string> = { a: '1' }) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NS },
    data,
  });
  const lease = (name: string, holder: string, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: NS, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: { holderIdentity: holder, leaseDurationSeconds: 15 },
  });

  it("PUT follows each type's update strategy: create-on-update and unconditional update", async () => {
    const cms = `/api/v1/namespaces/${NS}/configmaps`;
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
    // ConfigMaps are never created by PUT.
    expect(await call(`${cms}/missing`, json('PUT', cm('missing')))).toMatchObject({
      status: 404,
      body: { reason: 'NotFound', message: 'configmaps "missing" not found' },
    });
    // A Lease is, when the body names no resourceVersion.
    expect(await call(`${leases}/l`, json('PUT', lease('l', 'a')))).toMatchObject({
      status: 201,
      body: { spec: { holderIdentity: 'a' } },
    });
    // But an existing Lease needs the resourceVersion it replaces.
    const bare = await call(`${leases}/l`, json('PUT', lease('l', 'b')));
    expect(bare).toMatchObject({
      status: 422,
      body: {
        reason: 'Invalid',
        message:
          'leases.coordination.k8s.io "l" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
        details: { causes: [{ field: 'metadata.resourceVersion' }] },
      },
    });
    const rv = cluster.get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: NS,
      name: 'l',
    })!.metadata.resourceVersion;
    expect(await call(`${leases}/l`, json('PUT', lease('l', 'b', rv)))).toMatchObject({
      status: 200,
      body: { spec: { holderIdentity: 'b' } },
    });
    // A ConfigMap takes a bare PUT.
    await call(cms, json('POST', cm('c')));
    expect(await call(`${cms}/c`, json('PUT', cm('c', { a: '2' })))).toMatchObject({
      status: 200,
      body: { data: { a: '2' } },
    });
    // Custom resources do not.
    for (const crd of hyperpodInferenceCrds()) cluster.create(crd);
    const models = `/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/${NS}/jumpstartmodels`;
    const model = {
      apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
      kind: 'JumpStartModel',
      metadata: { name: 'm', namespace: NS },
      spec: { replicas: 1 },
    };
    expect(await call(`${models}/m`, json('PUT', model))).toMatchObject({ status: 404 });
    await call(models, json('POST', model));
    expect(await call(`${models}/m`, json('PUT', model))).toMatchObject({
      status: 422,
      body: { reason: 'Invalid' },
    });
  });

  it('refuses a create that carries a resourceVersion with 500, as etcd3 storage does', async () => {
    const copied = {
      ...cm('copied'),
      metadata: { ...cm('copied').metadata, resourceVersion: '42' },
    };
    const res = await call(`/api/v1/namespaces/${NS}/configmaps`, json('POST', copied));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'resourceVersion should not be set on objects to be created',
      code: 500,
    });
    expect(
      cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'copied' }),
    ).toBeUndefined();
  });

  it('dry runs of PUT, PATCH and DELETE answer as if done and store nothing', async () => {
    const path = `/api/v1/namespaces/${NS}/configmaps/d`;
    const created = await call(`/api/v1/namespaces/${NS}/configmaps`, json('POST', cm('d')));
    const stored = () =>
      cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'd' });
    const put = await call(`${path}?dryRun=All`, json('PUT', cm('d', { a: 'put' })));
    expect(put).toMatchObject({ status: 200, body: { data: { a: 'put' } } });
    const patch = await call(
      `${path}?dryRun=All`,
      json('PATCH', { data: { a: null, b: 'patched' } }, 'application/merge-patch+json'),
    );
    expect(patch).toMatchObject({ status: 200, body: { data: { b: 'patched' } } });
    const del = await call(
      path,
      json('DELETE', {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        dryRun: ['All'],
        propagationPolicy: 'Foreground',
      }),
    );
    expect(del.status).toBe(200);
    expect(stored()).toMatchObject({
      data: { a: '1' },
      metadata: { resourceVersion: created.body.metadata.resourceVersion },
    });
    const bad = await call(
      path,
      json('DELETE', { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Sometimes' }),
    );
    expect(bad).toMatchObject({ status: 422, body: { reason: 'Invalid' } });
    expect(stored()).toBeDefined();
    const gone = await call(
      path,
      json('DELETE', { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }),
    );
    expect(gone.status).toBe(200);
    expect(stored()).toBeUndefined();
  });

  it('refuses what denyAccess takes away with 403 in RBAC wording, and SelfSubjectAccessReview agrees', async () => {
    const review = async (attrs: Record<string, string>) =>
      (
        await call(
          '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          json('POST', {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: attrs },
          }),
        )
      ).body.status;
    /** Whether the caller may `verb` leases in `namespace`, as SelfSubjectAccessReview says. */
    const leaseReview = (namespace: string, verb = 'create') =>
      review({ verb, group: 'coordination.k8s.io', resource: 'leases', namespace });
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
    cluster.denyAccess({
      verb: 'create',
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: NS,
    });
    cluster.denyAccess({ verb: 'list', group: '', resource: 'secrets' });
    expect(await leaseReview(NS)).toEqual({ allowed: false });
    expect(await leaseReview('default')).toMatchObject({ allowed: true });
    expect(await leaseReview(NS, 'get')).toMatchObject({ allowed: true });
    expect(await call(leases, json('POST', lease('l', 'a')))).toMatchObject({
      status: 403,
      body: {
        reason: 'Forbidden',
        message: `leases.coordination.k8s.io is forbidden: User "kubernetes-admin" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "${NS}"`,
        details: { group: 'coordination.k8s.io', kind: 'leases' },
      },
    });
    expect(await call('/api/v1/secrets')).toMatchObject({
      status: 403,
      body: {
        message:
          'secrets is forbidden: User "kubernetes-admin" cannot list resource "secrets" in API group "" at the cluster scope',
      },
    });
    expect(
      cluster.get({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        namespace: NS,
        name: 'l',
      }),
    ).toBeUndefined();
    cluster.clearAccessDenials();
    expect(await call(leases, json('POST', lease('l', 'a')))).toMatchObject({ status: 201 });
    expect(await leaseReview(NS)).toMatchObject({ allowed: true });
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

  it('authenticates the users the cluster names (by EKS token access key) and authorizes them by RBAC; SubjectAccessReview answers for anyone', async () => {
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const ciToken =
      'k8s-aws-v1.' +
      Buffer.from(
        `https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIACIUSER0000000000%2F${date.slice(0, 8)}%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=${date}&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=abc`,
      ).toString('base64url');
    const arn = 'arn:aws:iam::111111111111:user/ci';
    expect((await call(`/api/v1/namespaces/${NS}/configmaps`, { token: ciToken })).status).toBe(
      401,
    );
    cluster.setRbacUsers([{ name: arn, groups: ['ci'], accessKeyId: 'AKIACIUSER0000000000' }]);
    expect(
      (await call(`/api/v1/namespaces/${NS}/configmaps`, { token: ciToken })).body,
    ).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: `configmaps is forbidden: User "${arn}" cannot list resource "configmaps" in API group "" in the namespace "${NS}"`,
      details: { kind: 'configmaps' },
    });
    cluster.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'cm', namespace: NS },
      rules: [{ verbs: ['list'], apiGroups: [''], resources: ['configmaps'] }],
    });
    cluster.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'ci-cm', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ci' }],
    });
    expect((await call(`/api/v1/namespaces/${NS}/configmaps`, { token: ciToken })).status).toBe(
      200,
    );
    const sar = (user: string, groups: string[]) =>
      call('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user,
            groups,
            resourceAttributes: { verb: 'list', resource: 'configmaps', namespace: NS },
          },
        }),
      });
    expect((await sar('someone', ['ci'])).body.status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "ci-cm/hyperpod-inference-system" of Role "cm" to Group "ci"',
    });
    expect((await sar('someone', [])).body.status).toEqual({ allowed: false });
    // A named user may not ask about others unless RBAC lets it.
    expect(
      (
        await call('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
          method: 'POST',
          token: ciToken,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'SubjectAccessReview', spec: {} }),
        })
      ).body,
    ).toMatchObject({ code: 403 });
  });
});
