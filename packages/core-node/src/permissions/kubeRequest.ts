/**
 * A Kubernetes API request as RBAC sees it: the verb and (group, resource, subresource) the API
 * server authorizes a (method, path) by, or the non-resource path (discovery, /version), which
 * every authenticated user may read (the built-in system:discovery ClusterRole).
 */
export type KubeRequestAttributes =
  | {
      kind: 'resource';
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { kind: 'nonResource'; verb: string; path: string };

export interface KubeRule {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  resourceNames?: readonly string[];
}

export function kubeRequestAttributes(
  method: string,
  pathWithQuery: string,
): KubeRequestAttributes {
  const [path = '', query = ''] = pathWithQuery.split('?');
  const parts = path.split('/').filter(Boolean);
  const lower = method.toLowerCase();
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'nonResource', verb: lower, path };
  }
  if (rest.length === 0) return { kind: 'nonResource', verb: lower, path };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource = '', name, subresource] = rest;
  const params = new URLSearchParams(query);
  const watch = params.get('watch') === 'true' || params.get('watch') === '1';
  const verb =
    lower === 'get'
      ? name
        ? 'get'
        : watch
          ? 'watch'
          : 'list'
      : lower === 'post'
        ? 'create'
        : lower === 'put'
          ? 'update'
          : lower === 'delete' && !name
            ? 'deletecollection'
            : lower;
  return {
    kind: 'resource',
    verb,
    group,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

/** Whether RBAC rules allow a request (as the API server's rule resolution matches them). */
export function kubeRulesAllow(rules: readonly KubeRule[], req: KubeRequestAttributes): boolean {
  if (req.kind === 'nonResource') return req.verb === 'get';
  const resource = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  return rules.some(
    (r) =>
      (r.verbs.includes(req.verb) || r.verbs.includes('*')) &&
      (r.apiGroups.includes(req.group) || r.apiGroups.includes('*')) &&
      (r.resources.includes(resource) || r.resources.includes('*')) &&
      (!r.resourceNames?.length || (req.name !== undefined && r.resourceNames.includes(req.name))),
  );
}
