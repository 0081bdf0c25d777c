/**
 * The part of kube-apiserver's bootstrap RBAC policy every authenticated user relies on: asking
 * what it may do (system:basic-user) and reading discovery and version documents
 * (system:discovery, system:public-info-viewer), as Kubernetes 1.31 defines them. The sandbox
 * applies them without storing them, so a fresh cluster's `kubectl get clusterroles` stays as
 * the scenario seeded it.
 */
import type { RbacObject } from './rbacAuthorizer';

const bootstrap = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

export const BOOTSTRAP_CLUSTER_ROLES: RbacObject[] = [
  {
    kind: 'ClusterRole',
    metadata: { name: 'system:basic-user', labels: bootstrap },
    rules: [
      {
        verbs: ['create'],
        apiGroups: ['authentication.k8s.io'],
        resources: ['selfsubjectreviews'],
      },
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      },
    ],
  },
  {
    kind: 'ClusterRole',
    metadata: { name: 'system:discovery', labels: bootstrap },
    rules: [
      {
        verbs: ['get'],
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      },
    ],
  },
  {
    kind: 'ClusterRole',
    metadata: { name: 'system:public-info-viewer', labels: bootstrap },
    rules: [
      {
        verbs: ['get'],
        nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
      },
    ],
  },
];

const authenticated = [
  { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' },
];

export const BOOTSTRAP_BINDINGS: RbacObject[] = [
  'system:basic-user',
  'system:discovery',
  'system:public-info-viewer',
].map((name) => ({
  kind: 'ClusterRoleBinding',
  metadata: { name, labels: bootstrap },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
  subjects: authenticated,
}));
