/**
 * Kubernetes RBAC as kube-apiserver's authorizer evaluates it, as pure functions over the stored
 * Roles, ClusterRoles and their bindings: rules (verbs, apiGroups, resources with subresources,
 * resourceNames, nonResourceURLs, `*` wildcards), aggregated ClusterRoles (matchLabels
 * selectors), RoleBindings to Roles or ClusterRoles, and User / Group / ServiceAccount subjects.
 * Allow-only, as RBAC is: a request is allowed when some binding that applies to the user grants
 * a rule that matches it.
 */
import { BOOTSTRAP_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './bootstrapPolicy';

/** Who a request is from, once authenticated (and impersonated). */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** What a request does, in the authorizer's terms. */
export interface RequestAttributes {
  verb: string;
  /** API group, '' for the core group. Absent for non-resource requests. */
  group?: string;
  /** Plural resource. Absent for non-resource requests. */
  resource?: string;
  subresource?: string;
  /** Undefined for cluster-scoped requests and lists across all namespaces. */
  namespace?: string;
  name?: string;
  /** A non-resource request's path (`/healthz`), when `resource` is absent. */
  path?: string;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** The parts of the rbac.authorization.k8s.io objects the authorizer reads. */
export interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] };
  roleRef?: { kind: string; name: string; apiGroup?: string };
  subjects?: Subject[] | null;
}

export interface RbacPolicy {
  roles: RbacObject[];
  clusterRoles: RbacObject[];
  roleBindings: RbacObject[];
  clusterRoleBindings: RbacObject[];
}

export interface Decision {
  allowed: boolean;
  /** kube-apiserver's reason (`RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`); none when denied. */
  reason?: string;
}

/** A service account's username. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The namespace and name of a service account username, or undefined for any other user. */
export function parseServiceAccountUser(
  user: string,
): { namespace: string; name: string } | undefined {
  const m = user.match(/^system:serviceaccount:([^:]+):([^:]+)$/);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/** The groups kube-apiserver's authenticators give a user on top of the ones it names. */
export function withDefaultGroups(name: string, groups: string[] = []): UserInfo {
  const sa = parseServiceAccountUser(name);
  const extra = sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`] : [];
  const all = [...groups, ...extra.filter((g) => !groups.includes(g))];
  if (name !== 'system:anonymous' && !all.includes('system:authenticated'))
    all.push('system:authenticated');
  return { name, groups: all };
}

export function appliesTo(user: UserInfo, subject: Subject, bindingNamespace?: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // A RoleBinding's unqualified service account is one of the binding's namespace.
      const ns = subject.namespace || bindingNamespace;
      return !!ns && user.name === serviceAccountUser(ns, subject.name);
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace?: string): string {
  if (s.kind === 'ServiceAccount')
    return `${s.kind} "${s.name}/${s.namespace || bindingNamespace || ''}"`;
  return `${s.kind} "${s.name}"`;
}

const has = (list: string[] | undefined, v: string) =>
  (list ?? []).some((x) => x === '*' || x === v);

/** rbac/v1 RuleAllows for a resource or non-resource request. */
export function ruleAllows(a: RequestAttributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.resource === undefined) {
    const path = a.path ?? '';
    return (rule.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.group ?? '')) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceOk = (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (!!a.subresource && r === `*/${a.subresource}`),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

function labelsMatch(labels: Record<string, string> | undefined, want: Record<string, string>) {
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

/**
 * A ClusterRole's rules; an aggregated one's are those of every ClusterRole its selectors pick
 * (kube-controller-manager writes them into `rules`; the sandbox runs no such controller, so they
 * are read through).
 */
export function clusterRoleRules(policy: RbacPolicy, role: RbacObject): PolicyRule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors?.length) return role.rules ?? [];
  const picked = policy.clusterRoles.filter(
    (c) =>
      c !== role &&
      !c.aggregationRule?.clusterRoleSelectors?.length &&
      selectors.some((s) => labelsMatch(c.metadata.labels, s.matchLabels ?? {})),
  );
  return [...(role.rules ?? []), ...picked.flatMap((c) => c.rules ?? [])];
}

interface Grant {
  rules: PolicyRule[];
  /** How kube-apiserver names the binding in its reason. */
  describe: (s: Subject) => string;
  subjects: Subject[];
  namespace?: string;
}

function roleRules(policy: RbacPolicy, binding: RbacObject): PolicyRule[] {
  const ref = binding.roleRef;
  if (!ref) return [];
  if (ref.kind === 'ClusterRole') {
    const role = policy.clusterRoles.find((c) => c.metadata.name === ref.name);
    return role ? clusterRoleRules(policy, role) : [];
  }
  if (ref.kind === 'Role' && binding.metadata.namespace) {
    const role = policy.roles.find(
      (r) => r.metadata.name === ref.name && r.metadata.namespace === binding.metadata.namespace,
    );
    return role?.rules ?? [];
  }
  return [];
}

/** The bindings that count for a request in `namespace` (cluster-wide ones always). */
function grants(stored: RbacPolicy, namespace: string | undefined): Grant[] {
  // The bootstrap roles every cluster has (discovery, self reviews) are not stored objects here.
  const policy = { ...stored, clusterRoles: [...stored.clusterRoles, ...BOOTSTRAP_CLUSTER_ROLES] };
  const cluster = [...BOOTSTRAP_BINDINGS, ...policy.clusterRoleBindings].map((b): Grant => ({
    rules: roleRules(policy, b),
    subjects: b.subjects ?? [],
    describe: (s) =>
      `ClusterRoleBinding "${b.metadata.name}" of ${b.roleRef?.kind} "${b.roleRef?.name}" to ${describeSubject(s)}`,
  }));
  if (!namespace) return cluster;
  const local = policy.roleBindings
    .filter((b) => b.metadata.namespace === namespace)
    .map((b): Grant => ({
      rules: roleRules(policy, b),
      subjects: b.subjects ?? [],
      namespace,
      describe: (s) =>
        `RoleBinding "${b.metadata.name}/${namespace}" of ${b.roleRef?.kind} "${b.roleRef?.name}" to ${describeSubject(s, namespace)}`,
    }));
  return [...cluster, ...local];
}

/** Whether RBAC allows `user` the request, and which binding allowed it. */
export function authorize(policy: RbacPolicy, user: UserInfo, a: RequestAttributes): Decision {
  for (const g of grants(policy, a.resource === undefined ? undefined : a.namespace)) {
    const subject = g.subjects.find((s) => appliesTo(user, s, g.namespace));
    if (!subject) continue;
    // Non-resource URLs are granted by ClusterRoleBindings only.
    if (a.resource === undefined && g.namespace) continue;
    if (g.rules.some((r) => ruleAllows(a, r)))
      return { allowed: true, reason: `RBAC: allowed by ${g.describe(subject)}` };
  }
  return { allowed: false };
}

/** What a SelfSubjectRulesReview answers: every rule bound to `user` that counts in `namespace`. */
export function rulesFor(
  policy: RbacPolicy,
  user: UserInfo,
  namespace: string | undefined,
): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[] } {
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  for (const g of grants(policy, namespace)) {
    if (!g.subjects.some((s) => appliesTo(user, s, g.namespace))) continue;
    for (const r of g.rules) {
      if (r.nonResourceURLs?.length) {
        if (!g.namespace)
          nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
      } else
        resourceRules.push({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? [],
          resources: r.resources ?? [],
          ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
        });
    }
  }
  return { resourceRules, nonResourceRules };
}
