/**
 * STS (query protocol, API 2011-06-15): GetCallerIdentity and AssumeRole. AssumeRole checks the
 * role's trust policy against the caller and issues temporary credentials the front door accepts.
 */
import { QueryProtocolService, type QueryOperation } from '../protocols/QueryProtocolService';
import type { IamRoleView } from '../iam/IamService';
import { stringsOf, wildcardMatch, type PolicyStatement } from '../iam/policyDocument';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { optional, optionalInt, required, validationError } from '../protocols/queryProtocol';
import { AwsError } from '../types';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const SESSION_NAME_RE = /^[\w+=,.@-]*$/;

/** Where STS looks roles up: the IAM service (or anything that can find a role by ARN). */
export interface RoleDirectory {
  findRole(arn: string): IamRoleView | undefined;
}

export interface AssumeRoleCaller {
  accountId: string;
  principalArn: string;
  externalId?: string;
}

export class StsService extends QueryProtocolService implements Snapshottable {
  readonly signingName = 'sts';
  protected readonly api = { version: VERSION, xmlns: XMLNS };
  private issued = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly roles: RoleDirectory,
  ) {
    super();
  }

  protected readonly operations: Record<string, QueryOperation> = {
    GetCallerIdentity: (req) => {
      const cred = this.ctx.accounts.get(req.accessKeyId);
      return {
        UserId: cred?.userId ?? req.accessKeyId,
        Account: req.accountId,
        Arn: req.principalArn,
      };
    },
    AssumeRole: (req, p) => {
      const roleArn = required(p, 'RoleArn');
      const sessionName = required(p, 'RoleSessionName');
      if (roleArn.length < 20 || roleArn.length > 2048) {
        throw validationError(
          `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length ${roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`,
        );
      }
      if (sessionName.length < 2 || sessionName.length > 64) {
        throw validationError(
          `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length ${sessionName.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`,
        );
      }
      if (!SESSION_NAME_RE.test(sessionName)) {
        throw validationError(
          `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
        );
      }
      const duration = optionalInt(p, 'DurationSeconds', 900, 43200) ?? 3600;
      if (!/^arn:aws:iam::\d{12}:role\//.test(roleArn))
        throw validationError(`${roleArn} is invalid`);
      const denied = () =>
        new AwsError(
          'AccessDenied',
          `User: ${req.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          403,
        );
      const role = this.roles.findRole(roleArn);
      if (!role) throw denied();
      if (
        !trustAllows(role, {
          accountId: req.accountId,
          principalArn: req.principalArn,
          externalId: optional(p, 'ExternalId'),
        })
      )
        throw denied();
      if (duration > role.maxSessionDuration) {
        throw validationError(
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        );
      }
      const cred = this.ctx.accounts.issueTemporary(
        role.accountId,
        role.name,
        sessionName,
        duration,
        role.roleId,
      );
      this.issued += 1;
      return {
        Credentials: {
          AccessKeyId: cred.accessKeyId,
          SecretAccessKey: cred.secretAccessKey,
          SessionToken: cred.sessionToken,
          Expiration: new Date(cred.expiresAt ?? Date.now() + duration * 1000),
        },
        AssumedRoleUser: { AssumedRoleId: cred.userId, Arn: cred.principalArn },
      };
    },
  };

  /** STS keeps no state beyond the credentials it issued (held by Accounts). */
  snapshot(): unknown {
    return { issuedCredentials: this.issued };
  }
}

/**
 * Whether the role's trust policy lets the caller assume it: an Allow statement for sts:AssumeRole
 * whose AWS principal names the caller (its account, the account root, its ARN, or for an
 * assumed-role session the role's ARN) or `*`, and no Deny that matches. Of conditions, only
 * sts:ExternalId is evaluated (the one trust policies for cross-account roles use).
 */
export function trustAllows(role: IamRoleView, caller: AssumeRoleCaller): boolean {
  const matches = (st: PolicyStatement) =>
    actionMatches(st) && principalMatches(st, caller) && conditionMatches(st, caller);
  const statements = role.trustPolicy.Statement;
  if (statements.some((st) => st.Effect === 'Deny' && matches(st))) return false;
  return statements.some((st) => st.Effect === 'Allow' && matches(st));
}

function actionMatches(st: PolicyStatement): boolean {
  if (st.Action !== undefined)
    return stringsOf(st.Action).some((a) => wildcardMatch(a, 'sts:AssumeRole'));
  return !stringsOf(st.NotAction).some((a) => wildcardMatch(a, 'sts:AssumeRole'));
}

function callerIdentities(caller: AssumeRoleCaller): string[] {
  const ids = [caller.accountId, `arn:aws:iam::${caller.accountId}:root`, caller.principalArn];
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller.principalArn);
  if (assumed) ids.push(`arn:aws:iam::${assumed[1]}:role/${assumed[2]}`);
  return ids;
}

function principalMatches(st: PolicyStatement, caller: AssumeRoleCaller): boolean {
  const principal = st.Principal ?? st.NotPrincipal;
  let hit: boolean;
  if (principal === '*') hit = true;
  else if (typeof principal === 'object' && principal !== null && !Array.isArray(principal)) {
    const aws = stringsOf((principal as Record<string, unknown>).AWS);
    const ids = callerIdentities(caller);
    hit = aws.some(
      (a) =>
        a === '*' ||
        ids.some(
          (id) =>
            id === a ||
            (a.includes('/') &&
              id.endsWith(a.slice(a.lastIndexOf('/'))) &&
              samePathlessRole(a, id)),
        ),
    );
  } else hit = false;
  return st.NotPrincipal !== undefined ? !hit : hit;
}

/** A trust policy may name a role with its path (`role/team/x`) while the session ARN has none. */
function samePathlessRole(policyArn: string, id: string): boolean {
  const a = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(policyArn);
  const b = /^arn:aws:iam::(\d{12}):role\/([^/]+)$/.exec(id);
  return !!a && !!b && a[1] === b[1] && a[2] === b[2];
}

function conditionMatches(st: PolicyStatement, caller: AssumeRoleCaller): boolean {
  if (typeof st.Condition !== 'object' || st.Condition === null) return true;
  for (const [operator, block] of Object.entries(
    st.Condition as Record<string, Record<string, unknown>>,
  )) {
    const expected = block?.['sts:ExternalId'];
    if (expected === undefined) continue;
    const values = stringsOf(expected);
    const actual = caller.externalId;
    if (actual === undefined) return false;
    if (operator === 'StringEquals' && !values.includes(actual)) return false;
    if (operator === 'StringLike' && !values.some((v) => wildcardMatch(v, actual, false)))
      return false;
  }
  return true;
}
