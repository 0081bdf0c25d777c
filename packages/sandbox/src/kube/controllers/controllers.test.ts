import { KubeCluster, type WatchEvent } from '../KubeCluster';
import type { KubeObject } from '../types';
import { daemonSetStatus, eksNodes, schedulableOn } from './nodes';
import { quantity } from './volumeBinder';

const nodes = eksNodes({
  clusterName: 'c',
  region: 'eu-west-1',
  count: 3,
  gitVersion: 'v1.31.4-eks-x',
});

describe('nodes and DaemonSet scheduling', () => {
  it('names nodes as EC2 does in the region and labels them for the scheduler', () => {
    expect(nodes.map((n) => n.metadata.name)).toEqual(
      nodes.map(() => expect.stringMatching(/^ip-10-0-\d+-\d+\.eu-west-1\.compute\.internal$/)),
    );
    expect(new Set(nodes.map((n) => n.metadata.name)).size).toBe(3);
    expect(nodes[0]!.metadata.labels).toMatchObject({
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'topology.kubernetes.io/zone': 'eu-west-1a',
    });
  });

  it('applies nodeSelector, node affinity terms (ORed) and taints', () => {
    const node = nodes[0]!;
    expect(schedulableOn(node, {})).toBe(true);
    expect(schedulableOn(node, { nodeSelector: { 'kubernetes.io/os': 'windows' } })).toBe(false);
    const affinity = (values: string[], operator = 'In') => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator, values }] },
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['elsewhere'] }] },
          ],
        },
      },
    });
    expect(schedulableOn(node, { affinity: affinity(['arm64']) })).toBe(false);
    expect(schedulableOn(node, { affinity: affinity(['arm64'], 'NotIn') })).toBe(true);
    const tainted: KubeObject = {
      ...node,
      spec: { taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] },
    };
    expect(schedulableOn(tainted, {})).toBe(false);
    expect(
      schedulableOn(tainted, { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }),
    ).toBe(true);
    expect(schedulableOn(tainted, { tolerations: [{ operator: 'Exists' }] })).toBe(true);
    expect(
      schedulableOn(tainted, {
        tolerations: [{ key: 'nvidia.com/gpu', value: 'false', effect: 'NoSchedule' }],
      }),
    ).toBe(false);
  });

  it('counts the DaemonSet on the nodes that fit, omitting the zero fields Go omits', () => {
    const ds = (nodeSelector: Record<string, string>): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd', generation: 2 },
      spec: { template: { spec: { nodeSelector } } },
    });
    expect(daemonSetStatus(ds({}), nodes)).toEqual({
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberAvailable: 3,
      numberMisscheduled: 0,
      numberReady: 3,
      observedGeneration: 2,
      updatedNumberScheduled: 3,
    });
    expect(daemonSetStatus(ds({ role: 'gpu' }), nodes)).toEqual({
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
      observedGeneration: 2,
    });
  });
});

describe('resource quantities', () => {
  it('reads binary and decimal suffixes', () => {
    expect(quantity('1200Gi')).toBe(1200 * 2 ** 30);
    expect(quantity('1G')).toBe(1e9);
    expect(quantity('500m')).toBe(0.5);
    expect(quantity('1.5Ki')).toBe(1536);
    expect(quantity('10Q')).toBeNaN();
  });
});

describe('controllers on the programmatic API', () => {
  it('binds a pre-bound volume and claim in either creation order', () => {
    const cluster = new KubeCluster({ name: 'c', version: '1.31' });
    cluster.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'claim', namespace: 'default' },
      spec: {
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: '',
      },
    });
    const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
    const events: WatchEvent[] = [];
    cluster.watch((e) => events.push(e));
    expect(cluster.get({ ...claimRef, name: 'claim', namespace: 'default' })?.['status']).toEqual({
      phase: 'Pending',
    });
    cluster.create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv' },
      spec: {
        capacity: { storage: '2Gi' },
        accessModes: ['ReadWriteMany'],
        claimRef: { namespace: 'default', name: 'claim' },
        hostPath: { path: '/x' },
      },
    });
    const claim = cluster.get({ ...claimRef, name: 'claim', namespace: 'default' })!;
    expect(claim['spec']).toMatchObject({ volumeName: 'pv' });
    expect(claim['status']).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteMany'],
      capacity: { storage: '2Gi' },
    });
    const pv = cluster.get({ apiVersion: 'v1', kind: 'PersistentVolume', name: 'pv' })!;
    expect(pv['status']).toMatchObject({ phase: 'Bound' });
    // The user pre-bound the volume: the controller did not.
    expect(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
    // The controller's writes: claimRef (spec), then the phase (status), each its own event.
    expect(events.filter((e) => e.resource === '/persistentvolumes').map((e) => e.type)).toEqual([
      'ADDED',
      'MODIFIED',
      'MODIFIED',
    ]);
    expect(pv.metadata.managedFields?.map((m) => m.manager)).toContain('kube-controller-manager');
  });

  it('leaves a suspended Job alone and completes it once resumed', () => {
    const cluster = new KubeCluster({ name: 'c', version: '1.30' });
    const ref = { apiVersion: 'batch/v1', kind: 'Job', name: 'j', namespace: 'default' };
    cluster.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'default' },
      spec: { suspend: true, completions: 3, template: { spec: { containers: [] } } },
    });
    expect(cluster.get(ref)?.['status']).toBeUndefined();
    cluster.patch(ref, 'merge', { spec: { suspend: false } });
    const status = cluster.get(ref)?.['status'] as Record<string, unknown>;
    expect(status).toMatchObject({ succeeded: 3 });
    // Before 1.31 the controller adds only Complete.
    expect((status['conditions'] as { type: string }[]).map((c) => c.type)).toEqual(['Complete']);
  });
});
