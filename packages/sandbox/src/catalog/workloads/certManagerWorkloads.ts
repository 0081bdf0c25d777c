/** cert-manager's workloads: its CRDs, controller, cainjector and webhook with its Service. */
import type { KubeObject } from '../../kube/types';
import {
  crd,
  deployment,
  labelsFor,
  namespace,
  service,
  serviceAccount,
  upstreamTag,
  type WorkloadInput,
} from '../addonWorkloads';
import { CERT_MANAGER_KINDS } from '../../kube/certManagerCrds';

/** The CRDs in the add-on's apply order. */
const CRD_ORDER = [
  'Certificate',
  'CertificateRequest',
  'Issuer',
  'ClusterIssuer',
  'Order',
  'Challenge',
];

export function certManagerWorkloads(i: WorkloadInput): KubeObject[] {
  const tag = upstreamTag(i.addonVersion);
  const l = (n: string) => labelsFor('cert-manager', n, i.addonVersion);
  return [
    namespace('cert-manager'),
    ...CRD_ORDER.map((kind) => CERT_MANAGER_KINDS.find((k) => k.kind === kind)!).map(
      ({ kind, plural, scope, group }) => crd(group, kind, plural, { scope }),
    ),
    ...['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'].flatMap((n) => [
      serviceAccount(n, 'cert-manager', undefined, l(n)),
      deployment(n, 'cert-manager', {
        replicas: 1,
        image: `quay.io/jetstack/${n === 'cert-manager' ? 'cert-manager-controller' : n}:${tag}`,
        serviceAccountName: n,
        labels: l(n),
        container: n,
        config: n === 'cert-manager' ? i.config : undefined,
      }),
    ]),
    service('cert-manager-webhook', 'cert-manager', l('cert-manager-webhook'), 443, 10250),
  ];
}
