/** The workloads of the storage add-ons: the CSI drivers and the snapshot controller. */
import type { KubeObject } from '../../kube/types';
import type { AddonSpec } from '../AddonSpec';
import * as k8s from '../addonWorkloads';

/** The workloads of a CSI driver add-on: node DaemonSet, optional controller, service accounts, CSIDriver. */
export function csiWorkloads(o: {
  addon: string;
  driver: string;
  repo: string;
  node: string;
  controller?: string;
  controllerSa?: string;
  nodeSa?: string;
}): AddonSpec['workloads'] {
  return (i) => {
    const tag = k8s.upstreamTag(i.addonVersion);
    const out: KubeObject[] = [];
    if (o.controllerSa)
      out.push(
        k8s.serviceAccount(
          o.controllerSa,
          'kube-system',
          i.serviceAccountRoleArn,
          k8s.labelsFor(o.addon, o.controllerSa, i.addonVersion),
        ),
      );
    if (o.nodeSa)
      out.push(
        k8s.serviceAccount(
          o.nodeSa,
          'kube-system',
          o.controllerSa ? undefined : i.serviceAccountRoleArn,
          k8s.labelsFor(o.addon, o.nodeSa, i.addonVersion),
        ),
      );
    if (o.controller) {
      out.push(
        k8s.deployment(o.controller, 'kube-system', {
          image: k8s.eksImage(i.region, o.repo, tag),
          serviceAccountName: o.controllerSa,
          labels: k8s.labelsFor(o.addon, o.controller, i.addonVersion),
          container: 'csi-driver',
          config: i.config,
        }),
      );
    }
    out.push(
      k8s.daemonSet(o.node, 'kube-system', {
        image: k8s.eksImage(i.region, o.repo, tag),
        serviceAccountName: o.nodeSa,
        labels: k8s.labelsFor(o.addon, o.node, i.addonVersion),
        container: o.node.replace(/-node$/, '-plugin'),
        config: i.config,
      }),
      k8s.csiDriver(o.driver),
    );
    return out;
  };
}

/** The snapshot controller's workloads: the VolumeSnapshot CRDs and the controller. */
export function snapshotControllerWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const l = k8s.labelsFor('snapshot-controller', 'snapshot-controller', i.addonVersion);
  return [
    k8s.crd('snapshot.storage.k8s.io', 'VolumeSnapshot', 'volumesnapshots', { shortNames: ['vs'] }),
    k8s.crd('snapshot.storage.k8s.io', 'VolumeSnapshotContent', 'volumesnapshotcontents', {
      scope: 'Cluster',
      shortNames: ['vsc'],
    }),
    k8s.crd('snapshot.storage.k8s.io', 'VolumeSnapshotClass', 'volumesnapshotclasses', {
      scope: 'Cluster',
      shortNames: ['vsclass'],
    }),
    k8s.serviceAccount('snapshot-controller', 'kube-system', undefined, l),
    k8s.deployment('snapshot-controller', 'kube-system', {
      image: k8s.eksImage(
        i.region,
        'eks/csi-snapshotter/snapshot-controller',
        k8s.upstreamTag(i.addonVersion),
      ),
      serviceAccountName: 'snapshot-controller',
      labels: l,
      config: i.config,
    }),
  ];
}
