/**
 * The trust policy of an IRSA role (a service account of one cluster assumes it through the
 * cluster's OIDC provider), and whether a role's trust already allows that.
 */
import type { IamRole, PolicyDocument } from '../ports/IamGateway';

export function irsaTrust(
  accountId: string,
  issuer: string,
  serviceAccount: string,
): PolicyDocument {
  const host = issuer.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${host}:sub`]: `system:serviceaccount:${serviceAccount}`,
            [`${host}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

/** Whether the role's trust lets this service account of the cluster with this OIDC issuer assume it. */
export function trustsServiceAccount(
  role: IamRole,
  oidcIssuer: string | undefined,
  serviceAccount: string,
): boolean {
  const host = oidcIssuer?.replace(/^https:\/\//, '');
  if (!host) return false;
  const sub = `system:serviceaccount:${serviceAccount}`;
  const statements = role.trustPolicy['Statement'];
  return (Array.isArray(statements) ? statements : [statements]).some((s) => {
    const st = s as {
      Effect?: string;
      Principal?: { Federated?: unknown };
      Condition?: Record<string, Record<string, unknown>>;
    };
    if (st?.Effect !== 'Allow') return false;
    const fed = st.Principal?.Federated;
    if (typeof fed !== 'string' || !fed.endsWith(`oidc-provider/${host}`)) return false;
    return Object.values(st.Condition ?? {}).some((c) => {
      const v = c?.[`${host}:sub`];
      return v === sub || (Array.isArray(v) && v.includes(sub));
    });
  });
}
