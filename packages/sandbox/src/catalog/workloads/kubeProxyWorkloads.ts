/** kube-proxy's workloads: its DaemonSet and its KubeProxyConfiguration (mode from the configuration). */
import type { KubeObject } from '../../kube/types';
import {
  configMap,
  daemonSet,
  eksImage,
  labelsFor,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

export function kubeProxyWorkloads(i: WorkloadInput): KubeObject[] {
  const l = {
    ...labelsFor('kube-proxy', 'kube-proxy', i.addonVersion),
    'k8s-app': 'kube-proxy',
  };
  return [
    serviceAccount('kube-proxy', 'kube-system', undefined, l),
    configMap('kube-proxy-config', 'kube-system', {
      config: `kind: KubeProxyConfiguration\nmode: "${String(i.config['mode'] ?? 'iptables')}"\n`,
    }),
    daemonSet('kube-proxy', 'kube-system', {
      image: eksImage(
        i.region,
        'eks/kube-proxy',
        `${upstreamTag(i.addonVersion)}-minimal-eksbuild.2`,
      ),
      serviceAccountName: 'kube-proxy',
      labels: l,
      container: 'kube-proxy',
      config: i.config,
    }),
  ];
}
