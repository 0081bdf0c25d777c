/** The workloads of a CSI driver add-on: node DaemonSet, optional controller, service accounts, CSIDriver. */
import type { KubeObject } from '../../kube/types';
import {
  csiDriver,
  daemonSet,
  deployment,
  eksImage,
  labelsFor,
  serviceAccount,
  upstreamTag,
} from '../addonWorkloads';
import type { AddonSpec } from '../AddonSpec';

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
    const tag = upstreamTag(i.addonVersion);
    const out: KubeObject[] = [];
    if (o.controllerSa)
      out.push(
        serviceAccount(
          o.controllerSa,
          'kube-system',
          i.serviceAccountRoleArn,
          labelsFor(o.addon, o.controllerSa, i.addonVersion),
        ),
      );
    if (o.nodeSa)
      out.push(
        serviceAccount(
          o.nodeSa,
          'kube-system',
          o.controllerSa ? undefined : i.serviceAccountRoleArn,
          labelsFor(o.addon, o.nodeSa, i.addonVersion),
        ),
      );
    if (o.controller) {
      out.push(
        deployment(o.controller, 'kube-system', {
          image: eksImage(i.region, o.repo, tag),
          serviceAccountName: o.controllerSa,
          labels: labelsFor(o.addon, o.controller, i.addonVersion),
          container: 'csi-driver',
          config: i.config,
        }),
      );
    }
    out.push(
      daemonSet(o.node, 'kube-system', {
        image: eksImage(i.region, o.repo, tag),
        serviceAccountName: o.nodeSa,
        labels: labelsFor(o.addon, o.node, i.addonVersion),
        container: o.node.replace(/-node$/, '-plugin'),
        config: i.config,
      }),
      csiDriver(o.driver),
    );
    return out;
  };
}
