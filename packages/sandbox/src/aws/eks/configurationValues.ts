/**
 * Add-on configurationValues as EKS checks them: JSON or YAML text, parsed to an object and
 * validated against the add-on version's JSON Schema, with errors worded like EKS's
 * (`Json schema validation failed with error: [$.key: ...]`).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { JsonSchema } from '../../catalog/addonSchemas';

const PREFIX = 'ConfigurationValue provided in request is not supported: ';

export type ConfigurationCheck =
  { ok: true; values: Record<string, unknown> } | { ok: false; message: string };

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** Parses and validates configurationValues; undefined or blank text means "no configuration". */
export function checkConfigurationValues(
  text: string | undefined,
  schema: JsonSchema,
): ConfigurationCheck {
  let values: unknown = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      values = parseYaml(text, { strict: true, uniqueKeys: true });
    } catch (e) {
      return {
        ok: false,
        message: `${PREFIX}Json/Yaml parsing failed: ${firstLine((e as Error).message)}`,
      };
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      return {
        ok: false,
        message: `${PREFIX}Json schema validation failed with error: [$: ${typeName(values)} found, object expected]`,
      };
    }
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(values)) return { ok: true, values: values as Record<string, unknown> };
  const errors = (validate.errors ?? []).map((e) => describe(e, values));
  return {
    ok: false,
    message: `${PREFIX}Json schema validation failed with error: [${[...new Set(errors)].join(', ')}]`,
  };
}

function describe(e: ErrorObject, root: unknown): string {
  const path =
    '$' +
    e.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`))
      .join('');
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${path}.${String(p['additionalProperty'])}: is not defined in the schema and the schema does not allow additional properties`;
    case 'required':
      return `${path}: required property '${String(p['missingProperty'])}' not found`;
    case 'type':
      return `${path}: ${typeName(valueAt(root, e.instancePath))} found, ${Array.isArray(p['type']) ? (p['type'] as string[]).join(', ') : String(p['type'])} expected`;
    case 'pattern':
      return `${path}: does not match the regex pattern ${String(p['pattern'])}`;
    case 'enum':
      return `${path}: does not have a value in the enumeration [${(p['allowedValues'] as unknown[]).map(String).join(', ')}]`;
    case 'minimum':
    case 'maximum':
      return `${path}: must have a ${e.keyword} value of ${String(p['limit'])}`;
    default:
      return `${path}: ${e.message ?? e.keyword}`;
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const s of pointer.split('/').slice(1)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
