/**
 * ClientNodeKubeGateway beyond the contract: on the demo fleet, through HelmReleaseGateway (the
 * Helm releases the scanner reads), its failure modes, and what its writes put on the wire.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HelmReleaseGateway } from '@hyperpod/core';
import { KubeConfig } from '@kubernetes/client-node';
import { Sandbox } from '@hyperpod/sandbox';
import { ClientNodeKubeGateway } from './ClientNodeKubeGateway';

function kubeConfigFor(yaml: string, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  kc.setCurrentContext(context);
  return kc;
}

/** One context on `server` whose user is the exec credential plugin `command args`. */
function execUserKubeConfig(server: string, command: string, args: string[]): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [
      { name: 'u', exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args } },
    ],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('ClientNodeKubeGateway on the demo fleet', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  });
  afterAll(() => sb?.stop());

  it('reads the Helm release of the inference operator on ml-prod-use1 (chart 2.2.2, deployed)', async () => {
    const gw = new ClientNodeKubeGateway(kubeConfigFor(sb.kubeconfig(), 'ml-prod-use1'));
    const { releases, errors } = await new HelmReleaseGateway(gw).list();
    expect(errors).toEqual([]);
    const op = releases.find((r) => r.name === 'hyperpod-inference-operator');
    expect(op).toMatchObject({
      namespace: 'kube-system',
      status: 'deployed',
      chart: expect.objectContaining({ name: 'hyperpod-inference-operator', version: '2.2.2' }),
    });
    const { revisions } = await new HelmReleaseGateway(gw).history(
      'hyperpod-inference-operator',
      'kube-system',
    );
    expect(revisions.map((r) => r.chart.version)).toEqual(
      expect.arrayContaining(['2.1.0', '2.2.2']),
    );
  });

  it('sees the release stuck in pending-upgrade on ml-canary-usw2', async () => {
    const gw = new ClientNodeKubeGateway(kubeConfigFor(sb.kubeconfig(), 'ml-canary-usw2'));
    const { releases } = await new HelmReleaseGateway(gw).list();
    expect(releases.map((r) => r.status)).toContain('pending-upgrade');
  });

  it('reports a cluster that does not answer as Unavailable', async () => {
    const yaml = sb.kubeconfig().replace(sb.cluster('ml-prod-use1').server, 'https://127.0.0.1:9');
    const gw = new ClientNodeKubeGateway(kubeConfigFor(yaml, 'ml-prod-use1'));
    await expect(gw.list('v1', 'Secret')).rejects.toMatchObject({
      kind: 'Unavailable',
      service: 'kubernetes',
      code: 'ECONNREFUSED',
    });
  });

  it('reports a slow cluster as Timeout', async () => {
    sb.faults.set({ latencyMs: 300 });
    try {
      const gw = new ClientNodeKubeGateway(kubeConfigFor(sb.kubeconfig(), 'ml-prod-use1'), {
        requestTimeoutMs: 50,
      });
      await expect(gw.version()).rejects.toMatchObject({ kind: 'Timeout', service: 'kubernetes' });
    } finally {
      sb.faults.set({ latencyMs: 0 });
    }
  });

  it('reports a failing exec credential plugin as Unauthenticated', async () => {
    const kc = execUserKubeConfig(sb.cluster('ml-prod-use1').server, '/nonexistent/aws', [
      'eks',
      'get-token',
      '--cluster-name',
      'ml-prod-use1',
    ]);
    await expect(new ClientNodeKubeGateway(kc).version()).rejects.toMatchObject({
      kind: 'Unauthenticated',
      service: 'kubernetes',
    });
  });

  it('runs an exec credential plugin once for parallel first requests, again after a failure', async () => {
    const c = sb.cluster('ml-prod-use1');
    const dir = mkdtempSync(join(tmpdir(), 'hyperpod-exec-'));
    try {
      const runs = join(dir, 'runs');
      const fail = join(dir, 'fail');
      writeFileSync(runs, '');
      // A credential plugin that counts its runs, and fails while `fail` exists.
      const plugin = join(dir, 'plugin.js');
      writeFileSync(
        plugin,
        `const fs = require('fs');
fs.appendFileSync(${JSON.stringify(runs)}, 'x');
if (fs.existsSync(${JSON.stringify(fail)})) { process.stderr.write('denied'); process.exit(1); }
process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1',
  status: { token: ${JSON.stringify(c.token)}, expirationTimestamp: new Date(Date.now() + 600000).toISOString() } }));`,
      );
      const kubeConfig = () => execUserKubeConfig(c.server, process.execPath, [plugin]);
      // Four lists at once, as a cluster scan starts them.
      const kinds = [
        ['v1', 'Secret'],
        ['apps/v1', 'Deployment'],
        ['apps/v1', 'DaemonSet'],
        ['storage.k8s.io/v1', 'CSIDriver'],
      ] as const;
      const reads = (gw: ClientNodeKubeGateway) =>
        Promise.allSettled(kinds.map(([apiVersion, kind]) => gw.list(apiVersion, kind)));

      const ok = await reads(new ClientNodeKubeGateway(kubeConfig()));
      expect(ok.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(readFileSync(runs, 'utf8')).toBe('x');

      // The first run fails: that request fails, the ones waiting try for themselves.
      writeFileSync(runs, '');
      writeFileSync(fail, '');
      const failed = await reads(new ClientNodeKubeGateway(kubeConfig()));
      expect(failed.every((r) => r.status === 'rejected')).toBe(true);
      expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'Unauthenticated',
      });
      expect(readFileSync(runs, 'utf8').length).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ClientNodeKubeGateway writes on the wire', () => {
  interface Seen {
    method: string;
    path: string;
    query: Record<string, string>;
    contentType?: string;
    body?: unknown;
  }
  let server: http.Server;
  let seen: Seen[];
  /** The Accept header of every request, discovery's included. */
  let accepts: (string | undefined)[] = [];
  /** Answers by `METHOD path`; discovery of v1 and coordination.k8s.io/v1 is built in. */
  let answers: Record<string, { status: number; body: unknown }>;
  let gw: ClientNodeKubeGateway;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const text = Buffer.concat(chunks).toString('utf8');
        accepts.push(req.headers.accept);
        const discovery: Record<string, unknown> = {
          '/api/v1': { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }] },
          '/apis/coordination.k8s.io/v1': {
            resources: [{ name: 'leases', kind: 'Lease', namespaced: true }],
          },
        };
        if (req.method === 'GET' && discovery[u.pathname]) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(discovery[u.pathname]));
          return;
        }
        seen.push({
          method: req.method ?? '',
          path: u.pathname,
          query: Object.fromEntries(u.searchParams),
          contentType: req.headers['content-type'],
          body: text ? JSON.parse(text) : undefined,
        });
        const a = answers[`${req.method} ${u.pathname}`] ?? { status: 200, body: {} };
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'wire', cluster: 'c', user: 'u' }],
      currentContext: 'wire',
    });
    gw = new ClientNodeKubeGateway(kc);
  });
  beforeEach(() => {
    seen = [];
    answers = {};
    accepts = [];
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const status = (code: number, reason: string, message: string) => ({
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message },
  });
  const cmPath = '/api/v1/namespaces/ns/configmaps';
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'ns', uid: 'u-1', resourceVersion: '7', generation: 2 },
    data: { a: '1' },
  };
  const cmRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'c' };

  it('reads built-in kinds at their fixed paths, without a discovery request first', async () => {
    answers['GET /apis/apps/v1/deployments'] = { status: 200, body: { items: [] } };
    answers['GET /apis/storage.k8s.io/v1/csidrivers'] = { status: 200, body: { items: [] } };
    await gw.list('apps/v1', 'Deployment', { namespace: 'kube-system' });
    await gw.list('storage.k8s.io/v1', 'CSIDriver');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /apis/apps/v1/namespaces/kube-system/deployments',
      'GET /apis/storage.k8s.io/v1/csidrivers',
    ]);
  });

  it('asks for metadata only when told to, and answers with the kind listed either way', async () => {
    const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    answers[`GET ${crds}`] = {
      status: 200,
      body: {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        items: [
          {
            kind: 'PartialObjectMetadata',
            apiVersion: 'meta.k8s.io/v1',
            metadata: { name: 'widgets.example.com' },
          },
        ],
      },
    };
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
    await expect(gw.list(crd.apiVersion, crd.kind, { metadataOnly: true })).resolves.toEqual([
      { ...crd, metadata: { name: 'widgets.example.com' } },
    ]);
    expect(accepts).toEqual([
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    ]);
    // A server that does not serve metadata lists answers whole objects: their metadata only.
    answers[`GET ${cmPath}`] = { status: 200, body: { kind: 'ConfigMapList', items: [cm] } };
    await expect(
      gw.list('v1', 'ConfigMap', { namespace: 'ns', metadataOnly: true }),
    ).resolves.toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: cm.metadata }]);
    await expect(gw.list('v1', 'ConfigMap', { namespace: 'ns' })).resolves.toEqual([cm]);
    expect(accepts.at(-1)).toBe('application/json');
  });

  it('a built-in API the server does not serve lists as empty and gets as undefined', async () => {
    const notFound = status(404, 'NotFound', 'the server could not find the requested resource');
    answers['GET /apis/networking.k8s.io/v1/ingresses'] = notFound;
    answers['GET /apis/networking.k8s.io/v1/namespaces/ns/ingresses/web'] = notFound;
    await expect(gw.list('networking.k8s.io/v1', 'Ingress')).resolves.toEqual([]);
    await expect(
      gw.get({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'ns', name: 'web' }),
    ).resolves.toBeUndefined();
  });

  it('POSTs a create with fieldManager kubectl-hyperpod and without server-assigned metadata', async () => {
    answers[`POST ${cmPath}`] = { status: 201, body: { ...cm, metadata: { name: 'c' } } };
    await gw.create(cm);
    await gw.create(cm, { fieldManager: 'hyperpod-migration', dryRun: true });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: cmPath,
        query: { fieldManager: 'kubectl-hyperpod' },
        contentType: 'application/json',
        body: { ...cm, metadata: { name: 'c', namespace: 'ns' } },
      },
      expect.objectContaining({ query: { fieldManager: 'hyperpod-migration', dryRun: 'All' } }),
    ]);
  });

  it('PUTs a replace as given, reading the resourceVersion first when it has none', async () => {
    answers[`GET ${cmPath}/c`] = {
      status: 200,
      body: { ...cm, metadata: { ...cm.metadata, resourceVersion: '9' } },
    };
    await gw.replace(cm, { dryRun: true });
    const { resourceVersion: _rv, ...unversioned } = cm.metadata;
    await gw.replace({ ...cm, metadata: unversioned });
    expect(
      seen.map((s) => [
        s.method,
        s.query,
        (s.body as typeof cm | undefined)?.metadata.resourceVersion,
      ]),
    ).toEqual([
      ['PUT', { fieldManager: 'kubectl-hyperpod', dryRun: 'All' }, '7'],
      ['GET', {}, undefined],
      ['PUT', { fieldManager: 'kubectl-hyperpod' }, '9'],
    ]);
  });

  it('PATCHes with application/merge-patch+json', async () => {
    await gw.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'c' },
      { data: { a: null } },
      { fieldManager: 'm' },
    );
    expect(seen).toEqual([
      {
        method: 'PATCH',
        path: `${cmPath}/c`,
        query: { fieldManager: 'm' },
        contentType: 'application/merge-patch+json',
        body: { data: { a: null } },
      },
    ]);
  });

  it('DELETEs with DeleteOptions (Background unless told), true when deleted, false on 404', async () => {
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'ns', name: 'l' };
    const path = '/apis/coordination.k8s.io/v1/namespaces/ns/leases/l';
    expect(await gw.delete(ref)).toBe(true);
    expect(await gw.delete(ref, { dryRun: true, propagationPolicy: 'Orphan' })).toBe(true);
    answers[`DELETE ${path}`] = status(404, 'NotFound', 'leases.coordination.k8s.io "l" not found');
    expect(await gw.delete(ref)).toBe(false);
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      [
        'DELETE',
        path,
        { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
      ],
      [
        'DELETE',
        path,
        { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan', dryRun: ['All'] },
      ],
      [
        'DELETE',
        path,
        { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
      ],
    ]);
  });

  it('asks canI with a SelfSubjectAccessReview and passes on the answer and its reason', async () => {
    const review = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    answers[`POST ${review}`] = {
      status: 201,
      body: {
        kind: 'SelfSubjectAccessReview',
        status: { allowed: false, reason: 'no RBAC policy matched' },
      },
    };
    expect(
      await gw.canI({ verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'ns' }),
    ).toEqual({
      allowed: false,
      reason: 'no RBAC policy matched',
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: review,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb: 'delete',
            group: 'apps',
            resource: 'deployments',
            namespace: 'ns',
          },
        },
      },
    });
  });

  it('maps write failures as reads: 409 by reason, 403, 422, 404 and 5xx', async () => {
    answers[`POST ${cmPath}`] = status(409, 'AlreadyExists', 'configmaps "c" already exists');
    await expect(gw.create(cm)).rejects.toMatchObject({
      kind: 'Conflict',
      code: 'AlreadyExists',
      statusCode: 409,
    });
    answers[`PUT ${cmPath}/c`] = status(
      409,
      'Conflict',
      'Operation cannot be fulfilled on configmaps "c"',
    );
    await expect(gw.replace(cm)).rejects.toMatchObject({
      kind: 'Conflict',
      code: 'Conflict',
      operation: 'replace configmap ns/c',
    });
    answers[`PATCH ${cmPath}/c`] = status(403, 'Forbidden', 'configmaps "c" is forbidden');
    await expect(gw.patch(cmRef, { data: {} })).rejects.toMatchObject({
      kind: 'AccessDenied',
      code: 'Forbidden',
    });
    answers[`PUT ${cmPath}/c`] = status(422, 'Invalid', 'ConfigMap "c" is invalid');
    await expect(gw.replace(cm)).rejects.toMatchObject({
      kind: 'InvalidParameter',
      code: 'Invalid',
    });
    answers[`PATCH ${cmPath}/c`] = status(404, 'NotFound', 'configmaps "c" not found');
    await expect(gw.patch(cmRef, { data: {} })).rejects.toMatchObject({ kind: 'NotFound' });
    answers[`DELETE ${cmPath}/c`] = status(503, 'ServiceUnavailable', 'etcd is down');
    await expect(gw.delete(cmRef)).rejects.toMatchObject({ kind: 'Unavailable', retryable: true });
    await expect(
      gw.create({
        apiVersion: 'example.com/v1',
        kind: 'Nothing',
        metadata: { name: 'x', namespace: 'ns' },
      }),
    ).rejects.toMatchObject({ kind: 'NotFound', statusCode: 404 });
  });
});
