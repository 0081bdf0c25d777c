import { KubeCluster } from './KubeCluster';
import { KubeStatusError } from './KubeStatusError';
import { hyperpodInferenceCrds } from './hyperpodCrds';
import { normalizeForCompare } from './normalizeForCompare';
import { cluster, deployment, NS, ref, statusError } from './testing/kubeClusterFixtures';
import type { KubeObject } from './types';

describe('KubeCluster store semantics', () => {
  it('assigns uid, creationTimestamp, generation and a cluster-wide resourceVersion on create', () => {
    const c = cluster();
    const before = c.resourceVersion;
    const d = c.create(deployment(2), 'helm');
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(d.metadata.generation).toBe(1);
    expect(Number(d.metadata.resourceVersion)).toBe(before + 1);
    expect(d.metadata.managedFields?.[0]).toMatchObject({
      manager: 'helm',
      operation: 'Update',
      apiVersion: 'apps/v1',
    });
  });

  it('keeps deployment status in step with spec.replicas, including scaled to 0', () => {
    const c = cluster();
    c.create(deployment(3));
    expect(c.get(ref)?.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: 1,
    });
    c.patch(ref, 'merge', { spec: { replicas: 0 } });
    const scaled = c.get(ref)!;
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.status).not.toHaveProperty('replicas');
    expect(scaled.status).not.toHaveProperty('readyReplicas');
    expect(scaled.status).toMatchObject({ observedGeneration: 2 });
  });

  it('bumps generation on spec changes only', () => {
    const c = cluster();
    c.create(deployment());
    c.patch(ref, 'merge', { metadata: { labels: { team: 'ml' } } });
    expect(c.get(ref)?.metadata.generation).toBe(1);
    c.patch(ref, 'merge', { spec: { replicas: 2 } });
    expect(c.get(ref)?.metadata.generation).toBe(2);
  });

  it('answers a stale resourceVersion on update with 409 Conflict in apiserver wording', () => {
    const c = cluster();
    const d = c.create(deployment());
    c.patch(ref, 'merge', { spec: { replicas: 2 } });
    const err = statusError(() => c.update({ ...d, spec: { ...(d.spec as object), replicas: 5 } }));
    expect(err.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on deployments.apps "hyperpod-inference-operator-controller-manager": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: {
        name: 'hyperpod-inference-operator-controller-manager',
        group: 'apps',
        kind: 'deployments',
      },
      code: 409,
    });
  });

  it('refuses duplicates (AlreadyExists) and creates in missing namespaces (namespaces "x" not found)', () => {
    const c = cluster();
    c.create(deployment());
    expect(statusError(() => c.create(deployment())).toStatus()).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'deployments.apps "hyperpod-inference-operator-controller-manager" already exists',
    });
    const orphan = { ...deployment(), metadata: { ...deployment().metadata, namespace: 'nope' } };
    expect(statusError(() => c.create(orphan)).toStatus()).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nope" not found',
      details: { name: 'nope', kind: 'namespaces' },
    });
  });

  it('validates RBAC names as path segments (system:metrics-server), other names as DNS subdomains', () => {
    const c = new KubeCluster({ name: 't', version: '1.31' });
    const rbac = (kind: string, name: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name },
      ...(kind === 'ClusterRole'
        ? { rules: [] }
        : { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'x' } }),
    });
    expect(c.create(rbac('ClusterRole', 'system:metrics-server')).metadata.name).toBe(
      'system:metrics-server',
    );
    expect(
      c.create(rbac('ClusterRoleBinding', 'metrics-server:system:auth-delegator')).metadata.name,
    ).toBe('metrics-server:system:auth-delegator');
    for (const bad of ['a/b', 'a%b', '..'])
      expect(() => c.create(rbac('ClusterRole', bad))).toThrow(KubeStatusError);
    expect(() =>
      c.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a:b', namespace: 'default' },
      }),
    ).toThrow(/RFC 1123 subdomain/);
  });

  it("fills in each workload's update strategy as kube-apiserver's defaulting does", () => {
    const c = cluster();
    const template = {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'x', image: 'x:1' }] },
    };
    const workload = (kind: string, name: string, spec: Record<string, unknown> = {}) =>
      c.create({
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, namespace: NS },
        spec: { selector: { matchLabels: { app: 'x' } }, template, ...spec },
      }).spec as Record<string, unknown>;
    expect(workload('Deployment', 'd').strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(workload('DaemonSet', 'ds').updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    expect(workload('StatefulSet', 'ss').updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { partition: 0 },
    });
    // Set fields stay; another strategy type gets no rollingUpdate.
    expect(
      workload('Deployment', 'd2', { strategy: { rollingUpdate: { maxSurge: 1 } } }).strategy,
    ).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } });
    expect(
      workload('StatefulSet', 'ss2', { updateStrategy: { type: 'OnDelete' } }).updateStrategy,
    ).toEqual({ type: 'OnDelete' });
  });

  it('deleting a namespace deletes the objects in it', () => {
    const c = cluster();
    c.create(deployment());
    c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: NS },
      data: { a: 'b' },
    });
    expect(c.delete({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBe(true);
    expect(c.get(ref)).toBeUndefined();
    expect(c.list('v1', 'ConfigMap', NS)).toEqual([]);
    expect(c.delete({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBe(false);
  });

  it('lists with label selectors of every operator kind', () => {
    const c = cluster();
    const cm = (name: string, labels: Record<string, string>) =>
      c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, labels } });
    cm('a', { app: 'x', tier: 'web' });
    cm('b', { app: 'y', tier: 'db' });
    cm('c', { app: 'z' });
    const names = (sel: string) => c.list('v1', 'ConfigMap', NS, sel).map((o) => o.metadata.name);
    expect(names('app=x')).toEqual(['a']);
    expect(names('app==y')).toEqual(['b']);
    expect(names('app!=x')).toEqual(['b', 'c']);
    expect(names('app in (x,z)')).toEqual(['a', 'c']);
    expect(names('app notin (x,z)')).toEqual(['b']);
    expect(names('tier')).toEqual(['a', 'b']);
    expect(names('!tier')).toEqual(['c']);
    expect(names('app in (x,y),tier!=db')).toEqual(['a']);
    expect(statusError(() => names('app in (x')).code).toBe(400);
  });

  it('pages lists with limit and continue, reporting remainingItemCount', () => {
    const c = cluster();
    for (let i = 0; i < 5; i++)
      c.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: NS },
      });
    const rt = c.resolve('', 'v1', 'configmaps')!;
    const p1 = c.listIn(rt, NS, { limit: 2 });
    expect(p1.items.map((o) => o.metadata.name)).toEqual(['cm-0', 'cm-1']);
    expect(p1.remainingItemCount).toBe(3);
    const p2 = c.listIn(rt, NS, { limit: 2, continue: p1.continue });
    expect(p2.items.map((o) => o.metadata.name)).toEqual(['cm-2', 'cm-3']);
    const p3 = c.listIn(rt, NS, { limit: 2, continue: p2.continue });
    expect(p3.items.map((o) => o.metadata.name)).toEqual(['cm-4']);
    expect(p3.continue).toBeUndefined();
    expect(statusError(() => c.listIn(rt, NS, { continue: 'garbage!' })).code).toBe(400);
  });
});

