/** Amazon CloudWatch Observability's workloads: its CRD, the agent operator and the agent DaemonSet. */
import type { KubeObject } from '../../kube/types';
import {
  crd,
  daemonSet,
  deployment,
  eksImage,
  labelsFor,
  namespace,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

export function cloudwatchWorkloads(i: WorkloadInput): KubeObject[] {
  const ns = 'amazon-cloudwatch';
  const l = (n: string) => labelsFor('amazon-cloudwatch-observability', n, i.addonVersion);
  return [
    namespace(ns),
    crd('cloudwatch.aws.amazon.com', 'AmazonCloudWatchAgent', 'amazoncloudwatchagents', {
      versions: ['v1alpha1'],
    }),
    serviceAccount(
      'amazon-cloudwatch-observability-controller-manager',
      ns,
      undefined,
      l('amazon-cloudwatch-observability-controller-manager'),
    ),
    deployment('amazon-cloudwatch-observability-controller-manager', ns, {
      replicas: 1,
      image: eksImage(i.region, 'cloudwatch-agent-operator', upstreamTag(i.addonVersion)),
      serviceAccountName: 'amazon-cloudwatch-observability-controller-manager',
      labels: l('amazon-cloudwatch-observability-controller-manager'),
    }),
    serviceAccount('cloudwatch-agent', ns, i.serviceAccountRoleArn, l('cloudwatch-agent')),
    daemonSet('cloudwatch-agent', ns, {
      image: eksImage(i.region, 'cloudwatch-agent', '1.300057.0b1161'),
      serviceAccountName: 'cloudwatch-agent',
      labels: l('cloudwatch-agent'),
      container: 'otc-container',
      config: i.config,
    }),
  ];
}
