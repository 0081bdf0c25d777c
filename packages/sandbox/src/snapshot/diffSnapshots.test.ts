import { diffSnapshots, indexObjects, type SandboxSnapshot } from './diffSnapshots';
import type { KubeObject } from '../kube/types';

const deployment = (replicas: number, rv: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'hyperpod-inference-operator-controller-manager',
    namespace: 'hyperpod-inference-system',
    uid: `uid-${rv}`,
    resourceVersion: rv,
    creationTimestamp: `2026-11-21T10:00:0${rv}Z`,
    managedFields: [
      {
        manager: 'helm',
        operation: 'Update',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      },
    ],
    labels: { 'app.kubernetes.io/managed-by': 'Helm' },
  },
  spec: { replicas },
});

const snap = (objects: KubeObject[], tags: Record<string, string>): SandboxSnapshot => ({
  takenAt: new Date().toISOString(),
  aws: { acm: { certs: [{ arn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', tags }] } },
  kube: { 'arn:aws:eks:us-east-1:111111111111:cluster/a': indexObjects(objects) },
});

describe('diffSnapshots', () => {
  it('finds nothing when only server-assigned bookkeeping differs (a restore recreated the object)', () => {
    expect(
      diffSnapshots(
        snap([deployment(2, '1')], { team: 'ml' }),
        snap([deployment(2, '9')], { team: 'ml' }),
      ),
    ).toEqual([]);
  });

  it('names each changed field, added tag and missing object', () => {
    const before = snap([deployment(2, '1')], { team: 'ml' });
    const after = snap([deployment(0, '2')], { team: 'ml', CreatedBy: 'HyperPodInference' });
    const diff = diffSnapshots(before, after);
    expect(diff).toEqual([
      { path: 'aws.acm.certs[0].tags.CreatedBy', before: undefined, after: 'HyperPodInference' },
      {
        path: 'kube.arn:aws:eks:us-east-1:111111111111:cluster/a.apps/v1/Deployment/hyperpod-inference-system/hyperpod-inference-operator-controller-manager.spec.replicas',
        before: 2,
        after: 0,
      },
    ]);
    const gone = diffSnapshots(before, snap([], { team: 'ml' }));
    expect(gone).toHaveLength(1);
    expect(gone[0]!.after).toBeUndefined();
  });
});
