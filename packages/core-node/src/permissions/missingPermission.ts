/**
 * The one rule that turns a refusal into what to grant: an AWS AccessDenied /
 * AccessDeniedException / UnauthorizedOperation, a Kubernetes 403 or a not-allowed access review
 * becomes the missing permission (`iam:AttachRolePolicy on arn:aws:iam::…:role/x`, `create
 * deployments.apps in namespace x`) and the shipped file that grants it
 * (`permissions/iam/hyperpod-operate.json`, `permissions/kubernetes/hyperpod-operate.yaml`).
 * Every face renders `missingPermissionLine`; none decides this on its own.
 */
import type { KubeAccessQuery, SerializedGatewayError } from '@hyperpod/core';
import { AWS_OPERATIONS } from './awsOperations';
import { kubeRulesAllow } from './kubeRequest';
import { expandPermissionSet, type PermissionSetId } from './permissionSets';
import {
  clusterRoleRules,
  iamPolicy,
  PERMISSION_BUNDLES,
  type PermissionBundle,
} from './renderPermissionFiles';

export interface AwsPermission {
  kind: 'aws';
  /** `iam:AttachRolePolicy`. */
  action: string;
  /** The ARN it was refused on; undefined when the refusal did not say. */
  resource?: string;
}

export interface KubePermission extends KubeAccessQuery {
  kind: 'kube';
}

export type Permission = AwsPermission | KubePermission;

export interface PermissionGrant {
  /** The shipped bundle: `readonly`, `operate`, `install`. */
  bundle: PermissionBundle['name'];
  /** `permissions/iam/hyperpod-operate.json` or `permissions/kubernetes/hyperpod-operate.yaml`. */
  file: string;
  /** The IAM statement's Sid, or the ClusterRole's name. */
  statement: string;
}

export interface MissingPermission {
  permission: Permission;
  /** The shipped file that grants it; undefined when no shipped file does. */
  grantedBy?: PermissionGrant;
}

/**
 * Which shipped file to name: the smallest bundle that grants it, or with `forSet` (the action
 * being run: `migrate`) the smallest bundle that grants that whole action.
 */
export interface MissingPermissionOptions {
  forSet?: PermissionSetId;
}

/** The permission a refused call lacked, or undefined when the error is not a refusal. */
export function missingPermissionOfError(
  e: SerializedGatewayError,
  opts: MissingPermissionOptions = {},
): MissingPermission | undefined {
  if (e.kind !== 'AccessDenied') return undefined;
  const permission = e.service === 'kubernetes' ? kubeDenial(e) : awsDenial(e);
  return permission ? grantFor(permission, opts) : undefined;
}

/**
 * The permission a refusal quoted in free text names (a run's failure message, a journal line),
 * or undefined when the text quotes none.
 */
export function missingPermissionOfText(
  text: string,
  opts: MissingPermissionOptions = {},
): MissingPermission | undefined {
  const aws = AWS_DENIAL.exec(text);
  if (aws) {
    const resource = aws[2]?.replace(/[.;]$/, '');
    return grantFor(
      { kind: 'aws', action: aws[1]!, ...(resource && resource !== '*' ? { resource } : {}) },
      opts,
    );
  }
  const kube = kubeDenialOf(text);
  return kube ? grantFor(kube, opts) : undefined;
}

/** The missing permission with the shipped file that grants it. */
export function grantFor(
  permission: Permission,
  opts: MissingPermissionOptions = {},
): MissingPermission {
  const grantedBy = findGrant(permission, bundlesFor(opts.forSet));
  return grantedBy ? { permission, grantedBy } : { permission };
}

/** `iam:AttachRolePolicy on arn:aws:iam::1:role/x`, `create deployments.apps in namespace x`. */
export function permissionText(p: Permission): string {
  if (p.kind === 'aws') return p.resource ? `${p.action} on ${p.resource}` : p.action;
  const what =
    (p.group ? `${p.resource}.${p.group}` : p.resource) +
    (p.subresource ? `/${p.subresource}` : '');
  const named = p.name ? ` ${p.name}` : '';
  return `${p.verb} ${what}${named}${p.namespace ? ` in namespace ${p.namespace}` : ' (cluster-wide)'}`;
}

