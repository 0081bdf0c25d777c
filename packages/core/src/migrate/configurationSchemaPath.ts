/**
 * Whether an add-on version's configuration schema (DescribeAddonConfiguration's
 * `configurationSchema`, a JSON Schema text) has a place for a configurationValues path. The
 * migration guard asks this for every Helm value a profile maps: a target path the schema has no
 * place for would be refused by EKS, so the value is a drop, not a mapping.
 */

type Schema = Record<string, unknown> | boolean;

export type SchemaPathAnswer =
  | { found: true }
  | {
      found: false;
      /** Why: `no schema`, or the first key the schema does not take. */
      reason: string;
    };

/** The JSON text parsed once per schema; invalid text is no schema at all. */
function parse(schemaText: string | null | undefined): Schema | undefined {
  if (schemaText === undefined || schemaText === null || schemaText.trim() === '') return undefined;
  try {
    const s = JSON.parse(schemaText) as unknown;
    return typeof s === 'boolean' || (s !== null && typeof s === 'object' && !Array.isArray(s))
      ? (s as Schema)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A local `$ref` (`#/definitions/x`, `#/$defs/x`, `#/properties/a/...`); others resolve to nothing. */
function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'boolean' || (cur !== null && typeof cur === 'object')
    ? (cur as Schema)
    : undefined;
}

/**
 * The schemas that describe the value under `key` of an object described by `node` (several when
 * the node combines branches with allOf/anyOf/oneOf). Empty: the node has no place for `key`.
 */
function childSchemas(root: Schema, node: Schema, key: string, depth: number): Schema[] {
  if (depth > 32) return [];
  if (node === true) return [true];
  if (node === false) return [];
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const target = resolveRef(root, ref);
    // draft-07: a $ref replaces its siblings.
    return target === undefined ? [] : childSchemas(root, target, key, depth + 1);
  }
  const out: Schema[] = [];
  const branches = ['allOf', 'anyOf', 'oneOf'].flatMap((k) =>
    Array.isArray(node[k]) ? (node[k] as Schema[]) : [],
  );
  for (const b of branches) out.push(...childSchemas(root, b, key, depth + 1));
  const type = node['type'];
  const types = Array.isArray(type) ? type : type === undefined ? undefined : [type];
  if (types && !types.includes('object')) return out;
  const props = node['properties'];
  if (props && typeof props === 'object' && Object.prototype.hasOwnProperty.call(props, key)) {
    out.push((props as Record<string, Schema>)[key]!);
    return out;
  }
  const patterns = node['patternProperties'];
  let matchedPattern = false;
  if (patterns && typeof patterns === 'object')
    for (const [pattern, s] of Object.entries(patterns as Record<string, Schema>)) {
      try {
        if (new RegExp(pattern, 'u').test(key)) {
          out.push(s);
          matchedPattern = true;
        }
      } catch {
        // A pattern JavaScript cannot read matches nothing here.
      }
    }
  if (matchedPattern) return out;
  const additional = node['additionalProperties'];
  if (additional === false) return out;
  if (additional !== undefined && typeof additional === 'object') {
    out.push(additional as Schema);
    return out;
  }
  // Absent additionalProperties allows any key, but only where the schema describes an object or
  // leaves the type open without listing properties of its own (`{ "type": "object" }`).
  if (branches.length === 0 || types?.includes('object')) out.push(true);
  return out;
}

/**
 * Whether `path` (dot-separated, as profiles write configurationValues paths) has a place in the
 * configuration schema. No schema (the version takes no configuration) has a place for nothing.
 */
export function configurationSchemaPath(
  schemaText: string | null | undefined,
  path: string,
): SchemaPathAnswer {
  const root = parse(schemaText);
  if (root === undefined)
    return { found: false, reason: 'the add-on version publishes no configuration schema' };
  let nodes: Schema[] = [root];
  const keys = path.split('.');
  for (let i = 0; i < keys.length; i++) {
    const next = nodes.flatMap((n) => childSchemas(root, n, keys[i]!, 0));
    if (next.length === 0)
      return {
        found: false,
        reason: `its configuration schema has no ${keys.slice(0, i + 1).join('.')}`,
      };
    nodes = next;
  }
  return { found: true };
}
