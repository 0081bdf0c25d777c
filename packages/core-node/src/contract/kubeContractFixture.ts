/** What the KubeGateway contract runs on, and the objects it writes. */
import type { KubeGateway, KubeObject, KubeRef } from '@hyperpod/core';

export interface KubeContractFixture {
  gateway: KubeGateway;
  /** The cluster's Kubernetes minor version, e.g. `1.31`. */
  kubernetesVersion: string;
  /** Creates objects (namespaces first when given). */
  seed(objects: KubeObject[]): Promise<void>;
  /** A gateway to the same cluster with a token the server refuses. */
  unauthenticated(): Promise<KubeGateway>;
  /** Takes a permission away from the gateway's user (RBAC would refuse it). */
  denyAccess(denial: { verb: string; group: string; resource: string; namespace?: string }): void;
  /** Gives back every permission denyAccess took. */
  clearAccessDenials(): void;
  teardown(): Promise<void>;
}

export const ns = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});
export const configMap = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { 'config.yaml': `name: ${name}\n` },
});

/** A leader-election Lease as client-go's LeaseLock writes it (MicroTime timestamps). */
export const lease = (namespace: string, name: string, holder: string): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace },
  spec: {
    holderIdentity: holder,
    leaseDurationSeconds: 60,
    acquireTime: '2025-06-01T10:00:00.000000Z',
    renewTime: '2025-06-01T10:00:00.000000Z',
    leaseTransitions: 0,
  },
});
/** The namespace the write tests write in. */
export const W = 'contract-w';
export const cmRef = (name: string): KubeRef => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: W,
  name,
});

/** A namespaced CRD serving `group/v1` `kind`, its objects' fields unchecked. */
export const customResourceDefinition = (
  group: string,
  kind: string,
  plural: string,
): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    ],
  },
});
