/** The KubeGateway contract: reads (get, list, served kinds) and a refused token. */
import { rejection } from './eventually';
import {
  configMap,
  customResourceDefinition,
  type KubeContractFixture,
} from './kubeContractFixture';

/** Registers its tests in the caller's describe block; `fixture` is the suite's, once set up. */
export function kubeReadContract(fixture: () => KubeContractFixture): void {
  let f: KubeContractFixture;
  beforeAll(() => {
    f = fixture();
  });

  it('reports the server version', async () => {
    const v = await f.gateway.version();
    expect(`${v.major}.${v.minor.replace(/\D+$/, '')}`).toBe(f.kubernetesVersion);
    expect(v.gitVersion).toMatch(new RegExp(`^v${f.kubernetesVersion.replace('.', '\\.')}\\.`));
  });

  it('gets an object as the server stores it, and undefined for one that does not exist', async () => {
    const cm = await f.gateway.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'contract-a',
      name: 'operator-config',
    });
    expect(cm).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'operator-config', namespace: 'contract-a' },
      data: { 'config.yaml': 'name: operator-config\n' },
    });
    expect(typeof cm?.metadata.resourceVersion).toBe('string');
    expect(
      await f.gateway.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'contract-a',
        name: 'missing',
      }),
    ).toBeUndefined();
  });

  it('lists across all namespaces with a label selector, and in one namespace', async () => {
    const all = await f.gateway.list('v1', 'ConfigMap', {
      labelSelector: 'app.kubernetes.io/name=hyperpod-inference-operator',
    });
    expect(all.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'contract-a/operator-config',
      'contract-b/operator-config',
    ]);
    for (const o of all) expect(o).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    const inA = await f.gateway.list('v1', 'ConfigMap', {
      namespace: 'contract-a',
      labelSelector: 'app.kubernetes.io/name',
    });
    expect(inA.map((o) => o.metadata.name).sort()).toEqual(['operator-config', 'other-config']);
    const setBased = await f.gateway.list('v1', 'ConfigMap', {
      labelSelector: 'tier in (data),app.kubernetes.io/name!=other',
    });
    expect(setBased.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'contract-b/operator-config',
    ]);
  });

  it('lists metadata only when asked: the kind listed and its metadata, nothing else', async () => {
    const names = await f.gateway.list('v1', 'ConfigMap', {
      namespace: 'contract-a',
      labelSelector: 'app.kubernetes.io/name',
      metadataOnly: true,
    });
    expect(names.map((o) => o.metadata.name).sort()).toEqual(['operator-config', 'other-config']);
    for (const o of names) {
      expect(Object.keys(o).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      expect(o).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
      expect(o.metadata).toMatchObject({ namespace: 'contract-a', labels: expect.any(Object) });
    }
  });

  it('lists every object when there are more than a page of them', async () => {
    const bulk = await f.gateway.list('v1', 'ConfigMap', {
      namespace: 'contract-b',
      labelSelector: 'bulk=yes',
    });
    expect(bulk.map((o) => o.metadata.name).sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => `bulk-${i}`),
    );
  });

  it('lists cluster-scoped kinds', async () => {
    const namespaces = (await f.gateway.list('v1', 'Namespace')).map((o) => o.metadata.name);
    expect(namespaces).toEqual(expect.arrayContaining(['contract-a', 'contract-b']));
  });

  it('lists a kind whose CRD is not installed as empty, and gets it as undefined', async () => {
    expect(
      await f.gateway.list('inference.sagemaker.aws.amazon.com/v1', 'InferenceEndpointConfig'),
    ).toEqual([]);
    expect(await f.gateway.list('apps/v1', 'NoSuchKind')).toEqual([]);
    expect(
      await f.gateway.get({
        apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
        kind: 'InferenceEndpointConfig',
        namespace: 'default',
        name: 'x',
      }),
    ).toBeUndefined();
  });

  it('serves a custom kind once its CRD is installed, even after listing it as empty', async () => {
    expect(await f.gateway.list('contract.example.com/v1', 'Widget')).toEqual([]);
    await f.seed([customResourceDefinition('contract.example.com', 'Widget', 'widgets')]);
    await f.seed([
      {
        apiVersion: 'contract.example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1', namespace: 'contract-a' },
        spec: { size: 3 },
      },
    ]);
    const widgets = await f.gateway.list('contract.example.com/v1', 'Widget');
    expect(widgets).toHaveLength(1);
    expect(widgets[0]).toMatchObject({
      apiVersion: 'contract.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'contract-a' },
      spec: { size: 3 },
    });
  });

  it('reports a refused token as Unauthenticated', async () => {
    const g = await f.unauthenticated();
    const e = await rejection(g.list('v1', 'ConfigMap', { namespace: 'contract-a' }));
    expect(e.kind).toBe('Unauthenticated');
    expect(e.service).toBe('kubernetes');
    expect(e.retryable).toBe(false);
    const w = await rejection(g.create(configMap('contract-a', 'never-written')));
    expect(w.kind).toBe('Unauthenticated');
  });
}
