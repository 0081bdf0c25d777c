/**
 * kube-apiserver's discovery and version documents: `/version`, OpenAPI v2 (JSON or protobuf) and
 * v3, legacy discovery (`/api`, `/apis`, group and group-version lists) and aggregated discovery
 * (v2 and v2beta1).
 */
import type { KubeCluster } from './KubeCluster';
import { KubeStatusError } from './KubeStatusError';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import { send, writeHead, type Req, type Res } from './httpExchange';
import { openApiV2Doc, openApiV3Doc, openApiV3Index } from './openapi';
import type { Schema } from './openapi/kubeSchemas';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF } from './openapi/openApiV2Protobuf';

/** Serves discovery and version documents; false when `path` is not one. */
export function serveDiscovery(
  cluster: KubeCluster,
  /** The published schemas, for the OpenAPI documents. */
  definitions: () => Record<string, Schema>,
  req: Req,
  res: Res,
  path: string,
): boolean {
  if (req.method !== 'GET') return false;
  const types = cluster.types();
  const extra = cluster.aggregatedApis();
  const accept = req.headers.accept ?? '';
  const aggregated = accept.includes('as=APIGroupDiscoveryList')
    ? /g=apidiscovery\.k8s\.io;\s*v=v2(?!beta)/.test(accept)
      ? 'v2'
      : accept.includes('v=v2beta1')
        ? 'v2beta1'
        : undefined
    : undefined;
  if (path === '/version') {
    const [major, minor] = cluster.version.split('.');
    send(res, 200, {
      major,
      minor: `${minor}+`,
      gitVersion: cluster.gitVersion,
      gitCommit: Buffer.from(cluster.gitVersion).toString('hex').slice(0, 40).padEnd(40, '0'),
      gitTreeState: 'clean',
      buildDate: '2025-01-01T00:00:00Z',
      goVersion: 'go1.22.10',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
    return true;
  }
  if (path === '/openapi/v2') {
    const doc = openApiV2Doc(cluster.gitVersion, definitions());
    // client-go asks for the protobuf form; browsers and curl get JSON.
    if (accept.includes('com.github.proto-openapi.spec.v2')) {
      const body = encodeOpenApiV2(doc);
      writeHead(res, 200, {
        'content-type': OPENAPI_V2_PROTOBUF,
        'content-length': body.length,
        'cache-control': 'no-cache, private',
      });
      res.end(body);
    } else send(res, 200, doc);
    return true;
  }
  if (path === '/openapi/v3') {
    send(res, 200, openApiV3Index(types, cluster.gitVersion, definitions()));
    return true;
  }
  if (path.startsWith('/openapi/v3/')) {
    const doc = openApiV3Doc(
      types,
      path.slice('/openapi/v3/'.length),
      cluster.gitVersion,
      definitions(),
    );
    if (!doc) throw KubeStatusError.pathNotFound();
    send(res, 200, doc);
    return true;
  }
  if (path === '/api' || path === '/apis') {
    if (aggregated) {
      send(
        res,
        200,
        aggregatedDiscovery(types, path === '/api', aggregated, extra),
        aggregated === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1,
      );
    } else {
      send(res, 200, path === '/api' ? apiVersions() : apiGroupList(types, extra));
    }
    return true;
  }
  const core = path.match(/^\/api\/([^/]+)$/);
  if (core) {
    if (!types.some((t) => t.group === '' && t.version === core[1]))
      throw KubeStatusError.pathNotFound();
    send(res, 200, apiResourceList(types, '', core[1]!));
    return true;
  }
  const grp = path.match(/^\/apis\/([^/]+)$/);
  if (grp) {
    const doc = apiGroupDoc(types, grp[1]!, extra);
    if (!doc) throw KubeStatusError.pathNotFound();
    send(res, 200, doc);
    return true;
  }
  const gv = path.match(/^\/apis\/([^/]+)\/([^/]+)$/);
  if (gv) {
    if (![...types, ...extra].some((t) => t.group === gv[1] && t.version === gv[2]))
      throw KubeStatusError.pathNotFound();
    send(res, 200, apiResourceList(types, gv[1]!, gv[2]!));
    return true;
  }
  return false;
}
