/** metrics-server's workloads: its Deployment, Service and the v1beta1.metrics.k8s.io APIService. */
import type { KubeObject } from '../../kube/types';
import {
  apiService,
  deployment,
  eksImage,
  labelsFor,
  service,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

export function metricsServerWorkloads(i: WorkloadInput): KubeObject[] {
  const l = labelsFor('metrics-server', 'metrics-server', i.addonVersion);
  return [
    serviceAccount('metrics-server', 'kube-system', undefined, l),
    deployment('metrics-server', 'kube-system', {
      image: eksImage(i.region, 'eks/metrics-server', upstreamTag(i.addonVersion)),
      serviceAccountName: 'metrics-server',
      labels: l,
      container: 'metrics-server',
      args: [
        '--secure-port=10251',
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      ],
      config: i.config,
      replicasKey: 'replicas',
    }),
    service('metrics-server', 'kube-system', l, 443, 10251),
    apiService('v1beta1.metrics.k8s.io', 'metrics-server', 'kube-system'),
  ];
}
