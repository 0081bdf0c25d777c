/** The VPC CNI's workloads: the aws-node DaemonSet and its ConfigMap, from the add-on's configuration. */
import type { KubeObject } from '../../kube/types';
import {
  configAt,
  configMap,
  daemonSet,
  eksImage,
  labelsFor,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

export function vpcCniWorkloads(i: WorkloadInput): KubeObject[] {
  const l = labelsFor('vpc-cni', 'aws-node', i.addonVersion);
  const env = configAt(i.config, 'env');
  return [
    serviceAccount('aws-node', 'kube-system', i.serviceAccountRoleArn, l),
    configMap('amazon-vpc-cni', 'kube-system', {
      'enable-network-policy-controller': String(
        configAt(i.config, 'enableNetworkPolicy') === 'true',
      ),
      ...(typeof env === 'object' && env
        ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))
        : {}),
    }),
    daemonSet('aws-node', 'kube-system', {
      image: eksImage(i.region, 'amazon-k8s-cni', upstreamTag(i.addonVersion)),
      serviceAccountName: 'aws-node',
      labels: l,
      container: 'aws-node',
      config: i.config,
    }),
  ];
}