/** The one line every face shows: `missing permission X, granted by statement S of FILE`. */
export function missingPermissionLine(m: MissingPermission): string {
  const what = `missing permission ${permissionText(m.permission)}`;
  if (!m.grantedBy) return `${what} (no shipped policy grants it)`;
  return m.permission.kind === 'aws'
    ? `${what}, granted by statement ${m.grantedBy.statement} of ${m.grantedBy.file}`
    : `${what}, granted by ClusterRole ${m.grantedBy.statement} in ${m.grantedBy.file}`;
}

// ---------------------------------------------------------------------------------------------

/**
 * `User: arn… is not authorized to perform: iam:GetRole on resource: arn:… because …` (S3 quotes
 * the ARN).
 */
const AWS_DENIAL = /not authorized to perform:? ([\w-]+:[\w*]+)(?: on resource:? "?([^\s,"]+))?/;

/** The gateway's service names that are not the AWS_OPERATIONS key. */
const SERVICE_KEY: Readonly<Record<string, string>> = { elasticloadbalancing: 'elbv2' };

function awsDenial(e: SerializedGatewayError): AwsPermission | undefined {
  const m = AWS_DENIAL.exec(e.message);
  if (m) {
    const resource = m[2]?.replace(/[.;]$/, '');
    return { kind: 'aws', action: m[1]!, ...(resource && resource !== '*' ? { resource } : {}) };
  }
  // S3 says only "Access Denied"; EC2's UnauthorizedOperation carries an encoded message: the
  // operation names the action.
  const op = e.operation.split(' ')[0] ?? '';
  const action = AWS_OPERATIONS[`${SERVICE_KEY[e.service] ?? e.service}:${op}`]?.[0];
  return action ? { kind: 'aws', action } : undefined;
}

/**
 * The API server's 403: `deployments.apps "x" is forbidden: User "u" cannot patch resource
 * "deployments" in API group "apps" in the namespace "ns"` (or `at the cluster scope`).
 */
const KUBE_DENIAL =
  /cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

function kubeDenial(e: SerializedGatewayError): KubePermission | undefined {
  return kubeDenialOf(e.message);
}

function kubeDenialOf(text: string): KubePermission | undefined {
  const m = KUBE_DENIAL.exec(text);
  if (!m) return undefined;
  const [resource, subresource] = m[2]!.split('/');
  return {
    kind: 'kube',
    verb: m[1]!,
    group: m[3] ?? '',
    resource: resource!,
    ...(subresource ? { subresource } : {}),
    ...(m[4] ? { namespace: m[4] } : {}),
  };
}

function bundlesFor(forSet: PermissionSetId | undefined): PermissionBundle[] {
  const size = (b: PermissionBundle) => b.sets.flatMap(expandPermissionSet).length;
  const all = [...PERMISSION_BUNDLES].sort((a, b) => size(a) - size(b));
  if (!forSet) return all;
  const covering = all.filter((b) =>
    b.sets.some((s) => expandPermissionSet(s).some((x) => x.id === forSet)),
  );
  return [...covering, ...all.filter((b) => !covering.includes(b))];
}

function findGrant(p: Permission, bundles: PermissionBundle[]): PermissionGrant | undefined {
  for (const b of bundles) {
    if (p.kind === 'aws') {
      const s = iamPolicy(b).Statement.find(
        (st) =>
          st.Action.some((a) => glob(a, p.action, true)) &&
          (p.resource === undefined || st.Resource.some((r) => glob(r, p.resource!, false))),
      );
      if (s)
        return {
          bundle: b.name,
          file: `permissions/iam/hyperpod-${b.name}.json`,
          statement: s.Sid,
        };
    } else if (
      kubeRulesAllow(clusterRoleRules(b), {
        kind: 'resource',
        verb: p.verb,
        group: p.group,
        resource: p.resource,
        ...(p.subresource ? { subresource: p.subresource } : {}),
        ...(p.name ? { name: p.name } : {}),
      })
    )
      return {
        bundle: b.name,
        file: `permissions/kubernetes/hyperpod-${b.name}.yaml`,
        statement: `hyperpod-${b.name}`,
      };
  }
  return undefined;
}

/** IAM's wildcard match (`*` any run, `?` one character); action names ignore case, ARNs do not. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(
    `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return re.test(value);
}
