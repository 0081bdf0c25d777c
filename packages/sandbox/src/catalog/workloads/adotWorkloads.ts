/** ADOT's workloads: the OpenTelemetry operator and its CRDs. */
import type { KubeObject } from '../../kube/types';
import {
  crd,
  deployment,
  eksImage,
  labelsFor,
  namespace,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';

export function adotWorkloads(i: WorkloadInput): KubeObject[] {
  const ns = 'opentelemetry-operator-system';
  const l = labelsFor('adot', 'opentelemetry-operator', i.addonVersion);
  return [
    namespace(ns),
    crd('opentelemetry.io', 'OpenTelemetryCollector', 'opentelemetrycollectors', {
      versions: ['v1alpha1', 'v1beta1'],
      shortNames: ['otelcol'],
    }),
    crd('opentelemetry.io', 'Instrumentation', 'instrumentations', {
      versions: ['v1alpha1'],
      shortNames: ['otelinst'],
    }),
    serviceAccount('opentelemetry-operator', ns, undefined, l),
    deployment('opentelemetry-operator', ns, {
      replicas: 1,
      image: eksImage(i.region, 'eks/opentelemetry-operator', upstreamTag(i.addonVersion)),
      serviceAccountName: 'opentelemetry-operator',
      labels: l,
      config: i.config,
    }),
  ];
}
