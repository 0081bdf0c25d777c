/**
 * IAM's checks on policy documents, as far as they decide accept/refuse: JSON, a version, statements
 * with an effect and actions, resources in permission policies, principals in trust policies.
 */
import { AwsError } from '../types';

export type PolicyKind = 'trust' | 'identity';

export interface PolicyStatement {
  Sid?: string;
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, 400);
}

/** Parses and checks a policy document, throwing MalformedPolicyDocument as IAM does. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw malformed('Syntax errors in policy.');
  const o = doc as Record<string, unknown>;
  if (o.Version !== undefined && o.Version !== '2012-10-17' && o.Version !== '2008-10-17') {
    throw malformed('The policy must contain a valid version string');
  }
  const raw = o.Statement;
  if (raw === undefined) throw malformed('Syntax errors in policy.');
  const statements = (Array.isArray(raw) ? raw : [raw]) as unknown[];
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s))
      throw malformed('Syntax errors in policy.');
    const st = s as PolicyStatement;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
    if (st.Action === undefined && st.NotAction === undefined)
      throw malformed('Policy statement must contain actions.');
    if (kind === 'trust') {
      if (st.Resource !== undefined || st.NotResource !== undefined)
        throw malformed('Has prohibited field Resource');
      if (st.Principal === undefined && st.NotPrincipal === undefined)
        throw malformed('Missing required field Principal');
    } else {
      if (st.Principal !== undefined || st.NotPrincipal !== undefined)
        throw malformed('Has prohibited field Principal');
      if (st.Resource === undefined && st.NotResource === undefined)
        throw malformed('Policy statement must contain resources.');
    }
  }
  return { Version: o.Version as string | undefined, Statement: statements as PolicyStatement[] };
}

/** Strings of a policy element that may be one string or a list of them. */
export function stringsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** IAM wildcard match (`*` any run, `?` one character), case-insensitive as actions are. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}
