import {
  authorize,
  clusterRoleRules,
  rulesFor,
  ruleAllows,
  withDefaultGroups,
  type RbacObject,
  type RbacPolicy,
} from './rbacAuthorizer';

const RBAC = 'rbac.authorization.k8s.io';
const policy = (p: Partial<RbacPolicy>): RbacPolicy => ({
  roles: [],
  clusterRoles: [],
  roleBindings: [],
  clusterRoleBindings: [],
  ...p,
});
const clusterRole = (name: string, rules: RbacObject['rules'], labels?: Record<string, string>) =>
  ({ kind: 'ClusterRole', metadata: { name, labels }, rules }) as RbacObject;
const role = (ns: string, name: string, rules: RbacObject['rules']) =>
  ({ kind: 'Role', metadata: { name, namespace: ns }, rules }) as RbacObject;
const binding = (
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleRef: { kind: string; name: string },
  subjects: RbacObject['subjects'],
  namespace?: string,
) =>
  ({
    kind,
    metadata: { name, namespace },
    roleRef: { apiGroup: RBAC, ...roleRef },
    subjects,
  }) as RbacObject;

const sa = withDefaultGroups('system:serviceaccount:team-a:deployer');
const jane = withDefaultGroups('jane', ['ml-engineers']);

describe('RBAC rule matching', () => {
  it('matches verbs, groups and resources exactly or by *, and nothing else', () => {
    const rule = { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] };
    expect(ruleAllows({ verb: 'list', group: 'apps', resource: 'deployments' }, rule)).toBe(true);
    expect(ruleAllows({ verb: 'delete', group: 'apps', resource: 'deployments' }, rule)).toBe(
      false,
    );
    expect(ruleAllows({ verb: 'list', group: '', resource: 'deployments' }, rule)).toBe(false);
    expect(ruleAllows({ verb: 'list', group: 'apps', resource: 'daemonsets' }, rule)).toBe(false);
    const any = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
    expect(ruleAllows({ verb: 'escalate', group: 'x.io', resource: 'y' }, any)).toBe(true);
  });

  it('treats a subresource as resource/subresource, matched by */subresource, not by the resource alone', () => {
    const base = { verbs: ['update'], apiGroups: ['apps'] };
    const scale = { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale' };
    expect(ruleAllows(scale, { ...base, resources: ['deployments'] })).toBe(false);
    expect(ruleAllows(scale, { ...base, resources: ['deployments/scale'] })).toBe(true);
    expect(ruleAllows(scale, { ...base, resources: ['*/scale'] })).toBe(true);
    expect(ruleAllows(scale, { ...base, resources: ['*/status'] })).toBe(false);
  });

  it('limits a rule with resourceNames to requests naming one of them (a list names none)', () => {
    const rule = {
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['aws-auth'],
    };
    const get = { verb: 'get', group: '', resource: 'configmaps', namespace: 'kube-system' };
    expect(ruleAllows({ ...get, name: 'aws-auth' }, rule)).toBe(true);
    expect(ruleAllows({ ...get, name: 'coredns' }, rule)).toBe(false);
    expect(ruleAllows({ ...get, verb: 'list' }, rule)).toBe(false);
  });

  it('matches non-resource URLs exactly or by a trailing *', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    expect(ruleAllows({ verb: 'get', path: '/healthz' }, rule)).toBe(true);
    expect(ruleAllows({ verb: 'get', path: '/apis/apps/v1' }, rule)).toBe(true);
    expect(ruleAllows({ verb: 'get', path: '/metrics' }, rule)).toBe(false);
    expect(ruleAllows({ verb: 'post', path: '/healthz' }, rule)).toBe(false);
  });
});

