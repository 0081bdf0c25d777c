/** The snapshot controller's workloads: the VolumeSnapshot CRDs and the controller. */
import type { KubeObject } from '../../kube/types';
import {
  crd,
  deployment,
  eksImage,
  labelsFor,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

export function snapshotControllerWorkloads(i: WorkloadInput): KubeObject[] {
  const l = labelsFor('snapshot-controller', 'snapshot-controller', i.addonVersion);
  return [
    crd('snapshot.storage.k8s.io', 'VolumeSnapshot', 'volumesnapshots', { shortNames: ['vs'] }),
    crd('snapshot.storage.k8s.io', 'VolumeSnapshotContent', 'volumesnapshotcontents', {
      scope: 'Cluster',
      shortNames: ['vsc'],
    }),
    crd('snapshot.storage.k8s.io', 'VolumeSnapshotClass', 'volumesnapshotclasses', {
      scope: 'Cluster',
      shortNames: ['vsclass'],
    }),
    serviceAccount('snapshot-controller', 'kube-system', undefined, l),
    deployment('snapshot-controller', 'kube-system', {
      image: eksImage(
        i.region,
        'eks/csi-snapshotter/snapshot-controller',
        upstreamTag(i.addonVersion),
      ),
      serviceAccountName: 'snapshot-controller',
      labels: l,
      config: i.config,
    }),
  ];
}
