import type { EksAddon } from '../ports/EksGateway';
import type { KubeObject } from '../ports/KubeGateway';
import { conflictRefs, ownedPaths, planResolveConflicts } from './planResolveConflicts';

/** The message EKS writes (sandbox and service), fields as structured-merge-diff prints them. */
const CONFLICT = {
  code: 'ConfigurationConflict',
  message:
    'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile\nDeployment.apps coredns - .spec.template.spec.containers[name="coredns"].image',
  resourceIds: ['kube-system/coredns'],
};
const addon = (over: Partial<EksAddon> = {}): EksAddon => ({
  clusterName: 'ml-batch-use1',
  addonName: 'coredns',
  addonVersion: 'v1.11.4-eksbuild.14',
  status: 'DEGRADED',
  issues: [CONFLICT],
  ...over,
});
// managedFields as the API server returns them after `kubectl edit` (operation Update).
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'coredns',
    namespace: 'kube-system',
    uid: 'u1',
    resourceVersion: '812',
    managedFields: [
      {
        manager: 'eks',
        operation: 'Apply',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:k8s-app': {} } } },
      },
      {
        manager: 'kubectl-edit',
        operation: 'Update',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:Corefile': {} } },
      },
    ],
  },
  data: { Corefile: '.:53 {\n    forward . 10.20.0.2\n}\n' },
};
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'coredns',
    namespace: 'kube-system',
    resourceVersion: '813',
    managedFields: [
      {
        manager: 'kubectl-edit',
        operation: 'Update',
        fieldsV1: {
          'f:spec': {
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"coredns"}': { 'f:image': {} } } },
            },
          },
        },
      },
    ],
  },
  spec: {
    template: {
      spec: { containers: [{ name: 'coredns', image: 'eks/coredns:v1.11.4-patched' }] },
    },
  },
  status: { readyReplicas: 2 },
};

describe('ownedPaths', () => {
  it('turns FieldsV1 into the field paths EKS prints', () => {
    expect(ownedPaths({ 'f:data': { '.': {}, 'f:Corefile': {} } })).toEqual(['.data.Corefile']);
    expect(
      ownedPaths((deployment.metadata['managedFields'] as { fieldsV1: unknown }[])[0]!.fieldsV1),
    ).toEqual(['.spec.template.spec.containers[name="coredns"].image']);
    expect(ownedPaths({ 'f:spec': { 'f:finalizers': { 'v:"kubernetes"': {} } } })).toEqual([
      '.spec.finalizers[="kubernetes"]',
    ]);
  });
});

describe('planResolveConflicts', () => {
  it('names each contested field, its owner now and value, and keeps the objects for the rollback', () => {
    const plan = planResolveConflicts({
      clusterName: 'ml-batch-use1',
      addonName: 'coredns',
      addon: addon(),
      objects: [configMap, deployment],
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.takeovers).toEqual([
      {
        resource: 'ConfigMap',
        namespace: 'kube-system',
        name: 'coredns',
        field: '.data.Corefile',
        owners: ['kubectl-edit'],
        value: JSON.stringify('.:53 {\n    forward . 10.20.0.2\n}\n'),
      },
      {
        resource: 'Deployment.apps',
        namespace: 'kube-system',
        name: 'coredns',
        field: '.spec.template.spec.containers[name="coredns"].image',
        owners: ['kubectl-edit'],
        value: '"eks/coredns:v1.11.4-patched"',
      },
    ]);
    // Written back as a client may: no server fields, no status.
    expect(plan.rollbackObjects[1]!.metadata).toEqual({
      name: 'coredns',
      namespace: 'kube-system',
    });
    expect(plan.rollbackObjects[1]!['status']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('finds the objects of a conflict in the namespaces of its resourceIds', () => {
    expect(conflictRefs(addon())).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'coredns', namespace: 'kube-system' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', namespace: 'kube-system' },
    ]);
  });

  it('refuses what cannot or need not run', () => {
    const plan = (a: EksAddon | undefined) =>
      planResolveConflicts({ clusterName: 'c', addonName: 'coredns', addon: a, objects: [] })
        .refusals;
    expect(plan(undefined)).toEqual(['coredns is not installed on c']);
    expect(plan(addon({ status: 'UPDATING' }))).toEqual([
      'coredns is UPDATING: wait until it settles, then plan again',
    ]);
    expect(plan(addon({ status: 'ACTIVE', issues: [] }))).toEqual([
      'coredns reports no ConfigurationConflict, UnsupportedAddonModification, K8sResourceNotFound (status ACTIVE): nothing to resolve',
    ]);
    // A missing resource is re-applied too.
    expect(plan(addon({ issues: [{ code: 'K8sResourceNotFound', message: 'x' }] }))).toEqual([]);
  });
});
