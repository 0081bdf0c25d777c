/**
 * What only the fake offers tests (the shared behaviour is in core-node's KubeGateway contract):
 * the record of mutating calls, scripted faults on writes, denied permissions, and the cascades
 * of deleting a namespace or a CRD.
 */
import type { KubeObject, KubeRef } from '../ports/KubeGateway';
import { InMemoryKubeGateway } from './InMemoryKubeGateway';
import { gatewayFailure } from './gatewayFailure';

const NS = 'hyperpod-inference-system';

const lease = (holder: string): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'hyperpod-migration', namespace: NS },
  spec: {
    holderIdentity: holder,
    leaseDurationSeconds: 60,
    renewTime: '2025-06-01T10:00:00.000000Z',
  },
});
const leaseRef: KubeRef = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: NS,
  name: 'hyperpod-migration',
};
const namespace = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});
const jumpStartCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'jumpstartmodels.inference.sagemaker.aws.amazon.com' },
  spec: {
    group: 'inference.sagemaker.aws.amazon.com',
    scope: 'Namespaced',
    names: { plural: 'jumpstartmodels', singular: 'jumpstartmodel', kind: 'JumpStartModel' },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
};
const model: KubeObject = {
  apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
  kind: 'JumpStartModel',
  metadata: { name: 'llama', namespace: NS },
  spec: { replicas: 1 },
};