describe('KubeCluster patches', () => {
  it('strategic merge patch merges containers by name and honours $patch: delete', () => {
    const c = cluster();
    c.create(deployment());
    c.patch(ref, 'strategic', {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'sidecar', image: 'busybox' },
              { name: 'manager', image: 'op:v3.3' },
            ],
          },
        },
      },
    });
    let containers = (c.get(ref) as any).spec.template.spec.containers; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(containers.map((x: { name: string; image: string }) => `${x.name}=${x.image}`)).toEqual([
      'manager=op:v3.3',
      'sidecar=busybox',
    ]);
    expect(containers[0].args).toEqual(['--leader-elect']);
    c.patch(ref, 'strategic', {
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    });
    containers = (c.get(ref) as any).spec.template.spec.containers; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(containers.map((x: { name: string }) => x.name)).toEqual(['manager']);
  });

  it('merge patch replaces lists and deletes keys set to null', () => {
    const c = cluster();
    c.create(deployment());
    c.patch(ref, 'merge', {
      metadata: { labels: { 'app.kubernetes.io/name': null, team: 'ml' } },
      spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }] } } },
    });
    const d = c.get(ref) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.metadata.labels).toEqual({ team: 'ml' });
    // The list is replaced; the container then gets kube-apiserver's defaults.
    expect(d.spec.template.spec.containers).toEqual([
      {
        name: 'only',
        image: 'x',
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ]);
  });

  it('json patch applies ops and a failed test op is a 422 that changes nothing', () => {
    const c = cluster();
    c.create(deployment(1));
    c.patch(ref, 'json', [{ op: 'replace', path: '/spec/replicas', value: 4 }]);
    expect((c.get(ref)!.spec as { replicas: number }).replicas).toBe(4);
    const rv = c.get(ref)!.metadata.resourceVersion;
    const err = statusError(() =>
      c.patch(ref, 'json', [
        { op: 'test', path: '/spec/replicas', value: 9 },
        { op: 'replace', path: '/spec/replicas', value: 0 },
      ]),
    );
    expect(err.code).toBe(422);
    expect(err.details?.causes?.[0]?.message).toContain('/spec/replicas');
    expect(c.get(ref)!.metadata.resourceVersion).toBe(rv);
  });
});

