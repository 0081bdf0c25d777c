/**
 * Impersonation as kube-apiserver's filter does it (`kubectl --as`, `--as-group`): the
 * `Impersonate-User` and `Impersonate-Group` headers name who the request acts as, and the
 * requester must itself be allowed the `impersonate` verb on each (users, groups, or the
 * service account for `system:serviceaccount:NS:NAME`).
 */
import { parseServiceAccountUser, type RequestAttributes, type UserInfo } from './rbacAuthorizer';

export interface Impersonation {
  user?: string;
  groups: string[];
  uid?: string;
}

type Headers = Record<string, string | string[] | undefined>;

const all = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** The impersonation a request asks for, or undefined when it asks for none. */
export function requestedImpersonation(headers: Headers): Impersonation | undefined {
  const user = all(headers['impersonate-user'])[0];
  const groups = all(headers['impersonate-group']);
  const uid = all(headers['impersonate-uid'])[0];
  if (user === undefined && groups.length === 0 && uid === undefined) return undefined;
  return { user, groups, uid };
}

/**
 * What the requester must be allowed, in the filter's order; the first refused one answers 403
 * in its terms (`users "jane" is forbidden: User "x" cannot impersonate resource "users" ...`).
 */
export function impersonationChecks(imp: Impersonation): RequestAttributes[] {
  const checks: RequestAttributes[] = [];
  if (imp.user !== undefined) {
    const sa = parseServiceAccountUser(imp.user);
    checks.push(
      sa
        ? { verb: 'impersonate', group: '', resource: 'serviceaccounts', ...sa }
        : { verb: 'impersonate', group: '', resource: 'users', name: imp.user },
    );
  }
  for (const g of imp.groups)
    checks.push({ verb: 'impersonate', group: '', resource: 'groups', name: g });
  if (imp.uid !== undefined)
    checks.push({
      verb: 'impersonate',
      group: 'authentication.k8s.io',
      resource: 'uids',
      name: imp.uid,
    });
  return checks;
}

/**
 * Who the request then is: the named user and groups; a service account without named groups
 * gets its fixed ones; everyone but system:anonymous is in system:authenticated. Undefined when
 * groups are named without a user, which kube-apiserver refuses.
 */
export function impersonatedUser(imp: Impersonation): UserInfo | undefined {
  if (imp.user === undefined) return undefined;
  const sa = parseServiceAccountUser(imp.user);
  const groups =
    sa && imp.groups.length === 0
      ? ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`]
      : [...imp.groups];
  if (imp.user !== 'system:anonymous' && !groups.includes('system:authenticated'))
    groups.push('system:authenticated');
  return { name: imp.user, groups };
}
