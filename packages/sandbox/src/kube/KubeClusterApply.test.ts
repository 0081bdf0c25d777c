import { fieldSetOf, toFieldsV1 } from './managedFields';
import { BUILTIN_TYPES } from './ResourceTypes';
import { cluster, deployment, NS, ref, statusError } from './testing/kubeClusterFixtures';
import { ApplyConflictError, type KubeObject } from './types';

describe('KubeCluster server-side apply', () => {
  it('records fieldsV1 in f:/k: notation with keyed containers and ports', () => {
    const rt = BUILTIN_TYPES.find((t) => t.kind === 'Deployment')!;
    const f = toFieldsV1(fieldSetOf(rt, deployment()));
    expect(f).toMatchObject({
      'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"manager"}': {
                '.': {},
                'f:image': {},
                'f:ports': {
                  'k:{"containerPort":8081,"protocol":"TCP"}': {
                    '.': {},
                    'f:containerPort': {},
                    'f:name': {},
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(f['f:metadata']).not.toHaveProperty('f:name');
  });

  it('conflicts with another manager that set a field differently, and force takes the field over', () => {
    const c = cluster();
    c.create(deployment(2), 'helm');
    let err: unknown;
    try {
      c.apply(deployment(3), { fieldManager: 'eks', force: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApplyConflictError);
    expect((err as ApplyConflictError).conflicts).toEqual([
      { manager: 'helm', field: '.spec.replicas' },
    ]);
    expect((c.get(ref)!.spec as { replicas: number }).replicas).toBe(2);

    const applied = c.apply(deployment(3), { fieldManager: 'eks', force: true });
    expect((applied.spec as { replicas: number }).replicas).toBe(3);
    const managers = applied.metadata.managedFields!;
    const eks = managers.find((m) => m.manager === 'eks')!;
    const helm = managers.find((m) => m.manager === 'helm')!;
    expect(eks.operation).toBe('Apply');
    expect(eks.fieldsV1).toMatchObject({ 'f:spec': { 'f:replicas': {} } });
    expect((helm.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toBeUndefined();
    // Identical values are shared, not conflicts: the image stays co-owned by helm.
    expect(helm.fieldsV1).toMatchObject({
      'f:spec': {
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"manager"}': { 'f:image': {} } } },
        },
      },
    });
  });

  it('names every conflict in the wire message layout for several fields', () => {
    const c = cluster();
    c.create(deployment(2), 'helm');
    const rt = c.resolve('apps', 'v1', 'deployments')!;
    const err = statusError(() =>
      c.applyIn({ rt, namespace: NS, name: ref.name }, deployment(5, 'op:v9'), {
        fieldManager: 'eks',
      }),
    );
    expect(err.code).toBe(409);
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "helm" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="manager"].image',
    );
    expect(err.details?.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "helm" using apps/v1',
        field: '.spec.replicas',
      },
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "helm" using apps/v1',
        field: '.spec.template.spec.containers[name="manager"].image',
      },
    ]);
  });

  it('prunes fields the applier stopped applying, keeps fields others own', () => {
    const c = cluster();
    const withExtra = deployment();
    (withExtra.metadata.labels as Record<string, string>)['eks.amazonaws.com/component'] =
      'operator';
    c.apply(withExtra, { fieldManager: 'eks', force: false });
    c.patch(ref, 'merge', { metadata: { labels: { 'owned-by-kubectl': 'yes' } } }, 'kubectl-edit');
    c.apply(deployment(), { fieldManager: 'eks', force: false });
    expect(c.get(ref)!.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'hyperpod-inference-operator',
      'owned-by-kubectl': 'yes',
    });
  });

  it('accepts a null labels or annotations map (an empty `annotations:` in a real chart) and stores none', () => {
    // keda 2.17.1's ServiceAccounts render `annotations:` with nothing under it; the apiserver
    // decodes null into an empty map (kubectl apply --server-side of the real umbrella).
    const c = cluster();
    const sa = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'keda-webhook', namespace: NS, labels: null, annotations: null },
    } as unknown as KubeObject;
    const applied = c.apply(sa, { fieldManager: 'kubectl', force: false });
    expect(applied.metadata).not.toHaveProperty('annotations');
    expect(applied.metadata).not.toHaveProperty('labels');
    const created = c.create({ ...sa, metadata: { ...sa.metadata, name: 'keda-metrics-server' } });
    expect(created.metadata).not.toHaveProperty('annotations');
  });

  it('re-applying the same configuration is a no-op (same resourceVersion)', () => {
    const c = cluster();
    const first = c.apply(deployment(), { fieldManager: 'eks', force: false });
    const again = c.apply(deployment(), { fieldManager: 'eks', force: false });
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });
});
