/** authorization.k8s.io's access reviews, as kube-apiserver answers them. */
import type { KubeCluster } from './KubeCluster';
import { KubeStatusError } from './KubeStatusError';
import { groupVersion, type ResourceType } from './ResourceTypes';
import { isPlainObject } from './managedFields';
import { rulesFor, type RequestAttributes, type UserInfo } from './rbac/rbacAuthorizer';
import { isSuperuser } from './rbac/rbacUsers';
import type { KubeObject } from './types';

/**
 * authorization.k8s.io reviews, answered by the same authorizer as requests: Self* reviews for the
 * requesting (or impersonated) user, SubjectAccessReview for the user and groups it names.
 */
export function accessReview(
  rt: ResourceType,
  body: unknown,
  cluster: KubeCluster,
  requester: UserInfo,
): KubeObject {
  if (!isPlainObject(body) || body.kind !== rt.kind)
    throw KubeStatusError.badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind})`,
    );
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  let status: Record<string, unknown>;
  if (rt.kind === 'SelfSubjectRulesReview') {
    const all = isSuperuser(requester);
    const rules = all ? undefined : rulesFor(cluster.rbacPolicy(), requester, str(spec.namespace));
    status = {
      resourceRules: rules?.resourceRules ?? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: rules?.nonResourceRules ?? [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  } else {
    const user: UserInfo =
      rt.kind === 'SubjectAccessReview'
        ? {
            name: str(spec.user) ?? '',
            groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
          }
        : requester;
    const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    const nra = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
    const attrs: RequestAttributes | undefined = ra
      ? {
          verb: str(ra.verb) ?? '',
          group: str(ra.group) ?? '',
          resource: str(ra.resource) ?? '',
          subresource: str(ra.subresource),
          namespace: str(ra.namespace),
          name: str(ra.name),
        }
      : nra
        ? { verb: str(nra.verb) ?? '', path: str(nra.path) ?? '' }
        : undefined;
    if (!attrs)
      throw KubeStatusError.invalid(rt.kind, rt.group, '', [
        {
          field: 'spec.resourceAttributes',
          type: 'Invalid value',
          detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified',
          value: '',
        },
      ]);
    const decision = cluster.authorize(user, attrs);
    // RBAC gives no reason when nothing grants the permission.
    status = decision.reason
      ? { allowed: decision.allowed, reason: decision.reason }
      : { allowed: decision.allowed };
  }
  return {
    apiVersion: groupVersion(rt),
    kind: rt.kind,
    metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'],
    spec: body.spec ?? {},
    status,
  };
}
