/**
 * Server-side field validation (`fieldValidation=Strict|Warn|Ignore`): the fields of an object
 * that its kind's published schema does not declare, named as kube-apiserver's strict decoder
 * names them (`spec.template.spec.containers[0].imagee`). Free-form parts (maps, untyped values,
 * `x-kubernetes-preserve-unknown-fields`) accept anything.
 */
import type { Schema } from './kubeSchemas';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The undeclared fields of `value` under `schema`, resolving refs against `defs`. */
export function unknownFields(
  value: unknown,
  schema: Schema,
  defs: Record<string, Schema>,
  path = '',
): string[] {
  const s = resolve(schema, defs);
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return [];
  if (Array.isArray(value)) {
    if (!isObj(s.items)) return [];
    return value.flatMap((v, i) => unknownFields(v, s.items as Schema, defs, `${path}[${i}]`));
  }
  if (!isObj(value)) return [];
  const props = isObj(s.properties) ? (s.properties as Record<string, Schema>) : undefined;
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    const declared = props?.[k];
    if (declared) out.push(...unknownFields(v, declared, defs, p));
    else if (isObj(s.additionalProperties))
      out.push(...unknownFields(v, s.additionalProperties as Schema, defs, p));
    else if (props && s.additionalProperties !== true) out.push(p);
  }
  return out;
}

function resolve(s: Schema, defs: Record<string, Schema>): Schema | undefined {
  if (typeof s.$ref === 'string') return defs[s.$ref.replace('#/definitions/', '')];
  if (Array.isArray(s.allOf) && s.allOf.length === 1) return resolve(s.allOf[0] as Schema, defs);
  return s;
}
