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
  const context = requestTagContext(req);
  const out: AuthorizationRequest[] = resourcesOf(req, operation).map((resource) => ({
    action,
    resource,
    ...(context ? { context } : {}),
  }));
  if (prefix === 'eks' && (operation === 'CreateAddon' || operation === 'UpdateAddon')) {
    for (const role of passedRoles(jsonBody(req)))
      out.push({
        action: 'iam:PassRole',
        resource: role,
        context: { 'iam:PassedToService': 'eks.amazonaws.com' },
      });
  }
  return out;
}

/** The roles an add-on call hands to EKS: its IRSA role and its pod identity associations' roles. */
function passedRoles(body: Record<string, unknown>): string[] {
  const roles = new Set<string>();
  if (typeof body['serviceAccountRoleArn'] === 'string') roles.add(body['serviceAccountRoleArn']);
  const assocs = body['podIdentityAssociations'];
  for (const a of Array.isArray(assocs) ? (assocs as { roleArn?: unknown }[]) : [])
    if (typeof a?.roleArn === 'string') roles.add(a.roleArn);
  return [...roles];
}

/** ELBv2 acts on every ARN a call lists; each needs the permission. */
function resourcesOf(req: AwsRequest, operation: string): string[] {
  if (req.service === 'elasticloadbalancing') {
    const arns = membersOf(formBody(req), 'ResourceArns');
    if (arns.length) return arns;
  }
  return [resourceOf(req, operation)];
}

/**
 * `aws:RequestTag/<key>` and `aws:TagKeys` from the tags a call sets or removes (IAM CreateRole and
 * TagRole, ELBv2 AddTags and RemoveTags, ACM Add/RemoveTags, EKS CreateAddon…).
 */
function requestTagContext(req: AwsRequest): Record<string, string | string[]> | undefined {
  const tags: Record<string, string> = {};
  const keys: string[] = [];
  if (req.service === 'iam' || req.service === 'elasticloadbalancing') {
    const form = formBody(req);
    for (const [k, v] of form) {
      const m = /^Tags\.member\.(\d+)\.Key$/.exec(k);
      if (!m) continue;
      keys.push(v);
      const value = form.get(`Tags.member.${m[1]}.Value`);
      if (value !== null) tags[v] = value;
    }
    keys.push(...membersOf(form, 'TagKeys'));
  } else if (req.service === 'eks') {
    // CreateAddon and TagResource carry a `tags` map.
    const map = jsonBody(req)['tags'];
    if (typeof map === 'object' && map !== null && !Array.isArray(map))
      for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
        keys.push(k);
        if (typeof v === 'string') tags[k] = v;
      }
  } else if (req.service === 'acm') {
    const list = jsonBody(req)['Tags'];
    for (const t of Array.isArray(list) ? (list as { Key?: unknown; Value?: unknown }[]) : []) {
      if (typeof t.Key !== 'string') continue;
      keys.push(t.Key);
      if (typeof t.Value === 'string') tags[t.Key] = t.Value;
    }
  }
  if (!keys.length) return undefined;
  return {
    'aws:TagKeys': keys,
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  };
}

function membersOf(form: URLSearchParams, name: string): string[] {
  return [...form]
    .filter(([k]) => new RegExp(`^${name}\\.member\\.\\d+$`).test(k))
    .map(([, v]) => v);
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
      // The role, user or policy the call acts on (a role's policy calls act on the role).
      const form = formBody(req);
      const role = form.get('RoleName');
      if (role) return `arn:aws:iam::${accountId}:role/${role}`;
      const user = form.get('UserName');
      if (user) return `arn:aws:iam::${accountId}:user/${user}`;
      if (operation === 'SimulatePrincipalPolicy') return form.get('PolicySourceArn') ?? '*';
      const policy = form.get('PolicyArn');
      if (policy) return policy;
      const policyName = form.get('PolicyName');
      if (operation === 'CreatePolicy' && policyName)
        return `arn:aws:iam::${accountId}:policy${form.get('Path') ?? '/'}${policyName}`;
      return '*';
    }
    case 's3': {
      const [bucket, ...key] = req.path.replace(/^\//, '').split('/');
      if (!bucket) return '*';
      return key.length ? `arn:aws:s3:::${bucket}/${key.join('/')}` : `arn:aws:s3:::${bucket}`;
    }
    case 'acm': {
      const arn = jsonBody(req)['CertificateArn'];
      return typeof arn === 'string' ? arn : '*';
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
