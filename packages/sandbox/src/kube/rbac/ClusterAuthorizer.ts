/**
 * Who may do what on one sandbox cluster: the creator (system:masters) may do anything but the
 * permissions a test took away with denyAccess; named users and impersonated requests get what
 * the cluster's RBAC objects grant.
 */
import {
  authorize as authorizeRbac,
  type Decision,
  type RbacPolicy,
  type RequestAttributes,
  type UserInfo,
} from './rbacAuthorizer';
import { isSuperuser, rbacUserFor, type KubeRbacUser } from './rbacUsers';

/** What a request asks to do, as an authorizer sees it (SubjectAccessReview resourceAttributes). */
export interface AccessAttributes {
  verb: string;
  /** API group, '' for the core group. */
  group: string;
  /** Plural resource name. */
  resource: string;
  subresource?: string;
  /** Undefined for cluster-scoped requests and lists across all namespaces. */
  namespace?: string;
  name?: string;
}

/**
 * A permission the sandbox user lacks. `verb`, `group` and `resource` may be `*`; `resource` may
 * name a subresource (`deployments/scale`). Without `namespace` it holds in every namespace.
 */
export interface AccessDenial {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export class ClusterAuthorizer {
  private denials: AccessDenial[] = [];
  private rbacUsers: KubeRbacUser[] = [];

  /** `policy` reads the cluster's stored Roles, ClusterRoles and bindings. */
  constructor(private readonly policy: () => RbacPolicy) {}

  /**
   * Takes a permission away from the API server's user (the cluster creator, otherwise
   * cluster-admin): matching requests get 403 Forbidden and SelfSubjectAccessReviews answer not
   * allowed. Programmatic calls on this object are not subject to it.
   */
  denyAccess(denial: AccessDenial): void {
    this.denials.push({ ...denial });
  }

  /** Gives back every permission taken by denyAccess. */
  clearAccessDenials(): void {
    this.denials = [];
  }

  /**
   * Whether the API server's user may do this. A request without a namespace (cluster scope, or a
   * list across namespaces) is refused when any namespace is denied, as RBAC would.
   */
  allows(a: AccessAttributes): boolean {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return !this.denials.some(
      (d) =>
        (d.verb === '*' || d.verb === a.verb) &&
        (d.group === '*' || d.group === a.group) &&
        (d.resource === '*' || d.resource === resource) &&
        (d.namespace === undefined || a.namespace === undefined || d.namespace === a.namespace) &&
        (d.name === undefined || d.name === a.name),
    );
  }

  /**
   * Names the users (and service accounts) that may authenticate besides the creator; their
   * requests, like every impersonated one, are authorized by the cluster's RBAC objects.
   */
  setRbacUsers(users: KubeRbacUser[]): void {
    this.rbacUsers = users.map((u) => ({ ...u, groups: u.groups && [...u.groups] }));
  }

  /** The named user a bearer token or an EKS token's access key authenticates as. */
  rbacUser(credential: { token?: string; accessKeyId?: string }): UserInfo | undefined {
    return rbacUserFor(this.rbacUsers, credential);
  }

  /**
   * Whether `user` may make the request: system:masters (the creator) may do anything but what
   * denyAccess took away, and may always ask what it may do; anyone else gets what RBAC grants.
   */
  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (isSuperuser(user)) {
      const allowed =
        a.resource === undefined ||
        a.group === 'authorization.k8s.io' ||
        this.allows({ ...a, group: a.group ?? '', resource: a.resource });
      return allowed
        ? { allowed, reason: 'sandbox: the cluster creator is cluster-admin' }
        : { allowed };
    }
    return authorizeRbac(this.policy(), user, a);
  }
}
