import type { Sandbox } from '@hyperpod/sandbox';

/** What EKS reports when vpc-cni's aws-node DaemonSet does not reach its desired replicas. */
export const INSUFFICIENT_REPLICAS = {
  code: 'InsufficientNumberOfReplicas',
  message: 'The add-on is unhealthy because it does not have the desired number of replicas.',
  resourceIds: ['kube-system/aws-node'],
};

/**
 * The sandbox's next update of vpc-cni to `version` ends DEGRADED (INSUFFICIENT_REPLICAS), once:
 * a hop an upgrade has to roll back.
 */
export function failNextVpcCniUpdate(sb: Sandbox, version: string): void {
  sb.services.eks.failOn({
    addonName: 'vpc-cni',
    addonVersion: version,
    kind: 'update',
    outcome: 'DEGRADED',
    issue: INSUFFICIENT_REPLICAS,
    times: 1,
  });
}
