/**
 * What every KubeGateway must do, as jest blocks: run against InMemoryKubeGateway and against
 * ClientNodeKubeGateway on a sandbox cluster.
 */
import type { KubeGateway, KubeObject, KubeRef } from '@hyperpod/core';
import { eventually, rejection } from './eventually';

export interface KubeContractFixture {
  gateway: KubeGateway;
  /** The cluster's Kubernetes minor version, e.g. `1.31`. */
  kubernetesVersion: string;
  /** Creates objects (namespaces first when given). */
  seed(objects: KubeObject[]): Promise<void>;
  /** A gateway to the same cluster with a token the server refuses. */
  unauthenticated(): Promise<KubeGateway>;
  /** Takes a permission away from the gateway's user (RBAC would refuse it). */
  denyAccess(denial: { verb: string; group: string; resource: string; namespace?: string }): void;
  /** Gives back every permission denyAccess took. */
  clearAccessDenials(): void;
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

/** A leader-election Lease as client-go's LeaseLock writes it (MicroTime timestamps). */
const lease = (namespace: string, name: string, holder: string): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace },
  spec: {
    holderIdentity: holder,
    leaseDurationSeconds: 60,
    acquireTime: '2025-06-01T10:00:00.000000Z',
    renewTime: '2025-06-01T10:00:00.000000Z',
    leaseTransitions: 0,
  },
});
const refTo = (o: KubeObject): KubeRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace,
  name: o.metadata.name,
});
const W = 'contract-w';
const cmRef = (name: string): KubeRef => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: W,
  name,
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
      const w = await rejection(g.create(configMap('contract-a', 'never-written')));
      expect(w.kind).toBe('Unauthenticated');
    });

    describe('writes', () => {
      beforeAll(async () => {
        await f.seed([ns(W)]);
      });

      it('creates an object: the server assigns uid, resourceVersion and creationTimestamp and records the field manager', async () => {
        const created = await f.gateway.create(configMap(W, 'created', { tier: 'control' }));
        expect(created).toMatchObject({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'created', namespace: W, labels: { tier: 'control' } },
          data: { 'config.yaml': 'name: created\n' },
        });
        expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
        expect(created.metadata['creationTimestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(created.metadata['managedFields']).toEqual([
          expect.objectContaining({ manager: 'kubectl-hyperpod', operation: 'Update' }),
        ]);
        expect(await f.gateway.get(cmRef('created'))).toMatchObject({
          metadata: {
            uid: created.metadata.uid,
            resourceVersion: created.metadata.resourceVersion,
          },
          data: { 'config.yaml': 'name: created\n' },
        });
      });

      it('ignores server-assigned fields in what it is asked to create (an object copied from a read)', async () => {
        const copied = await f.gateway.create({
          ...configMap(W, 'copied'),
          metadata: {
            name: 'copied',
            namespace: W,
            uid: '0b5a3c1e-1111-4222-8333-444455556666',
            resourceVersion: '987654',
            creationTimestamp: '2001-01-01T00:00:00Z',
            generation: 7,
            managedFields: [
              {
                manager: 'someone-else',
                operation: 'Update',
                apiVersion: 'v1',
                time: '2001-01-01T00:00:00Z',
                fieldsType: 'FieldsV1',
                fieldsV1: { 'f:data': { 'f:config.yaml': {} } },
              },
            ],
          },
        });
        expect(copied.metadata.uid).not.toBe('0b5a3c1e-1111-4222-8333-444455556666');
        expect(copied.metadata.resourceVersion).not.toBe('987654');
        expect(copied.metadata['creationTimestamp']).not.toBe('2001-01-01T00:00:00Z');
        expect(copied.metadata['generation']).not.toBe(7);
        const managers = (copied.metadata['managedFields'] as { manager: string }[]).map(
          (m) => m.manager,
        );
        expect(managers).toEqual(['kubectl-hyperpod']);
      });

      it('refuses to create an object that exists: Conflict with code AlreadyExists', async () => {
        await f.gateway.create(configMap(W, 'twice'));
        const e = await rejection(f.gateway.create(configMap(W, 'twice')));
        expect(e).toMatchObject({
          kind: 'Conflict',
          code: 'AlreadyExists',
          statusCode: 409,
          service: 'kubernetes',
          retryable: false,
        });
        expect(e.message).toContain('configmaps "twice" already exists');
      });

      it('refuses to create in a namespace that does not exist (NotFound)', async () => {
        const e = await rejection(f.gateway.create(configMap('contract-nowhere', 'x')));
        expect(e).toMatchObject({ kind: 'NotFound', statusCode: 404 });
        expect(e.message).toContain('namespaces "contract-nowhere" not found');
      });

      it('refuses a namespaced kind without a namespace (InvalidParameter)', async () => {
        const { namespace: _n, ...metadata } = configMap(W, 'nowhere').metadata;
        const e = await rejection(
          f.gateway.create({ ...configMap(W, 'nowhere'), metadata: { ...metadata } }),
        );
        expect(e.kind).toBe('InvalidParameter');
        expect(await f.gateway.get(cmRef('nowhere'))).toBeUndefined();
        const d = await rejection(
          f.gateway.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'nowhere' }),
        );
        expect(d.kind).toBe('InvalidParameter');
      });

      it('creates with generateName: the server picks the name', async () => {
        const { name: _n, ...metadata } = configMap(W, 'x').metadata;
        const created = await f.gateway.create({
          ...configMap(W, 'x'),
          metadata: { ...metadata, name: '', generateName: 'hyperpod-backup-' },
        });
        expect(created.metadata.name).toMatch(/^hyperpod-backup-[a-z0-9]{5}$/);
        expect(await f.gateway.get(cmRef(created.metadata.name))).toMatchObject({
          metadata: { uid: created.metadata.uid },
        });
      });

      it('a dry-run create answers with the object and stores nothing', async () => {
        const dry = await f.gateway.create(configMap(W, 'dry-created'), { dryRun: true });
        expect(dry).toMatchObject({ metadata: { name: 'dry-created', namespace: W } });
        expect(await f.gateway.get(cmRef('dry-created'))).toBeUndefined();
        expect(
          (await f.gateway.list('v1', 'ConfigMap', { namespace: W })).map((o) => o.metadata.name),
        ).not.toContain('dry-created');
      });

      it('creates a custom resource only once its CRD exists', async () => {
        const gadget: KubeObject = {
          apiVersion: 'gadgets.contract.example.com/v1',
          kind: 'Gadget',
          metadata: { name: 'g1', namespace: W },
          spec: { parts: ['a', 'b'] },
        };
        const before = await rejection(f.gateway.create(gadget));
        expect(before).toMatchObject({ kind: 'NotFound', statusCode: 404 });
        await f.gateway.create({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'gadgets.gadgets.contract.example.com' },
          spec: {
            group: 'gadgets.contract.example.com',
            scope: 'Namespaced',
            names: {
              plural: 'gadgets',
              singular: 'gadget',
              kind: 'Gadget',
              listKind: 'GadgetList',
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
        });
        // A real API server takes a moment to establish the new CRD.
        const created = await eventually(() => f.gateway.create(gadget), {
          what: 'the Gadget CRD to be served',
        });
        expect(created).toMatchObject({ kind: 'Gadget', spec: { parts: ['a', 'b'] } });
        expect(await f.gateway.get(refTo(gadget))).toMatchObject({ spec: { parts: ['a', 'b'] } });
      });

      it('replaces an object at the resourceVersion it read; every write bumps the resourceVersion', async () => {
        const created = await f.gateway.create(configMap(W, 'replaced'));
        const replaced = await f.gateway.replace({
          ...created,
          data: { 'config.yaml': 'name: replaced\nreplicas: 2\n' },
        });
        expect(replaced.data).toEqual({ 'config.yaml': 'name: replaced\nreplicas: 2\n' });
        expect(replaced.metadata.uid).toBe(created.metadata.uid);
        expect(replaced.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
        const patched = await f.gateway.patch(cmRef('replaced'), { data: { extra: 'yes' } });
        expect(patched.metadata.resourceVersion).not.toBe(replaced.metadata.resourceVersion);
        expect(await f.gateway.get(cmRef('replaced'))).toMatchObject({
          metadata: { resourceVersion: patched.metadata.resourceVersion },
          data: { 'config.yaml': 'name: replaced\nreplicas: 2\n', extra: 'yes' },
        });
      });

      it('refuses a replace with a stale resourceVersion: Conflict, nothing written', async () => {
        const created = await f.gateway.create(configMap(W, 'stale'));
        await f.gateway.patch(cmRef('stale'), { data: { 'config.yaml': 'newer\n' } });
        const e = await rejection(
          f.gateway.replace({ ...created, data: { 'config.yaml': 'older\n' } }),
        );
        expect(e).toMatchObject({ kind: 'Conflict', code: 'Conflict', statusCode: 409 });
        expect(e.message).toContain('the object has been modified');
        expect((await f.gateway.get(cmRef('stale')))?.data).toEqual({ 'config.yaml': 'newer\n' });
      });

      it('replaces the current version when no resourceVersion is given', async () => {
        await f.gateway.create(configMap(W, 'unversioned'));
        await f.gateway.patch(cmRef('unversioned'), { data: { 'config.yaml': 'changed\n' } });
        const replaced = await f.gateway.replace({
          ...configMap(W, 'unversioned'),
          data: { 'config.yaml': 'replaced\n' },
        });
        expect(replaced.data).toEqual({ 'config.yaml': 'replaced\n' });
        expect((await f.gateway.get(cmRef('unversioned')))?.data).toEqual({
          'config.yaml': 'replaced\n',
        });
      });

      it('refuses to replace an object that does not exist (NotFound), with or without a resourceVersion', async () => {
        const missing = configMap(W, 'never-created');
        expect(await rejection(f.gateway.replace(missing))).toMatchObject({
          kind: 'NotFound',
          statusCode: 404,
        });
        const versioned = { ...missing, metadata: { ...missing.metadata, resourceVersion: '1' } };
        expect(await rejection(f.gateway.replace(versioned))).toMatchObject({ kind: 'NotFound' });
        expect(await f.gateway.get(cmRef('never-created'))).toBeUndefined();
      });

      it('a dry-run replace answers with the new object and stores nothing', async () => {
        const created = await f.gateway.create(configMap(W, 'dry-replaced'));
        const dry = await f.gateway.replace(
          { ...created, data: { 'config.yaml': 'dry\n' } },
          { dryRun: true },
        );
        expect(dry.data).toEqual({ 'config.yaml': 'dry\n' });
        const after = await f.gateway.get(cmRef('dry-replaced'));
        expect(after?.data).toEqual(created.data);
        expect(after?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      });

      it('merge-patches (RFC 7386): null deletes a key, objects merge, arrays are replaced whole', async () => {
        await f.gateway.create({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: 'patched',
            namespace: W,
            labels: { keep: 'yes', drop: 'yes' },
            annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/old' },
          },
          imagePullSecrets: [{ name: 'ecr-a' }, { name: 'ecr-b' }],
        });
        const patched = await f.gateway.patch(
          { apiVersion: 'v1', kind: 'ServiceAccount', namespace: W, name: 'patched' },
          {
            metadata: {
              labels: { drop: null, added: 'yes' },
              annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/new' },
            },
            imagePullSecrets: [{ name: 'ecr-c' }],
          },
          { fieldManager: 'contract-test' },
        );
        expect(patched.metadata.labels).toEqual({ keep: 'yes', added: 'yes' });
        expect(patched.metadata.annotations).toEqual({
          'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/new',
        });
        expect(patched['imagePullSecrets']).toEqual([{ name: 'ecr-c' }]);
        expect(
          (patched.metadata['managedFields'] as { manager: string }[]).map((m) => m.manager),
        ).toContain('contract-test');
        const stored = await f.gateway.get({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          namespace: W,
          name: 'patched',
        });
        expect(stored?.metadata.labels).toEqual({ keep: 'yes', added: 'yes' });
        expect(stored?.['imagePullSecrets']).toEqual([{ name: 'ecr-c' }]);
      });

      it('refuses to patch an object that does not exist (NotFound); a dry-run patch stores nothing', async () => {
        expect(
          await rejection(f.gateway.patch(cmRef('never-created'), { data: { a: 'b' } })),
        ).toMatchObject({ kind: 'NotFound', statusCode: 404 });
        const created = await f.gateway.create(configMap(W, 'dry-patched'));
        const dry = await f.gateway.patch(
          cmRef('dry-patched'),
          { data: { 'config.yaml': null, other: 'x' } },
          { dryRun: true },
        );
        expect(dry.data).toEqual({ other: 'x' });
        const after = await f.gateway.get(cmRef('dry-patched'));
        expect(after?.data).toEqual(created.data);
        expect(after?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      });

      it('deletes: true when it was there, false when it was not (or its kind is not served)', async () => {
        await f.gateway.create(configMap(W, 'deleted'));
        expect(await f.gateway.delete(cmRef('deleted'), { dryRun: true })).toBe(true);
        expect(await f.gateway.get(cmRef('deleted'))).toBeDefined();
        expect(await f.gateway.delete(cmRef('deleted'), { propagationPolicy: 'Foreground' })).toBe(
          true,
        );
        await eventually(async () =>
          (await f.gateway.get(cmRef('deleted'))) === undefined ? true : undefined,
        );
        expect(await f.gateway.delete(cmRef('deleted'))).toBe(false);
        expect(
          await f.gateway.delete({
            apiVersion: 'nothing.contract.example.com/v1',
            kind: 'Nothing',
            namespace: W,
            name: 'x',
          }),
        ).toBe(false);
      });

      it('takes a Lease through create, replace (renew), get and delete, refusing a stale renewal', async () => {
        const acquired = await f.gateway.create(lease(W, 'hyperpod-migration', 'runner-a'));
        expect(acquired.spec).toMatchObject({
          holderIdentity: 'runner-a',
          leaseDurationSeconds: 60,
        });
        const renewed = await f.gateway.replace({
          ...acquired,
          spec: { ...(acquired.spec as object), renewTime: '2025-06-01T10:00:30.000000Z' },
        });
        expect(renewed.spec).toMatchObject({ renewTime: '2025-06-01T10:00:30.000000Z' });
        expect(renewed.metadata.resourceVersion).not.toBe(acquired.metadata.resourceVersion);
        // Another runner that read the Lease before the renewal loses.
        const e = await rejection(
          f.gateway.replace({
            ...acquired,
            spec: { ...(acquired.spec as object), holderIdentity: 'runner-b' },
          }),
        );
        expect(e).toMatchObject({ kind: 'Conflict', code: 'Conflict' });
        // Without a resourceVersion, the current one is replaced (a Lease refuses a bare PUT).
        const taken = await f.gateway.replace({
          ...lease(W, 'hyperpod-migration', 'runner-b'),
        });
        expect(taken.spec).toMatchObject({ holderIdentity: 'runner-b' });
        expect(await f.gateway.get(refTo(acquired))).toMatchObject({
          metadata: { uid: acquired.metadata.uid },
          spec: { holderIdentity: 'runner-b' },
        });
        expect(await f.gateway.delete(refTo(acquired))).toBe(true);
        expect(await f.gateway.get(refTo(acquired))).toBeUndefined();
        // Released: renewing must not bring it back.
        expect(
          await rejection(f.gateway.replace(lease(W, 'hyperpod-migration', 'runner-b'))),
        ).toMatchObject({ kind: 'NotFound' });
        expect(await f.gateway.get(refTo(acquired))).toBeUndefined();
      });

      it('answers canI true for what the caller may do', async () => {
        expect(
          await f.gateway.canI({
            verb: 'create',
            group: 'coordination.k8s.io',
            resource: 'leases',
            namespace: W,
          }),
        ).toMatchObject({ allowed: true });
        expect(
          await f.gateway.canI({
            verb: 'list',
            group: 'apiextensions.k8s.io',
            resource: 'customresourcedefinitions',
          }),
        ).toMatchObject({ allowed: true });
      });

      it('answers canI false for what RBAC denies, and refuses the call itself as AccessDenied', async () => {
        f.denyAccess({ verb: 'create', group: '', resource: 'configmaps', namespace: W });
        try {
          expect(
            await f.gateway.canI({
              verb: 'create',
              group: '',
              resource: 'configmaps',
              namespace: W,
            }),
          ).toMatchObject({ allowed: false });
          expect(
            await f.gateway.canI({
              verb: 'create',
              group: '',
              resource: 'configmaps',
              namespace: 'contract-a',
            }),
          ).toMatchObject({ allowed: true });
          expect(
            await f.gateway.canI({
              verb: 'delete',
              group: '',
              resource: 'configmaps',
              namespace: W,
            }),
          ).toMatchObject({ allowed: true });
          const e = await rejection(f.gateway.create(configMap(W, 'forbidden')));
          expect(e).toMatchObject({
            kind: 'AccessDenied',
            code: 'Forbidden',
            statusCode: 403,
            retryable: false,
          });
          expect(e.message).toContain('cannot create resource "configmaps"');
        } finally {
          f.clearAccessDenials();
        }
        expect(await f.gateway.get(cmRef('forbidden'))).toBeUndefined();
      });
    });
  });
}