describe('RBAC bindings', () => {
  const readPods = clusterRole('pod-reader', [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
  ]);
  const listPods = { verb: 'list', group: '', resource: 'pods', namespace: 'team-a' };

  it('allows nothing to a user no binding names, but lets every authenticated user ask', () => {
    const p = policy({ clusterRoles: [readPods] });
    expect(authorize(p, sa, listPods)).toEqual({ allowed: false });
    expect(
      authorize(p, sa, {
        verb: 'create',
        group: 'authorization.k8s.io',
        resource: 'selfsubjectaccessreviews',
      }).allowed,
    ).toBe(true);
    expect(authorize(p, sa, { verb: 'get', path: '/version' }).allowed).toBe(true);
  });

  it('grants a ClusterRole everywhere through a ClusterRoleBinding, with kube-apiserver’s reason', () => {
    const p = policy({
      clusterRoles: [readPods],
      clusterRoleBindings: [
        binding('ClusterRoleBinding', 'readers', { kind: 'ClusterRole', name: 'pod-reader' }, [
          { kind: 'Group', apiGroup: RBAC, name: 'ml-engineers' },
        ]),
      ],
    });
    expect(authorize(p, jane, listPods)).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "pod-reader" to Group "ml-engineers"',
    });
    expect(authorize(p, jane, { ...listPods, namespace: undefined }).allowed).toBe(true);
    expect(authorize(p, sa, listPods).allowed).toBe(false);
  });

  it('grants a Role or a ClusterRole through a RoleBinding in its namespace only', () => {
    const p = policy({
      clusterRoles: [readPods],
      roles: [
        role('team-a', 'cm-editor', [{ verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }]),
      ],
      roleBindings: [
        binding(
          'RoleBinding',
          'deployer-pods',
          { kind: 'ClusterRole', name: 'pod-reader' },
          [{ kind: 'ServiceAccount', name: 'deployer' }],
          'team-a',
        ),
        binding(
          'RoleBinding',
          'deployer-cm',
          { kind: 'Role', name: 'cm-editor' },
          [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'team-a' }],
          'team-a',
        ),
      ],
    });
    expect(authorize(p, sa, listPods)).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "deployer-pods/team-a" of ClusterRole "pod-reader" to ServiceAccount "deployer/team-a"',
    });
    expect(authorize(p, sa, { ...listPods, namespace: 'team-b' }).allowed).toBe(false);
    expect(authorize(p, sa, { ...listPods, namespace: undefined }).allowed).toBe(false);
    expect(
      authorize(p, sa, {
        verb: 'delete',
        group: '',
        resource: 'configmaps',
        namespace: 'team-a',
        name: 'x',
      }).allowed,
    ).toBe(true);
    // A RoleBinding never grants non-resource URLs.
    expect(authorize(p, sa, { verb: 'get', path: '/metrics' }).allowed).toBe(false);
  });

  it('matches service accounts by their groups, and a Role of another namespace not at all', () => {
    const p = policy({
      roles: [role('team-b', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }])],
      clusterRoles: [readPods],
      clusterRoleBindings: [
        binding('ClusterRoleBinding', 'all-sas', { kind: 'ClusterRole', name: 'pod-reader' }, [
          { kind: 'Group', name: 'system:serviceaccounts:team-a' },
        ]),
      ],
      roleBindings: [
        binding(
          'RoleBinding',
          'cross',
          { kind: 'Role', name: 'r' },
          [{ kind: 'User', name: 'jane' }],
          'team-a',
        ),
      ],
    });
    expect(authorize(p, sa, listPods).allowed).toBe(true);
    expect(authorize(p, jane, listPods).allowed).toBe(false);
    expect(
      authorize(p, jane, {
        verb: 'get',
        group: '',
        resource: 'secrets',
        namespace: 'team-a',
        name: 's',
      }).allowed,
    ).toBe(false);
  });

  it('reads an aggregated ClusterRole as the union of the ClusterRoles its selectors pick', () => {
    const view = {
      kind: 'ClusterRole',
      metadata: { name: 'view' },
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { 'rbac.example/aggregate-to-view': 'true' } }],
      },
      rules: [],
    } as RbacObject;
    const part = clusterRole(
      'view-deployments',
      [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }],
      {
        'rbac.example/aggregate-to-view': 'true',
      },
    );
    const other = clusterRole('other', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    const p = policy({
      clusterRoles: [view, part, other],
      clusterRoleBindings: [
        binding('ClusterRoleBinding', 'v', { kind: 'ClusterRole', name: 'view' }, [
          { kind: 'User', name: 'jane' },
        ]),
      ],
    });
    expect(clusterRoleRules(p, view)).toEqual(part.rules);
    expect(
      authorize(p, jane, {
        verb: 'get',
        group: 'apps',
        resource: 'deployments',
        namespace: 'x',
        name: 'd',
      }).allowed,
    ).toBe(true);
    expect(
      authorize(p, jane, {
        verb: 'delete',
        group: 'apps',
        resource: 'deployments',
        namespace: 'x',
        name: 'd',
      }).allowed,
    ).toBe(false);
  });

  it('lists the rules that count in a namespace for a rules review', () => {
    const p = policy({
      clusterRoles: [readPods],
      roleBindings: [
        binding(
          'RoleBinding',
          'b',
          { kind: 'ClusterRole', name: 'pod-reader' },
          [{ kind: 'ServiceAccount', name: 'deployer' }],
          'team-a',
        ),
      ],
    });
    const inA = rulesFor(p, sa, 'team-a');
    expect(inA.resourceRules).toContainEqual({
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['pods'],
    });
    expect(inA.resourceRules).toContainEqual({
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    });
    expect(inA.nonResourceRules.some((r) => r.nonResourceURLs?.includes('/version'))).toBe(true);
    expect(rulesFor(p, sa, 'team-b').resourceRules.some((r) => r.resources?.includes('pods'))).toBe(
      false,
    );
  });
});
