/** IAM's input checks (names, paths, policy ARNs and documents) and its Marker paging. */
import { decodeToken, page } from '../protocols/pagination';
import {
  optional,
  optionalInt,
  required,
  tagList,
  validationError,
  type XmlValue,
} from '../protocols/queryProtocol';
import { POLICY_ARN_RE, invalidInput, limitExceeded, type IamTag } from './IamState';
import { parsePolicy } from './policyDocument';

const NAME_RE = /^[\w+=,.@-]+$/;
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;

export function paged<T>(items: T[], p: URLSearchParams): { items: T[]; next?: string } {
  const max = optionalInt(p, 'MaxItems', 1, 1000) ?? 100;
  const start = decodeToken(optional(p, 'Marker'));
  if (start === undefined) throw validationError('Invalid Marker.');
  return page(items, start, max);
}

export function truncation(next: string | undefined): Record<string, XmlValue> {
  return next ? { IsTruncated: true, Marker: next } : { IsTruncated: false };
}

export function checkName(name: string, member: string, max: number): string {
  if (name.length < 1 || name.length > max) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must have length ${name.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  if (!NAME_RE.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  }
  return name;
}

export function checkPath(path: string): string {
  if (path.length > 512 || !PATH_RE.test(path)) {
    throw validationError(
      `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`,
    );
  }
  return path;
}

export function checkPolicyArn(arn: string): string {
  if (!POLICY_ARN_RE.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  return arn;
}

export function checkTrustPolicy(doc: string): void {
  if (policySize(doc) > 2048) throw limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
  parsePolicy(doc, 'trust');
}

export function checkIdentityPolicy(doc: string): void {
  parsePolicy(doc, 'identity');
}

/** A policy's size as IAM counts it against its quotas: white space does not count. */
export function policySize(doc: string): number {
  return doc.replace(/\s/g, '').length;
}

/** What CreateRole and CreatePolicy both take: a name, a document, a path, a description, tags. */
export function creationParams(
  p: URLSearchParams,
  nameParam: string,
  documentParam: string,
): { name: string; document: string; path?: string; description?: string; tags: IamTag[] } {
  return {
    name: required(p, nameParam),
    document: required(p, documentParam),
    path: optional(p, 'Path'),
    description: optional(p, 'Description'),
    tags: tagList(p),
  };
}
