/**
 * OpenAPI as kube-apiserver publishes it, for kubectl and helm: /openapi/v2 (every definition,
 * what helm's and kubectl's validators read), the /openapi/v3 index and, per group-version, the
 * operations with their query parameters (kubectl reads `fieldValidation` to learn that the server
 * validates fields itself) and the component schemas of the group-version's kinds and all they
 * reference (what `kubectl explain` reads). Schemas come from ./openapi/kubeSchemas.
 */
import { createHash } from 'node:crypto';
import { groupVersion, type ResourceType } from './ResourceTypes';
import { kindsOf, reachable, toV3Refs, type Schema } from './openapi/kubeSchemas';

function gvPath(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `apis/${rt.group}/${rt.version}` : `api/${rt.version}`;
}

const queryParam = (name: string, type = 'string') => ({
  name,
  in: 'query',
  schema: { type, uniqueItems: true },
});

export function openApiV3Doc(
  types: ResourceType[],
  path: string,
  gitVersion: string,
  definitions: Record<string, Schema>,
): Record<string, unknown> | undefined {
  const members = types.filter((t) => gvPath(t) === path);
  if (members.length === 0) return undefined;
  const schemas: Record<string, Schema> = {};
  const { group, version } = members[0]!;
  for (const name of reachable(definitions, kindsOf(definitions, group, version)))
    schemas[name] = toV3Refs(definitions[name]!);
  const paths: Record<string, unknown> = {};
  for (const rt of members) {
    const base = `/${path}/${rt.namespaced ? 'namespaces/{namespace}/' : ''}${rt.plural}/{name}`;
    const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
    const opName = (verb: string) =>
      `${verb}${rt.group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase())}${rt.version.replace(/^./, (c) => c.toUpperCase())}${rt.namespaced ? 'Namespaced' : ''}${rt.kind}`;
    paths[base] = {
      get: {
        operationId: opName('read'),
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { description: 'OK' } },
      },
      put: {
        operationId: opName('replace'),
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [
          queryParam('dryRun'),
          queryParam('fieldManager'),
          queryParam('fieldValidation'),
        ],
        responses: { '200': { description: 'OK' } },
      },
      patch: {
        operationId: opName('patch'),
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [
          queryParam('dryRun'),
          queryParam('fieldManager'),
          queryParam('fieldValidation'),
          queryParam('force', 'boolean'),
        ],
        responses: { '200': { description: 'OK' } },
      },
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
        ...(rt.namespaced
          ? [
              {
                name: 'namespace',
                in: 'path',
                required: true,
                schema: { type: 'string', uniqueItems: true },
              },
            ]
          : []),
      ],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths,
    components: { schemas },
  };
}

/** The whole v2 document: kube-apiserver's paths are left out (no client here reads them). */
export function openApiV2Doc(
  gitVersion: string,
  definitions: Record<string, Schema>,
): {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, never>;
  definitions: Record<string, Schema>;
} {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: {},
    definitions,
  };
}

export function openApiV3Index(
  types: ResourceType[],
  gitVersion: string,
  definitions: Record<string, Schema>,
): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const rt of types) {
    const p = gvPath(rt);
    if (paths[p]) continue;
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiV3Doc(types, p, gitVersion, definitions)))
      .digest('hex')
      .slice(0, 128)
      .toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

export { groupVersion };
