/** EKS request bodies as the service reads them, and the InvalidParameterException it answers. */
import { AwsError, type AwsRequest } from '../types';
import type { ResolveConflicts } from './ClusterState';

export function invalidParam(message: string, extra: Record<string, string> = {}): AwsError {
  return new AwsError('InvalidParameterException', message, 400, 'Sender', extra);
}

export function parseBody(req: AwsRequest): Record<string, unknown> {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError(
      'BadRequestException',
      'Could not parse request body into json: the body is not valid JSON',
      400,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AwsError('BadRequestException', 'Request body must be a JSON object', 400);
  return parsed as Record<string, unknown>;
}

export function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParam(`${key} must be a string`);
  return v;
}

export function optStringMap(
  body: Record<string, unknown>,
  key: string,
): Record<string, string> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (
    typeof v !== 'object' ||
    Array.isArray(v) ||
    Object.values(v).some((x) => typeof x !== 'string')
  )
    throw invalidParam(`${key} must be a map of strings`);
  return { ...(v as Record<string, string>) };
}

export function optResolveConflicts(body: Record<string, unknown>): ResolveConflicts | undefined {
  const v = optString(body, 'resolveConflicts');
  if (v === undefined) return undefined;
  if (v !== 'OVERWRITE' && v !== 'NONE' && v !== 'PRESERVE')
    throw invalidParam(`resolveConflicts must be one of OVERWRITE, NONE, PRESERVE, got '${v}'`);
  return v;
}

export function optPodIdentity(
  body: Record<string, unknown>,
): { serviceAccount: string; roleArn: string }[] {
  const v = body['podIdentityAssociations'];
  if (v === undefined || v === null) return [];
  if (
    !Array.isArray(v) ||
    v.some(
      (x) =>
        typeof x !== 'object' ||
        x === null ||
        typeof x.serviceAccount !== 'string' ||
        typeof x.roleArn !== 'string',
    )
  ) {
    throw invalidParam('podIdentityAssociations must be a list of {serviceAccount, roleArn}');
  }
  return v as { serviceAccount: string; roleArn: string }[];
}

export function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
