/**
 * The sandbox Kubernetes API server driven by @kubernetes/client-node 2.0.1, the client the
 * product's gateway uses: CRUD, selectors, pagination, optimistic concurrency, every patch type,
 * server-side apply conflicts, errors and CRDs, all on the wire.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { KubeApiServer, KubeCluster, hyperpodInferenceCrds, Faults } from '@hyperpod/sandbox';

const NS = 'hyperpod-inference-system';
const TOKEN = 'sandbox-token-0123456789';

function kubeConfig(server: string, token = TOKEN): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'hp', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'hp', context: { cluster: 'hp', user: 'admin' } }],
      'current-context': 'hp',
    }),
  );
  return kc;
}

function operatorDeployment(replicas = 1): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'hyperpod-inference-operator-controller-manager',
      namespace: NS,
      labels: {
        'app.kubernetes.io/name': 'hyperpod-inference-operator',
        'app.kubernetes.io/managed-by': 'Helm',
      },
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'control-plane': 'controller-manager' } },
      template: {
        metadata: { labels: { 'control-plane': 'controller-manager' } },
        spec: {
          containers: [
            {
              name: 'manager',
              image: 'public.ecr.aws/sagemaker/hyperpod-inference-operator:v3.2',
              args: ['--leader-elect'],
            },
          ],
        },
      },
    },
  };
}

async function apiError(
  p: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException)
      return {
        code: e.code,
        body:
          typeof e.body === 'string'
            ? JSON.parse(e.body)
            : ((e.body ?? {}) as Record<string, unknown>),
      };
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('sandbox kube API with @kubernetes/client-node', () => {
  let cluster: KubeCluster;
  let server: KubeApiServer;
  let url: string;
  let faults: Faults;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;

  beforeEach(async () => {
    cluster = new KubeCluster({ name: 'hp-prod', version: '1.31' });
    faults = new Faults();
    server = new KubeApiServer(cluster, { token: TOKEN, faults });
    url = await server.listen();
    const kc = kubeConfig(url);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    await core.createNamespace({ body: { metadata: { name: NS } } });
  });

  afterEach(async () => {
    await server.close();
  });

  it('creates, reads and lists with a label selector', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: NS,
      body: operatorDeployment(2),
    });
    expect(created.metadata?.uid).toBeDefined();
    const read = await apps.readNamespacedDeployment({
      namespace: NS,
      name: 'hyperpod-inference-operator-controller-manager',
    });
    expect(read.status?.readyReplicas).toBe(2);
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'a', labels: { tier: 'web' } }, data: { k: 'v' } },
    });
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'b', labels: { tier: 'db' } } },
    });
    const web = await core.listNamespacedConfigMap({
      namespace: NS,
      labelSelector: 'tier in (web)',
    });
    expect(web.items.map((c) => c.metadata?.name)).toEqual(['a']);
    const all = await apps.listDeploymentForAllNamespaces();
    expect(all.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).toEqual([
      `${NS}/hyperpod-inference-operator-controller-manager`,
    ]);
  });

  it('pages a list with limit and continue', async () => {
    for (let i = 0; i < 5; i++)
      await core.createNamespacedSecret({
        namespace: NS,
        body: {
          metadata: { name: `sh.helm.release.v1.op.v${i + 1}` },
          type: 'helm.sh/release.v1',
          data: { release: Buffer.from('x').toString('base64') },
        },
      });
    const first = await core.listNamespacedSecret({ namespace: NS, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?.remainingItemCount).toBe(3);
    const names = first.items.map((s) => s.metadata?.name);
    let token = first.metadata?._continue;
    while (token) {
      const page = await core.listNamespacedSecret({ namespace: NS, limit: 2, _continue: token });
      names.push(...page.items.map((s) => s.metadata?.name));
      token = page.metadata?._continue;
    }
    expect(names).toEqual([1, 2, 3, 4, 5].map((i) => `sh.helm.release.v1.op.v${i}`));
  });

  it('rejects a replace with a stale resourceVersion with 409 Conflict', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: NS,
      body: operatorDeployment(),
    });
    await apps.replaceNamespacedDeployment({
      namespace: NS,
      name: created.metadata!.name!,
      body: { ...created, spec: { ...created.spec!, replicas: 2 } },
    });
    const err = await apiError(
      apps.replaceNamespacedDeployment({
        namespace: NS,
        name: created.metadata!.name!,
        body: { ...created, spec: { ...created.spec!, replicas: 3 } },
      }),
    );
    expect(err.code).toBe(409);
    expect(err.body).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      message: expect.stringContaining('the object has been modified'),
    });
  });

  it('patches with json, merge and strategic merge patch', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: operatorDeployment() });
    const name = 'hyperpod-inference-operator-controller-manager';
    await apps.patchNamespacedDeployment(
      { namespace: NS, name, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    await apps.patchNamespacedDeployment(
      { namespace: NS, name, body: { metadata: { labels: { team: 'ml' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const d = await apps.patchNamespacedDeployment(
      {
        namespace: NS,
        name,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'kube-rbac-proxy', image: 'quay.io/brancz/kube-rbac-proxy:v0.18.0' },
                ],
              },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(d.spec?.replicas).toBe(3);
    expect(d.metadata?.labels?.team).toBe('ml');
    expect(d.spec?.template.spec?.containers.map((c) => c.name)).toEqual([
      'manager',
      'kube-rbac-proxy',
    ]);
    const failed = await apiError(
      apps.patchNamespacedDeployment(
        { namespace: NS, name, body: [{ op: 'test', path: '/spec/replicas', value: 1 }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    expect(failed.code).toBe(422);
  });

  it('server-side apply conflicts with another manager and force takes the field', async () => {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: operatorDeployment(2),
      fieldManager: 'helm',
    });
    const err = await apiError(
      objects.patch(
        operatorDeployment(1),
        undefined,
        undefined,
        'eks',
        false,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(err.code).toBe(409);
    expect(err.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "helm" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "helm" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
    const forced = await objects.patch(
      operatorDeployment(1),
      undefined,
      undefined,
      'eks',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((forced as V1Deployment).spec?.replicas).toBe(1);
    expect(forced.metadata?.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual([
      'helm/Update',
      'eks/Apply',
    ]);
  });

  it('deletes, then answers NotFound in apiserver wording', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: operatorDeployment() });
    await apps.deleteNamespacedDeployment({
      namespace: NS,
      name: 'hyperpod-inference-operator-controller-manager',
      propagationPolicy: 'Foreground',
    });
    const err = await apiError(
      apps.readNamespacedDeployment({
        namespace: NS,
        name: 'hyperpod-inference-operator-controller-manager',
      }),
    );
    expect(err.code).toBe(404);
    expect(err.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "hyperpod-inference-operator-controller-manager" not found',
      reason: 'NotFound',
      details: {
        name: 'hyperpod-inference-operator-controller-manager',
        group: 'apps',
        kind: 'deployments',
      },
      code: 404,
    });
  });

  it('refuses creates in a missing namespace', async () => {
    const err = await apiError(
      core.createNamespacedServiceAccount({
        namespace: 'missing',
        body: { metadata: { name: 'sa' } },
      }),
    );
    expect(err.code).toBe(404);
    expect(err.body).toMatchObject({
      reason: 'NotFound',
      message: 'namespaces "missing" not found',
    });
  });

  it('answers a wrong token with 401 Unauthorized', async () => {
    const bad = kubeConfig(url, 'wrong-token').makeApiClient(CoreV1Api);
    const err = await apiError(bad.listNamespace());
    expect(err.code).toBe(401);
  });

  it('serves a custom resource once its CRD exists', async () => {
    const custom = kubeConfig(url).makeApiClient(CustomObjectsApi);
    const target = {
      group: 'inference.sagemaker.aws.amazon.com',
      version: 'v1',
      namespace: NS,
      plural: 'jumpstartmodels',
    };
    expect((await apiError(custom.listNamespacedCustomObject(target))).code).toBe(404);
    for (const crd of hyperpodInferenceCrds()) await objects.create(crd as KubernetesObject);
    await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
        kind: 'JumpStartModel',
        metadata: { name: 'deepseek' },
        spec: {
          model: { modelId: 'deepseek-llm-r1-distill-qwen-1-5b', acceptEula: true },
          server: { instanceType: 'ml.g5.8xlarge' },
        },
      },
    });
    const list = (await custom.listNamespacedCustomObject(target)) as {
      items: { metadata: { name: string } }[];
    };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['deepseek']);
  });

  it('answers an injected fault with its status, and an "after" fault only after doing the work', async () => {
    faults.addFaultPoint({
      point: 'kube.create.configmaps',
      status: 503,
      message: 'etcd leader changed',
      times: 1,
    });
    const err = await apiError(
      core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'x' } } }),
    );
    expect(err.code).toBe(503);
    expect(err.body).toMatchObject({
      reason: 'ServiceUnavailable',
      message: 'etcd leader changed',
    });
    expect(
      cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'x' }),
    ).toBeUndefined();
    faults.addFaultPoint({ point: 'kube.delete.configmaps', when: 'after', status: 500, times: 1 });
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'x' } } });
    expect(
      (await apiError(core.deleteNamespacedConfigMap({ namespace: NS, name: 'x' }))).code,
    ).toBe(500);
    expect(
      cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'x' }),
    ).toBeUndefined();
  });
});