describe('InMemoryKubeGateway for tests', () => {
  it('records every mutating call, failed and dry-run ones too, and no read, review or seeding', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS)] });
    kube.put(lease('seeded'));
    kube.remove(leaseRef);
    await kube.get(leaseRef);
    await kube.list('coordination.k8s.io/v1', 'Lease');
    await kube.canI({ verb: 'create', group: 'coordination.k8s.io', resource: 'leases' });
    expect(kube.writes).toEqual([]);

    await kube.create(lease('a'), { dryRun: true });
    await kube.create(lease('a'));
    await gatewayFailure(kube.create(lease('b')));
    await kube.patch(leaseRef, { spec: { holderIdentity: 'b' } });
    await kube.replace(lease('c'));
    await kube.delete(leaseRef);
    expect(kube.writes).toEqual([
      { op: 'create', ref: leaseRef, dryRun: true },
      { op: 'create', ref: leaseRef, dryRun: false },
      { op: 'create', ref: leaseRef, dryRun: false },
      { op: 'patch', ref: leaseRef, dryRun: false },
      { op: 'replace', ref: leaseRef, dryRun: false },
      { op: 'delete', ref: leaseRef, dryRun: false },
    ]);
  });

  it('fails writes with scripted faults, per operation, as the adapter would report them', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS)] });
    kube.faults.fail({ kind: 'Throttled', operation: 'create lease', times: 1 });
    kube.faults.fail({ kind: 'Unavailable', operation: 'delete lease' });
    kube.faults.fail({ kind: 'Timeout', operation: 'create selfsubjectaccessreview', times: 1 });
    const throttled = await gatewayFailure(kube.create(lease('a')));
    expect(throttled).toMatchObject({
      kind: 'Throttled',
      service: 'kubernetes',
      operation: 'create lease',
    });
    expect(throttled.retryable).toBe(true);
    expect(await kube.get(leaseRef)).toBeUndefined();
    await kube.create(lease('a'));
    expect((await gatewayFailure(kube.delete(leaseRef))).kind).toBe('Unavailable');
    expect(await kube.get(leaseRef)).toBeDefined();
    expect(
      (await gatewayFailure(kube.canI({ verb: 'get', group: '', resource: 'pods' }))).kind,
    ).toBe('Timeout');
    expect(kube.faults.callCount('create lease')).toBe(2);
  });

  it('denies what a test takes away, in canI and in the calls themselves, until cleared', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS), namespace('other')] });
    kube.denyAccess({
      verb: 'create',
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: NS,
    });
    kube.denyAccess({ verb: '*', group: '', resource: 'secrets' });
    kube.denyAccess({ verb: 'update', group: 'apps', resource: 'deployments/scale' });
    const can = async (q: Parameters<InMemoryKubeGateway['canI']>[0]) =>
      (await kube.canI(q)).allowed;
    const leases = { group: 'coordination.k8s.io', resource: 'leases' };
    const deployments = { group: 'apps', resource: 'deployments' };
    expect(await can({ verb: 'create', ...leases, namespace: NS })).toBe(false);
    expect(await can({ verb: 'create', ...leases, namespace: 'other' })).toBe(true);
    // Across all namespaces includes the denied one.
    expect(await can({ verb: 'create', ...leases })).toBe(false);
    expect(await can({ verb: 'get', ...leases, namespace: NS })).toBe(true);
    expect(
      await can({ verb: 'get', group: '', resource: 'secrets', namespace: 'kube-system' }),
    ).toBe(false);
    expect(await can({ verb: 'update', ...deployments, subresource: 'scale', namespace: NS })).toBe(
      false,
    );
    expect(await can({ verb: 'update', ...deployments, namespace: NS })).toBe(true);

    const denied = await gatewayFailure(kube.create(lease('a')));
    expect(denied).toMatchObject({
      kind: 'AccessDenied',
      code: 'Forbidden',
      statusCode: 403,
      operation: 'create lease',
    });
    expect(denied.message).toContain(
      `leases.coordination.k8s.io "hyperpod-migration" is forbidden: User "in-memory" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "${NS}"`,
    );
    expect(await kube.get(leaseRef)).toBeUndefined();
    expect((await gatewayFailure(kube.list('v1', 'Secret'))).kind).toBe('AccessDenied');
    expect(
      (
        await gatewayFailure(
          kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'x' }),
        )
      ).kind,
    ).toBe('AccessDenied');

    kube.clearAccessDenials();
    expect(await can({ verb: 'create', ...leases, namespace: NS })).toBe(true);
    await kube.create(lease('a'));
    expect(await kube.list('v1', 'Secret')).toEqual([]);
  });

  it('deleting a namespace deletes the objects in it; other namespaces keep theirs', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS), namespace('other')] });
    await kube.create(lease('a'));
    await kube.create({ ...lease('b'), metadata: { name: 'kept', namespace: 'other' } });
    expect(await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBe(true);
    expect(await kube.get(leaseRef)).toBeUndefined();
    expect(
      (await kube.list('coordination.k8s.io/v1', 'Lease')).map((o) => o.metadata.name),
    ).toEqual(['kept']);
    expect((await gatewayFailure(kube.create(lease('c')))).kind).toBe('NotFound');
  });

  it('serves a custom kind from the CRD created through it, and stops serving it (and its objects) when the CRD is deleted', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS)] });
    expect((await gatewayFailure(kube.create(model))).kind).toBe('NotFound');
    await kube.create(jumpStartCrd);
    const created = await kube.create(model);
    expect(created.metadata.uid).toBeDefined();
    kube.denyAccess({
      verb: 'get',
      group: 'inference.sagemaker.aws.amazon.com',
      resource: 'jumpstartmodels',
    });
    // The CRD's plural names the resource for RBAC.
    expect(
      (
        await gatewayFailure(
          kube.get({
            apiVersion: model.apiVersion,
            kind: model.kind,
            namespace: NS,
            name: 'llama',
          }),
        )
      ).message,
    ).toContain('jumpstartmodels.inference.sagemaker.aws.amazon.com "llama" is forbidden');
    kube.clearAccessDenials();
    const crdRef = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: jumpStartCrd.metadata.name,
    };
    expect(await kube.delete(crdRef)).toBe(true);
    expect(await kube.list(model.apiVersion, model.kind)).toEqual([]);
    expect((await gatewayFailure(kube.create(model))).kind).toBe('NotFound');
    await kube.create(jumpStartCrd);
    // Objects of a deleted CRD do not come back with it.
    expect(await kube.list(model.apiVersion, model.kind)).toEqual([]);
  });

  it('a write that changes nothing keeps the resourceVersion; a cluster-scoped object drops a namespace', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS)] });
    const created = await kube.create(lease('a'));
    const same = await kube.replace(created);
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const samePatch = await kube.patch(leaseRef, { spec: { holderIdentity: 'a' } });
    expect(samePatch.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const ns = await kube.create({
      ...namespace('scoped'),
      metadata: { name: 'scoped', namespace: NS },
    });
    expect(ns.metadata.namespace).toBeUndefined();
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'scoped' })).toBeDefined();
  });

  it('merge-patches nested objects key by key and treats a resourceVersion in the patch as a precondition', async () => {
    const kube = new InMemoryKubeGateway({ objects: [namespace(NS)] });
    const created = await kube.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'op', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'op' } },
        template: {
          metadata: { labels: { app: 'op' }, annotations: { a: '1', b: '2' } },
          spec: {
            containers: [
              { name: 'manager', image: 'op:v1' },
              { name: 'proxy', image: 'p' },
            ],
          },
        },
      },
    });
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'op' };
    const patched = await kube.patch(ref, {
      spec: {
        replicas: 2,
        template: {
          metadata: { annotations: { a: null, c: '3' } },
          spec: { containers: [{ name: 'manager', image: 'op:v2' }] },
        },
      },
    });
    expect(patched.spec).toEqual({
      replicas: 2,
      selector: { matchLabels: { app: 'op' } },
      template: {
        metadata: { labels: { app: 'op' }, annotations: { b: '2', c: '3' } },
        spec: { containers: [{ name: 'manager', image: 'op:v2' }] },
      },
    });
    const stale = await gatewayFailure(
      kube.patch(ref, {
        metadata: { resourceVersion: created.metadata.resourceVersion },
        spec: { replicas: 5 },
      }),
    );
    expect(stale).toMatchObject({ kind: 'Conflict', code: 'Conflict' });
    expect(((await kube.get(ref))?.spec as { replicas: number }).replicas).toBe(2);
  });
});
