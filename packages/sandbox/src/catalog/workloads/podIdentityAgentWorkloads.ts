/** The EKS Pod Identity Agent's workload: its DaemonSet. */
import type { KubeObject } from '../../kube/types';
import { daemonSet, eksImage, labelsFor, upstreamTag, type WorkloadInput } from '../addonWorkloads';

export function podIdentityAgentWorkloads(i: WorkloadInput): KubeObject[] {
  return [
    daemonSet('eks-pod-identity-agent', 'kube-system', {
      image: eksImage(i.region, 'eks/eks-pod-identity-agent', upstreamTag(i.addonVersion)),
      labels: labelsFor('eks-pod-identity-agent', 'eks-pod-identity-agent', i.addonVersion),
      container: 'eks-pod-identity-agent',
      config: i.config,
    }),
  ];
}
