/**
 * Admission of a written object: decoding the body against the URL it was sent to, and the
 * validation apiserver answers 400 Bad Request or 422 Invalid for.
 */
import { randomUUID } from 'node:crypto';
import { KubeStatusError } from './KubeStatusError';
import { groupVersion, type ResourceType } from './ResourceTypes';
import type { Target } from './Target';
import { apiServiceErrors } from './controllers/apiServices';
import { clone, isPlainObject } from './managedFields';
import type { KubeObject } from './types';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Decodes a create, update or apply body for `t` as apiserver does: kind and apiVersion checked
 * (built-ins may omit both), namespace and name reconciled with the URL's, generateName expanded,
 * and (but for a partial apply configuration) the object validated.
 */
export function admitObject(
  t: Target,
  input: unknown,
  verb: 'create' | 'update' | 'apply',
): KubeObject {
  const rt = t.rt;
  if (!isPlainObject(input))
    throw KubeStatusError.badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind})`,
    );
  let body: Record<string, unknown> = input;
  const gv = groupVersion(rt);
  // Built-in endpoints decode into their type, so a body may omit kind/apiVersion; custom resources may not.
  if (
    rt.builtin &&
    (body.kind === undefined || body.kind === '') &&
    (body.apiVersion === undefined || body.apiVersion === '')
  ) {
    body = { ...body, apiVersion: gv, kind: rt.kind };
  }
  if (typeof body.kind !== 'string' || body.kind === '') {
    throw KubeStatusError.badRequest(
      `Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`,
    );
  }
  if (body.apiVersion !== undefined && body.apiVersion !== gv) {
    throw KubeStatusError.badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${gv})`,
    );
  }
  if (body.kind !== rt.kind) {
    throw KubeStatusError.badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind}): couldn't get version/kind; kind ${JSON.stringify(body.kind)} is not ${rt.kind}`,
    );
  }
  const meta = body.metadata;
  if (meta !== undefined && !isPlainObject(meta))
    throw KubeStatusError.badRequest(
      `json: cannot unmarshal ${typeof meta} into Go struct field ${rt.kind}.metadata of type v1.ObjectMeta`,
    );
  const obj = clone(body) as KubeObject;
  obj.apiVersion = gv;
  obj.metadata = (obj.metadata ?? {}) as KubeObject['metadata'];
  if (rt.namespaced) {
    if (
      obj.metadata.namespace !== undefined &&
      obj.metadata.namespace !== '' &&
      obj.metadata.namespace !== t.namespace
    ) {
      throw KubeStatusError.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = t.namespace;
  } else {
    delete obj.metadata.namespace;
  }
  if (
    verb === 'create' &&
    !obj.metadata.name &&
    typeof obj.metadata.generateName === 'string' &&
    obj.metadata.generateName
  ) {
    obj.metadata.name = obj.metadata.generateName + randomUUID().replace(/-/g, '').slice(0, 5);
  }
  if (verb !== 'create' && obj.metadata.name && obj.metadata.name !== t.name) {
    throw KubeStatusError.badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${t.name})`,
    );
  }
  if (verb !== 'create' && !obj.metadata.name) obj.metadata.name = t.name;
  // An apply configuration is partial: it is validated once merged.
  if (verb !== 'apply') validateObject(rt, obj);
  return obj;
}

/** apiserver's validation of what the sandbox checks: names, labels, Secret data, workloads, APIServices, CRDs. */
export function validateObject(rt: ResourceType, obj: KubeObject): void {
  const name = obj.metadata.name;
  const invalid = (field: string, type: string, detail: string, value?: unknown) =>
    KubeStatusError.invalid(rt.kind, rt.group, typeof name === 'string' ? name : '', [
      { field, type, detail, value },
    ]);
  if (typeof name !== 'string' || name === '')
    throw invalid('metadata.name', 'Required value', 'name or generateName is required');
  if (rt.group === 'rbac.authorization.k8s.io') {
    // RBAC names are path segments (`system:metrics-server`, `foo:leaderelection`).
    const bad =
      name === '.' || name === '..'
        ? `may not be '${name}'`
        : name.includes('/')
          ? "may not contain '/'"
          : name.includes('%')
            ? "may not contain '%'"
            : undefined;
    if (bad) throw invalid('metadata.name', 'Invalid value', bad, name);
  } else if (
    rt.plural === 'namespaces'
      ? !DNS_LABEL.test(name) || name.length > 63
      : !DNS_SUBDOMAIN.test(name) || name.length > 253
  ) {
    throw invalid(
      'metadata.name',
      'Invalid value',
      rt.plural === 'namespaces'
        ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
        : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      name,
    );
  }
  for (const field of ['labels', 'annotations'] as const) {
    const m = obj.metadata[field];
    if (m === undefined) continue;
    // JSON null decodes into an empty map (charts render a bare `annotations:`): none stored.
    if (m === null) {
      delete obj.metadata[field];
      continue;
    }
    if (!isPlainObject(m) || Object.values(m).some((v) => typeof v !== 'string')) {
      throw KubeStatusError.badRequest(
        `json: cannot unmarshal into Go struct field ObjectMeta.metadata.${field} of type string`,
      );
    }
  }
  if (rt.kind === 'Secret' && obj.data !== undefined) {
    if (!isPlainObject(obj.data))
      throw KubeStatusError.badRequest(
        'json: cannot unmarshal into Go struct field Secret.data of type map[string][]uint8',
      );
    for (const [k, v] of Object.entries(obj.data)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        throw KubeStatusError.badRequest(`illegal base64 data at input byte 0 (Secret.data.${k})`);
      }
    }
  }
  if (rt.kind === 'Deployment') {
    const spec = obj.spec as Record<string, unknown> | undefined;
    if (!isPlainObject(spec) || !isPlainObject(spec.selector))
      throw invalid('spec.selector', 'Required value', '');
    if (spec.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
      throw invalid(
        'spec.replicas',
        'Invalid value',
        'must be greater than or equal to 0',
        spec.replicas,
      );
    }
  }
  if (rt.kind === 'APIService') {
    const errs = apiServiceErrors(obj);
    if (errs.length) throw KubeStatusError.invalid(rt.kind, rt.group, name, errs);
  }
  if (rt.kind === 'CustomResourceDefinition') {
    const spec = obj.spec as Record<string, unknown> | undefined;
    const names = isPlainObject(spec) && isPlainObject(spec.names) ? spec.names : undefined;
    if (
      !spec ||
      typeof spec.group !== 'string' ||
      !names ||
      typeof names.plural !== 'string' ||
      typeof names.kind !== 'string'
    ) {
      throw invalid('spec.names.plural', 'Required value', '');
    }
    if (name !== `${names.plural}.${spec.group}`) {
      throw invalid(
        'metadata.name',
        'Invalid value',
        `must be spec.names.plural+"."+spec.group`,
        name,
      );
    }
  }
}

/** A CRD may not define resources in a built-in group that clash with built-in ones. */
export function checkCrdNames(types: ResourceType[], crd: KubeObject): void {
  const spec = crd.spec as { group: string; names: { plural: string; kind: string } };
  const clash = types.find(
    (rt) =>
      rt.group === spec.group &&
      rt.builtin &&
      (rt.plural === spec.names.plural || rt.kind === spec.names.kind),
  );
  if (clash)
    throw KubeStatusError.invalid(
      'CustomResourceDefinition',
      'apiextensions.k8s.io',
      crd.metadata.name,
      [
        {
          field: 'spec.group',
          type: 'Invalid value',
          detail: 'is a built-in group',
          value: spec.group,
        },
      ],
    );
}
