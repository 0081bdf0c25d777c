/**
 * IAM's evaluation of identity-based policies for one request, as far as the product's policies
 * reach: an explicit Deny wins, else any Allow, else the implicit deny. Actions match without
 * case, with `*` and `?`; resource ARNs match segment by segment (the resource part may hold `/`
 * and `*` spans it); conditions with the String, Arn, Bool and Null operators, the
 * `ForAllValues:` / `ForAnyValue:` set prefixes and the `IfExists` suffix. Condition keys match
 * without case.
 */
import type { PolicyDocument, PolicyStatement } from '../iam/policyDocument';

export interface AuthorizationRequest {
  /** `eks:DescribeAddon`. */
  action: string;
  /** The resource ARN, or `*` for actions that take none. */
  resource: string;
  /** Condition keys of the request: `aws:ResourceTag/CreatedBy`, `iam:PassedToService`, `aws:TagKeys`, … */
  context?: Record<string, string | readonly string[] | undefined>;
}

export type AuthorizationDecision =
  | { decision: 'allow'; sid?: string }
  | { decision: 'explicitDeny'; sid?: string }
  | { decision: 'implicitDeny' };

export function evaluatePolicies(
  policies: readonly PolicyDocument[],
  req: AuthorizationRequest,
): AuthorizationDecision {
  let allow: PolicyStatement | undefined;
  for (const policy of policies)
    for (const s of policy.Statement) {
      if (!statementApplies(s, req)) continue;
      if (s.Effect === 'Deny') return { decision: 'explicitDeny', ...sidOf(s) };
      if (s.Effect === 'Allow') allow ??= s;
    }
  return allow ? { decision: 'allow', ...sidOf(allow) } : { decision: 'implicitDeny' };
}

function sidOf(s: PolicyStatement): { sid?: string } {
  return typeof s.Sid === 'string' ? { sid: s.Sid } : {};
}

/**
 * Condition keys of the statements that name this action and resource which the request's context
 * lacks (SimulatePrincipalPolicy's MissingContextValues), sorted.
 */
export function missingConditionKeys(
  policies: readonly PolicyDocument[],
  req: AuthorizationRequest,
): string[] {
  const have = new Set(Object.keys(req.context ?? {}).map((k) => k.toLowerCase()));
  const missing = new Set<string>();
  for (const policy of policies)
    for (const s of policy.Statement) {
      if (!statementTargets(s, req) || typeof s.Condition !== 'object' || s.Condition === null)
        continue;
      for (const block of Object.values(s.Condition as Record<string, unknown>))
        for (const key of Object.keys((block ?? {}) as Record<string, unknown>))
          if (!have.has(key.toLowerCase())) missing.add(key);
    }
  return [...missing].sort();
}

function statementApplies(s: PolicyStatement, req: AuthorizationRequest): boolean {
  return statementTargets(s, req) && conditionsHold(s.Condition, req.context ?? {});
}

/** Whether a statement names the request's action and resource (conditions aside). */
function statementTargets(s: PolicyStatement, req: AuthorizationRequest): boolean {
  const actionOk =
    s.Action !== undefined
      ? list(s.Action).some((p) => globMatch(p.toLowerCase(), req.action.toLowerCase()))
      : s.NotAction !== undefined &&
        !list(s.NotAction).some((p) => globMatch(p.toLowerCase(), req.action.toLowerCase()));
  if (!actionOk) return false;
  const resourceOk =
    s.Resource !== undefined
      ? list(s.Resource).some((p) => arnMatch(p, req.resource))
      : s.NotResource !== undefined && !list(s.NotResource).some((p) => arnMatch(p, req.resource));
  return resourceOk;
}

function list(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    's',
  );
  return re.test(value);
}

/** ARNs match per segment (partition, service, region, account, resource); `*` alone is every resource. */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return globMatch(pattern, arn);
  return p.every((seg, i) => globMatch(seg, a[i]!));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

type Values = readonly string[] | undefined;

function conditionsHold(
  condition: unknown,
  context: Record<string, string | readonly string[] | undefined>,
): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  const lookup = (key: string): Values => {
    const k = Object.keys(context).find((c) => c.toLowerCase() === key.toLowerCase());
    const v = k === undefined ? undefined : context[k];
    return v === undefined ? undefined : typeof v === 'string' ? [v] : v;
  };
  return Object.entries(condition as Record<string, unknown>).every(([operator, block]) =>
    Object.entries((block ?? {}) as Record<string, unknown>).every(([key, expected]) =>
      operatorHolds(operator, lookup(key), list(expected)),
    ),
  );
}

function operatorHolds(operator: string, actual: Values, expected: string[]): boolean {
  let op = operator;
  let set: 'all' | 'any' | undefined;
  if (op.startsWith('ForAllValues:')) [set, op] = ['all', op.slice('ForAllValues:'.length)];
  else if (op.startsWith('ForAnyValue:')) [set, op] = ['any', op.slice('ForAnyValue:'.length)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  if (op === 'Null') return expected.includes(actual === undefined ? 'true' : 'false');
  const negated = /Not/.test(op);
  const one = valueMatcher(op.replace('Not', ''));
  if (!one) return false;
  const matchesAny = (v: string) => expected.some((e) => one(e, v));
  const holdsFor = (v: string) => (negated ? !matchesAny(v) : matchesAny(v));
  if (set === 'all') return (actual ?? []).every(holdsFor);
  if (set === 'any') return (actual ?? []).some(holdsFor);
  if (actual === undefined) return ifExists || negated;
  // A single-valued key: the request value must match one expected value (or none, negated).
  return negated ? !actual.some(matchesAny) : actual.some(matchesAny);
}

function valueMatcher(op: string): ((expected: string, actual: string) => boolean) | undefined {
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return (e, a) => e === a;
    case 'StringEqualsIgnoreCase':
      return (e, a) => e.toLowerCase() === a.toLowerCase();
    case 'StringLike':
      return globMatch;
    case 'ArnLike':
      return arnMatch;
    case 'Bool':
      return (e, a) => e.toLowerCase() === a.toLowerCase();
    default:
      return undefined;
  }
}
