/** CoreDNS's workloads: its Deployment, the Corefile ConfigMap (the configuration's `corefile`, else EKS's default) and the kube-dns Service. */
import type { KubeObject } from '../../kube/types';
import {
  configMap,
  deployment,
  eksImage,
  labelsFor,
  service,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

const DEFAULT_COREFILE = `.:53 {
    errors
    health {
        lameduck 5s
      }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

export function corednsWorkloads(i: WorkloadInput): KubeObject[] {
  const l = { ...labelsFor('coredns', 'coredns', i.addonVersion), 'k8s-app': 'kube-dns' };
  const corefile =
    typeof i.config['corefile'] === 'string' ? (i.config['corefile'] as string) : DEFAULT_COREFILE;
  return [
    serviceAccount('coredns', 'kube-system', undefined, l),
    configMap('coredns', 'kube-system', { Corefile: corefile }),
    deployment('coredns', 'kube-system', {
      image: eksImage(i.region, 'eks/coredns', upstreamTag(i.addonVersion) + '-eksbuild.1'),
      serviceAccountName: 'coredns',
      labels: l,
      container: 'coredns',
      args: ['-conf', '/etc/coredns/Corefile'],
      config: i.config,
    }),
    {
      ...service('kube-dns', 'kube-system', l, 53),
      spec: {
        selector: { 'k8s-app': 'kube-dns' },
        clusterIP: '10.100.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    },
  ];
}