describe('KubeCluster CRDs and snapshots', () => {
  it('creating a CRD makes its resource servable and deleting it removes the resource and its objects', () => {
    const c = cluster();
    for (const crd of hyperpodInferenceCrds()) c.create(crd, 'helm');
    const rt = c.resolve('inference.sagemaker.aws.amazon.com', 'v1', 'jumpstartmodels');
    expect(rt).toMatchObject({
      kind: 'JumpStartModel',
      namespaced: true,
      subresources: ['scale', 'status'],
    });
    expect(rt?.shortNames).toBeUndefined();
    c.create({
      apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
      kind: 'JumpStartModel',
      metadata: { name: 'llama', namespace: NS },
      spec: {
        model: { modelId: 'meta-llama', acceptEula: true },
        server: { instanceType: 'ml.g5.8xlarge' },
      },
    });
    expect(c.list('inference.sagemaker.aws.amazon.com/v1', 'JumpStartModel', NS)).toHaveLength(1);
    const crd = c.get({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'jumpstartmodels.inference.sagemaker.aws.amazon.com',
    })!;
    expect(crd.status).toMatchObject({
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Established', status: 'True' }),
      ]),
    });
    c.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: crd.metadata.name,
    });
    expect(
      c.resolve('inference.sagemaker.aws.amazon.com', 'v1', 'jumpstartmodels'),
    ).toBeUndefined();
    expect(c.all().filter((o) => o.kind === 'JumpStartModel')).toEqual([]);
  });

  it('merge-patches custom resources', () => {
    const c = cluster();
    for (const crd of hyperpodInferenceCrds()) c.create(crd);
    const jsm = {
      apiVersion: 'inference.sagemaker.aws.amazon.com/v1',
      kind: 'JumpStartModel',
      metadata: { name: 'm', namespace: NS },
      spec: {
        model: { modelId: 'x', acceptEula: true },
        server: { instanceType: 'ml.g5.xlarge' },
        replicas: 1,
      },
    };
    c.create(jsm);
    c.patch({ ...jsm, name: 'm', namespace: NS }, 'merge', { spec: { replicas: 2 } });
    expect(
      (c.get({ ...jsm, name: 'm', namespace: NS })!.spec as { replicas: number }).replicas,
    ).toBe(2);
  });

  it('all() returns every object once and normalizeForCompare strips server-assigned fields', () => {
    const a = cluster();
    const b = cluster();
    a.create(deployment(2), 'helm');
    b.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: NS } });
    b.create(deployment(2), 'helm');
    b.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: NS });
    const norm = (c: KubeCluster) => c.all().map(normalizeForCompare);
    expect(
      a
        .all()
        .filter((o) => o.kind === 'Namespace')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['default', NS, 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(norm(a)).toEqual(norm(b));
    expect(a.get(ref)!.metadata.uid).not.toEqual(b.get(ref)!.metadata.uid);
  });
});
