/**
 * Just enough OpenAPI v3 for kubectl and helm: the /openapi/v3 index and, per group-version, the
 * PATCH operations with their query parameters. kubectl reads them to learn that the server
 * validates fields itself (`fieldValidation`), so it skips client-side schema validation. No
 * component schemas are published: kubectl then builds strategic merge patches from its compiled-in
 * types (JSON merge patches for custom resources), as it does against servers without schemas.
 * /openapi/v2 stays 404 (clients treat it as optional once v3 answers).
 */
import { createHash } from 'node:crypto';
import { groupVersion, type ResourceType } from './ResourceTypes';

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
): Record<string, unknown> | undefined {
  const members = types.filter((t) => gvPath(t) === path);
  if (members.length === 0) return undefined;
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
    components: {},
  };
}

export function openApiV3Index(types: ResourceType[], gitVersion: string): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const rt of types) {
    const p = gvPath(rt);
    if (paths[p]) continue;
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiV3Doc(types, p, gitVersion)))
      .digest('hex')
      .slice(0, 128)
      .toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

export { groupVersion };
