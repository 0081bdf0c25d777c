/** The workloads of the security add-ons: cert-manager and the EKS Pod Identity Agent. */
import type { KubeObject } from '../../kube/types';
import { CERT_MANAGER_KINDS } from '../../kube/certManagerCrds';
import * as k8s from '../addonWorkloads';

/** The CRDs in the add-on's apply order. */
const CRD_ORDER = [
  'Certificate',
  'CertificateRequest',
  'Issuer',
  'ClusterIssuer',
  'Order',
  'Challenge',
];

/** cert-manager's workloads: its CRDs, controller, cainjector and webhook with its Service. */
export function certManagerWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const tag = k8s.upstreamTag(i.addonVersion);
  const l = (n: string) => k8s.labelsFor('cert-manager', n, i.addonVersion);
  return [
    k8s.namespace('cert-manager'),
    ...CRD_ORDER.map((kind) => CERT_MANAGER_KINDS.find((k) => k.kind === kind)!).map(
      ({ kind, plural, scope, group }) => k8s.crd(group, kind, plural, { scope }),
    ),
    ...['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'].flatMap((n) => [
      k8s.serviceAccount(n, 'cert-manager', undefined, l(n)),
      k8s.deployment(n, 'cert-manager', {
        replicas: 1,
        image: `quay.io/jetstack/${n === 'cert-manager' ? 'cert-manager-controller' : n}:${tag}`,
        serviceAccountName: n,
        labels: l(n),
        container: n,
        config: n === 'cert-manager' ? i.config : undefined,
      }),
    ]),
    k8s.service('cert-manager-webhook', 'cert-manager', l('cert-manager-webhook'), 443, 10250),
  ];
}

/** The EKS Pod Identity Agent's workload: its DaemonSet. */
export function podIdentityAgentWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  return [
    k8s.daemonSet('eks-pod-identity-agent', 'kube-system', {
      image: k8s.eksImage(i.region, 'eks/eks-pod-identity-agent', k8s.upstreamTag(i.addonVersion)),
      labels: k8s.labelsFor('eks-pod-identity-agent', 'eks-pod-identity-agent', i.addonVersion),
      container: 'eks-pod-identity-agent',
      config: i.config,
    }),
  ];
}
