#!/usr/bin/env node
// Writes packages/sandbox/src/kube/openapi/kubeDefinitions.json: the OpenAPI definitions of the
// Kubernetes built-in kinds the sandbox serves (and every type they reach), taken from the
// models of @kubernetes/client-node, which its maintainers generate from the Kubernetes OpenAPI
// spec (the version in their header): property names, types, formats, required fields and
// descriptions as upstream publishes them. The sandbox serves them at /openapi/v2 and
// /openapi/v3 so that kubectl explain, kubectl's and helm's validation see real schemas.
//
//   node scripts/gen-kube-openapi.mjs            (after a change of client-node or of the kinds)
//   node scripts/gen-kube-openapi.mjs --check    (exits 1 when the committed file is stale)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'test', 'package.json'));
const pkgDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = join(pkgDir, 'dist', 'gen', 'models');
const out = join(root, 'packages', 'sandbox', 'src', 'kube', 'openapi', 'kubeDefinitions.json');

/** The models the sandbox serves as kinds: the model name per `group/version/Kind`. */
const KINDS = JSON.parse(
  readFileSync(join(root, 'packages', 'sandbox', 'src', 'kube', 'openapi', 'kinds.json'), 'utf8'),
);

/** Class and property descriptions from a model's .d.ts (the generator's doc comments). */
function docs(model) {
  const text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
  const clean = (c) =>
    c
      .split('\n')
      .map((l) => l.replace(/^\s*\*?\s?/, ''))
      .join('\n')
      .replace(/\\"/g, '"')
      .trim();
  const classDoc = /\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\nexport declare class/.exec(text)?.[1];
  const props = {};
  const re = /(?:\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\n\s*)?'([^']+)'(\??): /g;
  for (let m; (m = re.exec(text));) props[m[2]] = { doc: m[1] && clean(m[1]), optional: !!m[3] };
  return { description: classDoc && clean(classDoc), props };
}

/** Types Kubernetes publishes as definitions of their own that client-node maps to primitives. */
const PRIMITIVE_REFS = {
  IntOrString: {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    schema: {
      description:
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      type: 'string',
      format: 'int-or-string',
    },
  },
  Time: {
    name: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
    schema: {
      description:
        'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
      type: 'string',
      format: 'date-time',
    },
  },
  MicroTime: {
    name: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
    schema: {
      description: 'MicroTime is version of Time with microsecond level precision.',
      type: 'string',
      format: 'date-time',
    },
  },
};

const schemaOfType = (type, format, refs) => {
  let m;
  if (type === 'string') return { type: 'string', ...(format ? { format } : {}) };
  if (type === 'number')
    return format === 'double'
      ? { type: 'number', format }
      : { type: 'integer', ...(format ? { format } : {}) };
  if (type === 'boolean') return { type: 'boolean' };
  if (type === 'Date' || type === 'IntOrString' || type === 'V1MicroTime') {
    const name =
      type === 'IntOrString'
        ? type
        : format === 'date-time-micro' || type === 'V1MicroTime'
          ? 'MicroTime'
          : 'Time';
    return { $ref: `#/definitions/${PRIMITIVE_REFS[name].name}` };
  }
  // client-node's `any` stands for upstream's free-form types (apiextensions JSON,
  // JSONSchemaPropsOrBool/OrArray, RawExtension): any JSON value, so no type.
  if (type === 'any') return {};
  if ((m = /^Array<(.+)>$/.exec(type)))
    return { type: 'array', items: schemaOfType(m[1], '', refs) };
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type)))
    return { type: 'object', additionalProperties: schemaOfType(m[1], '', refs) };
  if (!models.has(type)) throw new Error(`client-node has no model ${type}`);
  refs.add(type);
  return { $ref: `#/definitions/${type}` };
};

const models = new Set(
  readdirSync(modelsDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3)),
);
const definitions = {};
const queue = [...new Set(Object.values(KINDS))];
for (const name of queue) if (!models.has(name)) throw new Error(`no model ${name} in client-node`);
while (queue.length) {
  const name = queue.shift();
  if (definitions[name]) continue;
  const mod = await import(pathToFileURL(join(modelsDir, `${name}.js`)).href);
  const cls = mod[name];
  const d = docs(name);
  const refs = new Set();
  const properties = {};
  const required = [];
  for (const a of cls.attributeTypeMap) {
    const s = schemaOfType(a.type, a.format, refs);
    const doc = d.props[a.name]?.doc;
    properties[a.baseName] = doc ? { description: doc, ...s } : s;
    if (d.props[a.name] && !d.props[a.name].optional) required.push(a.baseName);
  }
  definitions[name] = {
    ...(d.description ? { description: d.description } : {}),
    type: 'object',
    ...(required.length ? { required } : {}),
    properties,
  };
  for (const r of refs) if (!definitions[r]) queue.push(r);
}
// Names as Kubernetes publishes them where the model says its group (`io.k8s.api.core.v1.EndpointPort`);
// otherwise by version alone (`io.k8s.api.v1.DeploymentSpec`). Clients show the last segment.
const kindOfModel = new Map(Object.entries(KINDS).map(([gvk, model]) => [model, gvk.split('/')]));
const publishedName = (model) => {
  const gvk = kindOfModel.get(model);
  if (gvk) {
    const [group, version, kind] = gvk.length === 3 ? gvk : ['core', ...gvk];
    return `io.k8s.api.${group.split('.')[0]}.${version}.${kind}`;
  }
  const m = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$/.exec(model);
  if (!m) throw new Error(`unexpected model name ${model}`);
  return `io.k8s.api.${m[1] ? `${m[1].toLowerCase()}.` : ''}${m[2].toLowerCase()}.${m[3]}`;
};
for (const p of Object.values(PRIMITIVE_REFS)) definitions[p.name] = p.schema;
const names = new Map(
  [...Object.keys(definitions)].map((m) => [m, m.startsWith('io.k8s.') ? m : publishedName(m)]),
);
if (new Set(names.values()).size !== names.size) throw new Error('two models map to one name');
const renamed = JSON.parse(
  JSON.stringify(definitions).replace(
    /#\/definitions\/([\w.-]+)/g,
    (_, m) => `#/definitions/${names.get(m) ?? m}`,
  ),
);
const header = readFileSync(join(modelsDir, 'V1Pod.d.ts'), 'utf8');
const specVersion = /OpenAPI spec version: (\S+)/.exec(header)?.[1];
const sorted = Object.fromEntries(
  [...names].sort((a, b) => (a[1] < b[1] ? -1 : 1)).map(([m, n]) => [n, renamed[m]]),
);
const kinds = Object.fromEntries(
  Object.entries(KINDS).map(([gvk, model]) => [gvk, names.get(model)]),
);
const text = `${JSON.stringify({ source: `@kubernetes/client-node ${JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version} models (Kubernetes OpenAPI ${specVersion})`, kinds, definitions: sorted })}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error(`${out} is stale: run node scripts/gen-kube-openapi.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${Object.keys(sorted).length} definitions (${text.length} bytes) to ${out}`);
}
