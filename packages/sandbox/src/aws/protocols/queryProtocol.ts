/**
 * The AWS query protocol (IAM, STS, ELBv2): form-encoded parameters with `Action` and `Version`,
 * lists flattened as `Name.member.N`, and XML answers wrapped in `<ActionResponse><ActionResult>`.
 */
import { xmlEscape } from '../AwsServer';
import { AwsError, type AwsRequest, type AwsResponse } from '../types';

/** Query parameters of a request: the form body merged over the URL query string, as AWS reads them. */
export function queryParams(req: AwsRequest): URLSearchParams {
  const merged = new URLSearchParams(req.query);
  const ct = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && (ct === '' || ct.includes('x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) merged.set(k, v);
  }
  return merged;
}

/**
 * The action a query request names, or undefined for an action the service does not have (the front
 * door answers InvalidAction). A request without any Action is refused as the query services do.
 */
export function queryAction(
  req: AwsRequest,
  actions: ReadonlySet<string>,
  version: string,
): string | undefined {
  const p = queryParams(req);
  const action = p.get('Action');
  if (!action) throw new AwsError('MissingAction', 'Missing Action', 400);
  const v = p.get('Version');
  if (v !== null && v !== version) {
    throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${v}`, 400);
  }
  return actions.has(action) ? action : undefined;
}

/** Lowercases the first letter, as the Coral validation messages name members. */
function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

/** A required parameter; missing ones get the service's "must not be null" ValidationError. */
export function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null) {
    throw validationError(
      `1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

export function optional(p: URLSearchParams, name: string): string | undefined {
  return p.get(name) ?? undefined;
}

/** An optional integer parameter within [min, max]. */
export function optionalInt(
  p: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = p.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw validationError(
      `1 validation error detected: Value '${raw}' at '${memberName(name)}' failed to satisfy constraint: Member must be an integer`,
    );
  }
  if (n < min) {
    throw validationError(
      `1 validation error detected: Value '${n}' at '${memberName(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  }
  if (n > max) {
    throw validationError(
      `1 validation error detected: Value '${n}' at '${memberName(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return n;
}

/** `Prefix.member.1`, `Prefix.member.2`, ... in index order. */
export function memberList(p: URLSearchParams, prefix: string): string[] {
  const byIndex = new Map<number, string>();
  const re = new RegExp(`^${escapeRe(prefix)}\\.member\\.(\\d+)$`);
  for (const [k, v] of p) {
    const m = re.exec(k);
    if (m) byIndex.set(Number(m[1]), v);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Prefix.member.N.Field` groups, in index order, e.g. `Tags.member.1.Key` / `Tags.member.1.Value`. */
export function memberStructs(p: URLSearchParams, prefix: string): Record<string, string>[] {
  const byIndex = new Map<number, Record<string, string>>();
  const re = new RegExp(`^${escapeRe(prefix)}\\.member\\.(\\d+)\\.(.+)$`);
  for (const [k, v] of p) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = byIndex.get(i) ?? {};
    entry[m[2]!] = v;
    byIndex.set(i, entry);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Key/Value tag lists as the query services send them; a tag without Key is a validation error. */
export function tagList(p: URLSearchParams, prefix = 'Tags'): { Key: string; Value: string }[] {
  return memberStructs(p, prefix).map((t, i) => {
    if (t.Key === undefined) {
      throw validationError(
        `1 validation error detected: Value null at '${memberName(prefix)}.${i + 1}.member.key' failed to satisfy constraint: Member must not be null`,
      );
    }
    return { Key: t.Key, Value: t.Value ?? '' };
  });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A value the query XML writer can render: arrays become `<member>` lists, dates ISO-8601. */
export type XmlValue =
  string | number | boolean | Date | undefined | XmlValue[] | { [k: string]: XmlValue };

/** Renders `<name>value</name>`; undefined renders nothing, an empty list an empty element. */
export function toXml(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** The whole answer to a query action: `<ActionResponse xmlns><ActionResult>...</ActionResult><ResponseMetadata>`. */
export function queryResponse(
  action: string,
  xmlns: string,
  requestId: string,
  result?: Record<string, XmlValue>,
): AwsResponse {
  const inner = result === undefined ? '' : toXml(`${action}Result`, result);
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `<${action}Response xmlns="${xmlns}">${inner}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}
