/** The workloads of the observability add-ons: metrics-server, Amazon CloudWatch Observability and ADOT. */
import type { KubeObject } from '../../kube/types';
import * as k8s from '../addonWorkloads';

/** metrics-server's workloads: its Deployment, Service and the v1beta1.metrics.k8s.io APIService. */
export function metricsServerWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const l = k8s.labelsFor('metrics-server', 'metrics-server', i.addonVersion);
  return [
    k8s.serviceAccount('metrics-server', 'kube-system', undefined, l),
    k8s.deployment('metrics-server', 'kube-system', {
      image: k8s.eksImage(i.region, 'eks/metrics-server', k8s.upstreamTag(i.addonVersion)),
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
    k8s.service('metrics-server', 'kube-system', l, 443, 10251),
    k8s.apiService('v1beta1.metrics.k8s.io', 'metrics-server', 'kube-system'),
  ];
}

/** Amazon CloudWatch Observability's workloads: its CRD, the agent operator and the agent DaemonSet. */
export function cloudwatchWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const ns = 'amazon-cloudwatch';
  const l = (n: string) => k8s.labelsFor('amazon-cloudwatch-observability', n, i.addonVersion);
  return [
    k8s.namespace(ns),
    k8s.crd('cloudwatch.aws.amazon.com', 'AmazonCloudWatchAgent', 'amazoncloudwatchagents', {
      versions: ['v1alpha1'],
    }),
    k8s.serviceAccount(
      'amazon-cloudwatch-observability-controller-manager',
      ns,
      undefined,
      l('amazon-cloudwatch-observability-controller-manager'),
    ),
    k8s.deployment('amazon-cloudwatch-observability-controller-manager', ns, {
      replicas: 1,
      image: k8s.eksImage(i.region, 'cloudwatch-agent-operator', k8s.upstreamTag(i.addonVersion)),
      serviceAccountName: 'amazon-cloudwatch-observability-controller-manager',
      labels: l('amazon-cloudwatch-observability-controller-manager'),
    }),
    k8s.serviceAccount('cloudwatch-agent', ns, i.serviceAccountRoleArn, l('cloudwatch-agent')),
    k8s.daemonSet('cloudwatch-agent', ns, {
      image: k8s.eksImage(i.region, 'cloudwatch-agent', '1.300057.0b1161'),
      serviceAccountName: 'cloudwatch-agent',
      labels: l('cloudwatch-agent'),
      container: 'otc-container',
      config: i.config,
    }),
  ];
}

/** ADOT's workloads: the OpenTelemetry operator and its CRDs. */
export function adotWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const ns = 'opentelemetry-operator-system';
  const l = k8s.labelsFor('adot', 'opentelemetry-operator', i.addonVersion);
  return [
    k8s.namespace(ns),
    k8s.crd('opentelemetry.io', 'OpenTelemetryCollector', 'opentelemetrycollectors', {
      versions: ['v1alpha1', 'v1beta1'],
      shortNames: ['otelcol'],
    }),
    k8s.crd('opentelemetry.io', 'Instrumentation', 'instrumentations', {
      versions: ['v1alpha1'],
      shortNames: ['otelinst'],
    }),
    k8s.serviceAccount('opentelemetry-operator', ns, undefined, l),
    k8s.deployment('opentelemetry-operator', ns, {
      replicas: 1,
      image: k8s.eksImage(i.region, 'eks/opentelemetry-operator', k8s.upstreamTag(i.addonVersion)),
      serviceAccountName: 'opentelemetry-operator',
      labels: l,
      config: i.config,
    }),
  ];
}
