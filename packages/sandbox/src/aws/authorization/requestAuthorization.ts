/**
 * What IAM authorizes a sandbox request by: its action (`eks:DescribeAddon`; S3's HeadBucket is
 * `s3:ListBucket`), the resource ARN it acts on (`*` for actions without one), and the condition
 * keys the request itself carries. A request may need more than one authorization: an EKS add-on
 * given a service-account role also needs `iam:PassRole` on that role, passed to EKS.
 */
import type { AwsRequest } from '../types';
import type { AuthorizationRequest } from './evaluatePolicies';

/** IAM action names that differ from the operation name. */
const ACTION_OF: Readonly<Record<string, string>> = {
  's3:HeadBucket': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
};

export function authorizationsOf(req: AwsRequest, operation: string): AuthorizationRequest[] {
  const prefix = req.service;
  const action = ACTION_OF[`${prefix}:${operation}`] ?? `${prefix}:${operation}`;
  const first: AuthorizationRequest = { action, resource: resourceOf(req, operation) };
  const out = [first];
  if (prefix === 'eks' && (operation === 'CreateAddon' || operation === 'UpdateAddon')) {
    const role = jsonBody(req)['serviceAccountRoleArn'];
    if (typeof role === 'string')
      out.push({
        action: 'iam:PassRole',
        resource: role,
        context: { 'iam:PassedToService': 'eks.amazonaws.com' },
      });
  }
  return out;
}

function resourceOf(req: AwsRequest, operation: string): string {
  const { region, accountId } = req;
  switch (req.service) {
    case 'eks': {
      const m = /^\/clusters\/([^/]+)(?:\/addons\/([^/]+))?/.exec(req.path);
      if (!m) return '*';
      const cluster = m[1]!;
      const addon = m[2] ?? (operation === 'DescribeUpdate' ? req.query.get('addonName') : null);
      // The add-on ARN ends in an id the request does not carry; policies match it with `*`.
      return addon
        ? `arn:aws:eks:${region}:${accountId}:addon/${cluster}/${addon}/*`
        : `arn:aws:eks:${region}:${accountId}:cluster/${cluster}`;
    }
    case 'iam': {
      const name = formBody(req).get('RoleName');
      return name ? `arn:aws:iam::${accountId}:role/${name}` : '*';
    }
    case 's3': {
      const [bucket, ...key] = req.path.replace(/^\//, '').split('/');
      if (!bucket) return '*';
      return key.length ? `arn:aws:s3:::${bucket}/${key.join('/')}` : `arn:aws:s3:::${bucket}`;
    }
    case 'sts': {
      const role = formBody(req).get('RoleArn');
      return role ?? '*';
    }
    default:
      return '*';
  }
}

function formBody(req: AwsRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

function jsonBody(req: AwsRequest): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
