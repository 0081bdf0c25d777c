/** The workloads of the networking add-ons: the VPC CNI, CoreDNS and kube-proxy. */
import type { KubeObject } from '../../kube/types';
import * as k8s from '../addonWorkloads';

/** The VPC CNI's workloads: the aws-node DaemonSet and its ConfigMap, from the add-on's configuration. */
export function vpcCniWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const l = k8s.labelsFor('vpc-cni', 'aws-node', i.addonVersion);
  const env = k8s.configAt(i.config, 'env');
  return [
    k8s.serviceAccount('aws-node', 'kube-system', i.serviceAccountRoleArn, l),
    k8s.configMap('amazon-vpc-cni', 'kube-system', {
      'enable-network-policy-controller': String(
        k8s.configAt(i.config, 'enableNetworkPolicy') === 'true',
      ),
      ...(typeof env === 'object' && env
        ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))
        : {}),
    }),
    k8s.daemonSet('aws-node', 'kube-system', {
      image: k8s.eksImage(i.region, 'amazon-k8s-cni', k8s.upstreamTag(i.addonVersion)),
      serviceAccountName: 'aws-node',
      labels: l,
      container: 'aws-node',
      config: i.config,
    }),
  ];
}

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

/** CoreDNS's workloads: its Deployment, the Corefile ConfigMap (the configuration's `corefile`, else EKS's default) and the kube-dns Service. */
export function corednsWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const l = { ...k8s.labelsFor('coredns', 'coredns', i.addonVersion), 'k8s-app': 'kube-dns' };
  const corefile =
    typeof i.config['corefile'] === 'string' ? (i.config['corefile'] as string) : DEFAULT_COREFILE;
  return [
    k8s.serviceAccount('coredns', 'kube-system', undefined, l),
    k8s.configMap('coredns', 'kube-system', { Corefile: corefile }),
    k8s.deployment('coredns', 'kube-system', {
      image: k8s.eksImage(i.region, 'eks/coredns', k8s.upstreamTag(i.addonVersion) + '-eksbuild.1'),
      serviceAccountName: 'coredns',
      labels: l,
      container: 'coredns',
      args: ['-conf', '/etc/coredns/Corefile'],
      config: i.config,
    }),
    {
      ...k8s.service('kube-dns', 'kube-system', l, 53),
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

/** kube-proxy's workloads: its DaemonSet and its KubeProxyConfiguration (mode from the configuration). */
export function kubeProxyWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const l = {
    ...k8s.labelsFor('kube-proxy', 'kube-proxy', i.addonVersion),
    'k8s-app': 'kube-proxy',
  };
  return [
    k8s.serviceAccount('kube-proxy', 'kube-system', undefined, l),
    k8s.configMap('kube-proxy-config', 'kube-system', {
      config: `kind: KubeProxyConfiguration\nmode: "${String(i.config['mode'] ?? 'iptables')}"\n`,
    }),
    k8s.daemonSet('kube-proxy', 'kube-system', {
      image: k8s.eksImage(
        i.region,
        'eks/kube-proxy',
        `${k8s.upstreamTag(i.addonVersion)}-minimal-eksbuild.2`,
      ),
      serviceAccountName: 'kube-proxy',
      labels: l,
      container: 'kube-proxy',
      config: i.config,
    }),
  ];
}
