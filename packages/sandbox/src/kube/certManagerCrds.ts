/**
 * cert-manager's six CustomResourceDefinitions at v1.18.2 (groups cert-manager.io and
 * acme.cert-manager.io), as `kubectl apply -f cert-manager.crds.yaml` from its release installs
 * them: names, scope, short names, categories, printer columns and the status subresource as
 * upstream declares them (deploy/crds), schemas trimmed to an open object. The inference chart's
 * Issuer and Certificate need them on the cluster before helm can map those kinds.
 */
import { openResourceProperties } from './openResourceProperties';
import type { PrinterColumn } from './ResourceTypes';
import type { KubeObject } from './types';

export const CERT_MANAGER_VERSION = 'v1.18.2';

const ready = (type = 'Ready', name = type): PrinterColumn => ({
  jsonPath: `.status.conditions[?(@.type == "${type}")].status`,
  name,
  type: 'string',
});
const status = (priority = 1): PrinterColumn => ({
  jsonPath: '.status.conditions[?(@.type == "Ready")].message',
  name: 'Status',
  priority,
  type: 'string',
});
const AGE: PrinterColumn = {
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
  jsonPath: '.metadata.creationTimestamp',
  name: 'Age',
  type: 'date',
};
const col = (jsonPath: string, name: string, priority?: number): PrinterColumn => ({
  jsonPath,
  name,
  ...(priority ? { priority } : {}),
  type: 'string',
});

interface Spec {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  categories: string[];
  scope: 'Namespaced' | 'Cluster';
  columns: PrinterColumn[];
}

const ACME = ['cert-manager', 'cert-manager-acme'];

const SPECS: Spec[] = [
  {
    group: 'acme.cert-manager.io',
    kind: 'Challenge',
    plural: 'challenges',
    categories: ACME,
    scope: 'Namespaced',
    columns: [
      col('.status.state', 'State'),
      col('.spec.dnsName', 'Domain'),
      col('.status.reason', 'Reason', 1),
      AGE,
    ],
  },
  {
    group: 'acme.cert-manager.io',
    kind: 'Order',
    plural: 'orders',
    categories: ACME,
    scope: 'Namespaced',
    columns: [
      col('.status.state', 'State'),
      col('.spec.issuerRef.name', 'Issuer', 1),
      col('.status.reason', 'Reason', 1),
      AGE,
    ],
  },
  {
    group: 'cert-manager.io',
    kind: 'CertificateRequest',
    plural: 'certificaterequests',
    shortNames: ['cr', 'crs'],
    categories: ['cert-manager'],
    scope: 'Namespaced',
    columns: [
      ready('Approved'),
      ready('Denied'),
      ready(),
      col('.spec.issuerRef.name', 'Issuer'),
      col('.spec.username', 'Requester'),
      status(),
      AGE,
    ],
  },
  {
    group: 'cert-manager.io',
    kind: 'Certificate',
    plural: 'certificates',
    shortNames: ['cert', 'certs'],
    categories: ['cert-manager'],
    scope: 'Namespaced',
    columns: [
      ready(),
      col('.spec.secretName', 'Secret'),
      col('.spec.issuerRef.name', 'Issuer', 1),
      status(),
      AGE,
    ],
  },
  {
    group: 'cert-manager.io',
    kind: 'ClusterIssuer',
    plural: 'clusterissuers',
    shortNames: ['ciss'],
    categories: ['cert-manager'],
    scope: 'Cluster',
    columns: [ready(), status(), AGE],
  },
  {
    group: 'cert-manager.io',
    kind: 'Issuer',
    plural: 'issuers',
    shortNames: ['iss'],
    categories: ['cert-manager'],
    scope: 'Namespaced',
    columns: [ready(), status(), AGE],
  },
];

/** The CRDs, labelled as cert-manager's static manifest labels them. */
/** Each CRD's group, kind, plural and scope, in the order of cert-manager's crds.yaml. */
export const CERT_MANAGER_KINDS: readonly Pick<Spec, 'group' | 'kind' | 'plural' | 'scope'>[] =
  SPECS.map(({ group, kind, plural, scope }) => ({ group, kind, plural, scope }));

export function certManagerCrds(): KubeObject[] {
  return SPECS.map((s) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${s.plural}.${s.group}`,
      labels: {
        app: 'cert-manager',
        'app.kubernetes.io/instance': 'cert-manager',
        'app.kubernetes.io/name': 'cert-manager',
        'app.kubernetes.io/version': CERT_MANAGER_VERSION,
      },
    },
    spec: {
      group: s.group,
      names: {
        categories: s.categories,
        kind: s.kind,
        listKind: `${s.kind}List`,
        plural: s.plural,
        ...(s.shortNames ? { shortNames: s.shortNames } : {}),
        singular: s.kind.toLowerCase(),
      },
      scope: s.scope,
      versions: [
        {
          additionalPrinterColumns: s.columns,
          name: 'v1',
          schema: {
            openAPIV3Schema: {
              description: `${s.kind} (cert-manager ${CERT_MANAGER_VERSION}; schema trimmed in the sandbox).`,
              type: 'object',
              ...(s.group === 'acme.cert-manager.io' ? { required: ['metadata', 'spec'] } : {}),
              properties: openResourceProperties(),
            },
          },
          served: true,
          storage: true,
          subresources: { status: {} },
        },
      ],
    },
  }));
}
