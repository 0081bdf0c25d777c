export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/**
 * Built-in resources at their GA group versions, served by every Kubernetes version EKS runs:
 * reading one needs no discovery round trip first. Anything else goes through discovery.
 */
export const BUILT_IN_RESOURCES: ReadonlyMap<string, ApiResource> = new Map(
  (
    [
      ['v1', 'ConfigMap', 'configmaps', true],
      ['v1', 'Namespace', 'namespaces', false],
      ['v1', 'Secret', 'secrets', true],
      ['v1', 'Service', 'services', true],
      ['v1', 'ServiceAccount', 'serviceaccounts', true],
      ['apps/v1', 'DaemonSet', 'daemonsets', true],
      ['apps/v1', 'Deployment', 'deployments', true],
      ['apps/v1', 'ReplicaSet', 'replicasets', true],
      ['apps/v1', 'StatefulSet', 'statefulsets', true],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
      ['coordination.k8s.io/v1', 'Lease', 'leases', true],
      ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
      ['storage.k8s.io/v1', 'CSIDriver', 'csidrivers', false],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
      ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
      ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
      [
        'admissionregistration.k8s.io/v1',
        'MutatingWebhookConfiguration',
        'mutatingwebhookconfigurations',
        false,
      ],
      [
        'admissionregistration.k8s.io/v1',
        'ValidatingWebhookConfiguration',
        'validatingwebhookconfigurations',
        false,
      ],
      ['apiregistration.k8s.io/v1', 'APIService', 'apiservices', false],
    ] as const
  ).map(([apiVersion, kind, name, namespaced]) => [
    `${apiVersion} ${kind}`,
    { name, kind, namespaced },
  ]),
);
