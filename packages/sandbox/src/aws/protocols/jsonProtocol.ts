/**
 * The AWS JSON 1.1 protocol (ACM, SageMaker): `POST /` with `X-Amz-Target: <Prefix>.<Operation>`
 * and a JSON object body. Type errors are SerializationException, constraint errors
 * ValidationException, as the Coral front ends of those services answer.
 */
import { AwsError, type AwsRequest } from '../types';

/** The operation named by X-Amz-Target, or undefined when the target is not this service's. */
export function jsonTarget(
  req: AwsRequest,
  prefix: string,
  operations: ReadonlySet<string>,
): string | undefined {
  const target = req.headers['x-amz-target'];
  if (!target || req.method !== 'POST') return undefined;
  const dot = target.lastIndexOf('.');
  if (dot < 0 || target.slice(0, dot) !== prefix) return undefined;
  const op = target.slice(dot + 1);
  return operations.has(op) ? op : undefined;
}

export type JsonObject = Record<string, unknown>;

/** The request body as a JSON object; an empty body counts as `{}`, as the services accept it. */
export function jsonBody(req: AwsRequest): JsonObject {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serializationError(
      'Unexpected character or end of input: the request body is not valid JSON',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw serializationError('Start of structure or map expected');
  }
  return parsed as JsonObject;
}

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

export function validationException(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function notNull(name: string): AwsError {
  return validationException(
    `1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`,
  );
}

export function optString(body: JsonObject, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw serializationError(`Unexpected value type for '${name}': expected a string`);
  return v;
}

export function reqString(body: JsonObject, name: string): string {
  const v = optString(body, name);
  if (v === undefined) throw notNull(name);
  return v;
}

export function optInt(
  body: JsonObject,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw serializationError(`Unexpected value type for '${name}': expected an integer`);
  if (v < min || v > max) {
    throw validationException(
      `1 validation error detected: Value '${v}' at '${memberName(name)}' failed to satisfy constraint: Member must have value ${v < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return v;
}

export function optArray(body: JsonObject, name: string): unknown[] | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v))
    throw serializationError(`Unexpected value type for '${name}': expected a list`);
  return v;
}

export function reqArray(body: JsonObject, name: string): unknown[] {
  const v = optArray(body, name);
  if (v === undefined) throw notNull(name);
  return v;
}

/** `[{Key, Value?}]` tag lists; elements of the wrong shape are serialization errors. */
export function tagArray(
  body: JsonObject,
  name: string,
  valueRequired: boolean,
): { Key: string; Value?: string }[] {
  return reqArray(body, name).map((t, i) => {
    if (typeof t !== 'object' || t === null || Array.isArray(t))
      throw serializationError(`Unexpected value type for '${name}[${i}]': expected a structure`);
    const o = t as JsonObject;
    const Key = o.Key;
    const Value = o.Value;
    if (Key === undefined || Key === null) {
      throw validationException(
        `1 validation error detected: Value null at '${memberName(name)}.${i + 1}.member.key' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (typeof Key !== 'string')
      throw serializationError(`Unexpected value type for '${name}[${i}].Key': expected a string`);
    if (Value !== undefined && Value !== null && typeof Value !== 'string') {
      throw serializationError(
        `Unexpected value type for '${name}[${i}].Value': expected a string`,
      );
    }
    if (valueRequired && (Value === undefined || Value === null)) {
      throw validationException(
        `1 validation error detected: Value null at '${memberName(name)}.${i + 1}.member.value' failed to satisfy constraint: Member must not be null`,
      );
    }
    return Value === undefined || Value === null ? { Key } : { Key, Value };
  });
}

/** JSON 1.1 timestamps are epoch seconds. */
export function epochSeconds(d: Date): number {
  return d.getTime() / 1000;
}
