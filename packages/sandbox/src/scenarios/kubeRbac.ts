/**
 * The `rbac` scenario option: per cluster, the users (and service accounts) that may talk to its
 * Kubernetes API server besides the creator, and RBAC objects to create. Those users' requests,
 * like every impersonated (`kubectl --as`) one, are authorized by the cluster's Roles,
 * ClusterRoles and bindings; the creator stays cluster-admin, so scenarios without the option
 * behave as before. Separate from the AWS-side `authorization` setting (IAM evaluation).
 *
 * ```ts
 * new Sandbox({ scenario: 'demo', scenarioOptions: { rbac: { 'ml-prod-use1': {
 *   users: [{ name: 'reader', token: 'reader-token', groups: ['hyperpod:readonly'] }],
 *   objects: parseAllDocuments(readFileSync('permissions/kubernetes/hyperpod-readonly.yaml')),
 * } } } });
 * ```
 */
import type { Sandbox } from '../Sandbox';
import type { KubeRbacUser } from '../kube/rbac/rbacUsers';
import type { KubeObject } from '../kube/types';

export interface ClusterRbacSetting {
  users?: KubeRbacUser[];
  /** Roles, ClusterRoles and bindings to create (any kind the cluster serves is accepted). */
  objects?: KubeObject[];
}

/** Cluster name (or ARN) → its setting. */
export type RbacSetting = Record<string, ClusterRbacSetting>;

/** Applies `options.rbac` once the scenario's clusters exist; a cluster it names must exist. */
export function applyRbacSetting(sb: Sandbox, options: Record<string, unknown>): void {
  const setting = options.rbac as RbacSetting | undefined;
  if (setting === undefined) return;
  if (typeof setting !== 'object' || setting === null || Array.isArray(setting))
    throw new Error('sandbox: the rbac option maps cluster names to { users, objects }');
  for (const [cluster, s] of Object.entries(setting)) {
    const kube = sb.kube(cluster);
    for (const o of s.objects ?? []) kube.create(o);
    if (s.users) kube.setRbacUsers(s.users);
  }
}
