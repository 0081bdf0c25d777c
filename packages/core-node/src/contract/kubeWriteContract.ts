/** The KubeGateway contract: create, replace, merge-patch and delete as kube-apiserver does them, and a Lease through its life. */
import { refOf, type KubeObject } from '@hyperpod/core';
import { eventually, rejection } from './eventually';
import {
  cmRef,
  configMap,
  customResourceDefinition,
  lease,
  W,
  type KubeContractFixture,
} from './kubeContractFixture';

/** Registers its tests in the caller's describe block; `fixture` is the suite's, once set up. */
export function kubeWriteContract(fixture: () => KubeContractFixture): void {
  let f: KubeContractFixture;
  beforeAll(() => {
    f = fixture();
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
    await f.gateway.create(
      customResourceDefinition('gadgets.contract.example.com', 'Gadget', 'gadgets'),
    );
    // A real API server takes a moment to establish the new CRD.
    const created = await eventually(() => f.gateway.create(gadget), {
      what: 'the Gadget CRD to be served',
    });
    expect(created).toMatchObject({ kind: 'Gadget', spec: { parts: ['a', 'b'] } });
    expect(await f.gateway.get(refOf(gadget))).toMatchObject({ spec: { parts: ['a', 'b'] } });
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
    expect(await f.gateway.get(refOf(acquired))).toMatchObject({
      metadata: { uid: acquired.metadata.uid },
      spec: { holderIdentity: 'runner-b' },
    });
    expect(await f.gateway.delete(refOf(acquired))).toBe(true);
    expect(await f.gateway.get(refOf(acquired))).toBeUndefined();
    // Released: renewing must not bring it back.
    expect(
      await rejection(f.gateway.replace(lease(W, 'hyperpod-migration', 'runner-b'))),
    ).toMatchObject({ kind: 'NotFound' });
    expect(await f.gateway.get(refOf(acquired))).toBeUndefined();
  });
}
