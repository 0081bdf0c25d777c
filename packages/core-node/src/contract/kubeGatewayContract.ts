/**
 * What every KubeGateway must do, as jest blocks: run against InMemoryKubeGateway and against
 * ClientNodeKubeGateway on a sandbox cluster.
 */
import type { KubeGateway, KubeObject } from '@hyperpod/core';
import { rejection } from './eventually';

export interface KubeContractFixture {
  gateway: KubeGateway;
  /** The cluster's Kubernetes minor version, e.g. `1.31`. */
  kubernetesVersion: string;
  /** Creates objects (namespaces first when given). */
  seed(objects: KubeObject[]): Promise<void>;
  /** A gateway to the same cluster with a token the server refuses. */
  unauthenticated(): Promise<KubeGateway>;
  teardown(): Promise<void>;
}

const ns = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});
const configMap = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { 'config.yaml': `name: ${name}\n` },
});

export function kubeGatewayContract(name: string, setup: () => Promise<KubeContractFixture>): void {
  describe(`KubeGateway contract: ${name}`, () => {
    let f: KubeContractFixture;
    beforeAll(async () => {
      f = await setup();
      await f.seed([
        ns('contract-a'),
        ns('contract-b'),
        configMap('contract-a', 'operator-config', {
          'app.kubernetes.io/name': 'hyperpod-inference-operator',
          tier: 'control',
        }),
        configMap('contract-a', 'other-config', { 'app.kubernetes.io/name': 'other' }),
        configMap('contract-b', 'operator-config', {
          'app.kubernetes.io/name': 'hyperpod-inference-operator',
          tier: 'data',
        }),
        ...Array.from({ length: 7 }, (_, i) =>
          configMap('contract-b', `bulk-${i}`, { bulk: 'yes' }),
        ),
      ]);
    });
    afterAll(async () => {
      await f?.teardown();
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
      await f.seed([
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'widgets.contract.example.com' },
          spec: {
            group: 'contract.example.com',
            scope: 'Namespaced',
            names: {
              plural: 'widgets',
              singular: 'widget',
              kind: 'Widget',
              listKind: 'WidgetList',
            },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                schema: {
                  openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            ],
          },
        },
      ]);
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
    });
  });
}
