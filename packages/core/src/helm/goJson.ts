/**
 * JSON exactly as Go's `encoding/json` writes it, so a release we encode is byte-for-byte what
 * Helm would store: struct fields in declaration order with their omitempty rules (the caller
 * lists them), map keys sorted by byte order, and HTML-safe string escaping (`<`, `>`, `&`,
 * U+2028, U+2029 as `\u....`).
 */

import { compareText } from '../text/compareText';

export type GoField = [key: string, json: string | undefined];

/** A struct: fields whose encoding is undefined are omitted (omitempty). */
export function goStruct(fields: GoField[]): string {
  const parts: string[] = [];
  for (const [key, json] of fields) if (json !== undefined) parts.push(`${goString(key)}:${json}`);
  return `{${parts.join(',')}}`;
}

export function goString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** An `interface{}` value tree (values, config, annotations): maps with sorted keys. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // Go refuses to marshal NaN and ±Inf; so must we, rather than write invalid JSON.
    if (!Number.isFinite(value)) throw new TypeError(`json: unsupported value: ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(goValue).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Byte order on UTF-16 code units equals Go's byte order on UTF-8 for the BMP, which is all
    // YAML keys realistically hold.
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort(compareText);
    return `{${keys.map((k) => `${goString(k)}:${goValue(record[k])}`).join(',')}}`;
  }
  throw new TypeError(`json: unsupported type: ${typeof value}`);
}

/** omitempty helpers: undefined means "leave the field out". */
export const omitEmpty = {
  string: (v: string | undefined) => (v ? goString(v) : undefined),
  number: (v: number | undefined) => (v ? goValue(v) : undefined),
  bool: (v: boolean | undefined) => (v ? 'true' : undefined),
  map: (v: Record<string, unknown> | undefined | null) =>
    v && Object.keys(v).length > 0 ? goValue(v) : undefined,
  slice: <T>(v: T[] | undefined | null, encode: (item: T) => string = goValue) =>
    v && v.length > 0 ? `[${v.map(encode).join(',')}]` : undefined,
};

/** A field without omitempty: always written, `null` for nil. */
export function always<T>(v: T | undefined | null, encode: (item: T) => string = goValue): string {
  return v === undefined || v === null ? 'null' : encode(v);
}

export function sliceOrNull<T>(v: T[] | undefined | null, encode: (item: T) => string): string {
  return v === undefined || v === null ? 'null' : `[${v.map(encode).join(',')}]`;
}
