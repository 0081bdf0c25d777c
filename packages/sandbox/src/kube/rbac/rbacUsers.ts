/**
 * Who may talk to a sandbox cluster's API server besides its creator. The creator's token (and
 * EKS tokens from the cluster's account) authenticate as `kubernetes-admin` in `system:masters`,
 * which kube-apiserver never asks RBAC about; the users a scenario names here authenticate with
 * their own token or access key and every request of theirs is authorized by RBAC.
 */
import { withDefaultGroups, type UserInfo } from './rbacAuthorizer';

export interface KubeRbacUser {
  /** Username: `jane`, `arn:aws:iam::111111111111:user/ci`, `system:serviceaccount:NS:NAME`. */
  name: string;
  /** Groups besides the ones kube-apiserver adds (system:authenticated, a service account's). */
  groups?: string[];
  /** A bearer token that authenticates as this user (kube-apiserver's static token file). */
  token?: string;
  /**
   * An access key whose EKS tokens (`aws eks get-token`) authenticate as this user, as an EKS
   * access entry maps an IAM principal to a username and groups.
   */
  accessKeyId?: string;
}

/** The cluster creator: superuser through system:masters, as on a kubeadm or EKS cluster. */
export const CLUSTER_CREATOR: UserInfo = {
  name: 'kubernetes-admin',
  groups: ['system:masters', 'system:authenticated'],
};

export function isSuperuser(user: UserInfo): boolean {
  return user.groups.includes('system:masters');
}

/** The named user a credential authenticates as, if any. */
export function rbacUserFor(
  users: KubeRbacUser[],
  credential: { token?: string; accessKeyId?: string },
): UserInfo | undefined {
  const u = users.find(
    (x) =>
      (credential.token !== undefined && x.token === credential.token) ||
      (credential.accessKeyId !== undefined && x.accessKeyId === credential.accessKeyId),
  );
  return u ? withDefaultGroups(u.name, u.groups) : undefined;
}
