/**
 * The HTTP face of one sandbox cluster: kube-apiserver's REST API on loopback (plain HTTP, bearer
 * token), close enough that kubectl, helm and @kubernetes/client-node run against it unmodified:
 * discovery (legacy and aggregated v2), CRUD, the four patch types, server-side apply, tables for
 * `kubectl get`, watch streams, the scale and status subresources, dry runs, fault injection,
 * and authorization: the creator (system:masters) may do anything except what the cluster's access
 * denials take away; the users the cluster names and anyone impersonated (`--as`) get what RBAC
 * grants (403 Forbidden in kube-apiserver's words, and access reviews answered from the bindings).
 */
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { Faults } from '../faults/Faults';
import { KubeCluster, groupResource, type Target, type WatchEvent } from './KubeCluster';
import { KubeStatusError, reasonForCode } from './KubeStatusError';
import { groupVersion, type ResourceType } from './ResourceTypes';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import { parseFieldSelector, parseLabelSelector } from './labelSelector';
import { isPlainObject } from './managedFields';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches';
import { decodeKubeProtobuf } from './protobuf';
import { openApiV2Doc, openApiV3Doc, openApiV3Index } from './openapi';
import { clusterDefinitions } from './openapi/kubeSchemas';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF } from './openapi/openApiV2Protobuf';
import { unknownFields } from './openapi/unknownFields';
import type { Schema } from './openapi/kubeSchemas';
import { SANDBOX_TLS_CERT, SANDBOX_TLS_KEY } from './sandboxTls';
import { toTable } from './tables';
import type { KubeObject } from './types';
import {
  impersonatedUser,
  impersonationChecks,
  requestedImpersonation,
} from './rbac/impersonation';
import { rulesFor, type RequestAttributes, type UserInfo } from './rbac/rbacAuthorizer';
import { CLUSTER_CREATOR, isSuperuser } from './rbac/rbacUsers';

/** kube-apiserver's request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Longest a watch stays open when the client names no timeout. */
const DEFAULT_WATCH_SECONDS = 1800;

export interface KubeApiServerOptions {
  /** The bearer token clients must present. */
  token: string;
  faults?: Faults;
  /**
   * Accepts EKS tokens (`k8s-aws-v1.<presigned STS GetCallerIdentity URL>`, what `aws eks get-token`
   * prints) when this says the URL's access key may use the cluster.
   */
  authorizeAwsToken?: (accessKeyId: string) => boolean;
  /**
   * Scheme of the URL `listen()` returns (default `https`). The port answers both: TLS with the
   * sandbox certificate and plain HTTP. kubectl and helm need https to send the token at all.
   */
  scheme?: 'https' | 'http';
}

interface Route {
  group: string;
  version: string;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'apply'
  | 'delete'
  | 'deletecollection';

/**
 * The port speaks HTTP/1.1 and, over TLS, HTTP/2 (ALPN h2, as kube-apiserver): kubectl, helm and
 * the CLI's gateway use HTTP/2, curl and plain clients HTTP/1.1. Handlers see either through
 * Node's compatibility API.
 */
type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/**
 * `res.writeHead` for either protocol: their overloads differ (HTTP/1.1 also takes a header
 * array), so TypeScript cannot call it on the union.
 */
function writeHead(res: Res, status: number, headers: http.OutgoingHttpHeaders): Res {
  return res instanceof http2.Http2ServerResponse
    ? res.writeHead(status, headers)
    : res.writeHead(status, headers);
}

/** HTTP/2 forbids connection-specific headers (connection, transfer-encoding). */
function isHttp2(req: Req): boolean {
  return req.httpVersionMajor === 2;
}

const PATCH_TYPES: Record<string, 'json' | 'merge' | 'strategic' | 'apply'> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export class KubeApiServer {
  private readonly server: net.Server;
  private readonly http: http.Server;
  private readonly https: http2.Http2SecureServer;
  private readonly watches = new Set<() => void>();
  private readonly sockets = new Set<net.Socket>();
  private url = '';

  constructor(
    readonly cluster: KubeCluster,
    private readonly opts: KubeApiServerOptions,
  ) {
    const onRequest = (req: Req, res: Res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Last resort: a handler bug answers 500 instead of taking the process down.
        const status =
          err instanceof KubeStatusError
            ? err
            : KubeStatusError.internal((err as Error)?.message ?? String(err));
        if (!res.headersSent) send(res, status.code, status.toStatus());
        else res.end();
      });
    };
    this.http = http.createServer(onRequest);
    this.https = http2.createSecureServer(
      { cert: SANDBOX_TLS_CERT, key: SANDBOX_TLS_KEY, allowHTTP1: true },
      onRequest,
    );
    this.http.keepAliveTimeout = 5000;
    this.https.on('tlsClientError', (_err, socket) => socket.destroy());
    // One port, two protocols: a TLS ClientHello starts with byte 0x16.
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.once('data', (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        (first[0] === 0x16 ? this.https : this.http).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const h = host.includes(':') ? `[${host}]` : host;
    this.url = `${this.opts.scheme ?? 'https'}://${h}:${addr.port}`;
    return this.url;
  }

  get endpoint(): string {
    return this.url;
  }

  async close(): Promise<void> {
    for (const stop of [...this.watches]) stop();
    this.http.closeAllConnections();
    // HTTP/2 sessions and HTTP/1.1-over-TLS connections end with their sockets.
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Who the bearer token is: the creator, a user the cluster names, or nobody (401). */
  private authenticate(req: Req): UserInfo | undefined {
    const h = req.headers.authorization ?? '';
    const m = h.match(/^Bearer\s+(.+)$/i);
    if (!m) return undefined;
    const token = m[1]!.trim();
    if (token === this.opts.token) return CLUSTER_CREATOR;
    if (token.startsWith('k8s-aws-v1.')) {
      const akid = awsTokenAccessKey(token);
      if (akid === undefined) return undefined;
      const named = this.cluster.rbacUser({ accessKeyId: akid });
      if (named) return named;
      return this.opts.authorizeAwsToken?.(akid) ? CLUSTER_CREATOR : undefined;
    }
    return this.cluster.rbacUser({ token });
  }

  /** The user a request acts as: its own, or the one it impersonates if it may. */
  private actingAs(req: Req, user: UserInfo): UserInfo {
    const imp = requestedImpersonation(req.headers);
    if (!imp) return user;
    for (const check of impersonationChecks(imp)) {
      if (!this.cluster.authorize(user, check).allowed)
        throw KubeStatusError.forbidden(
          { group: check.group ?? '', resource: check.resource ?? '' },
          check.name,
          user.name,
          { verb: check.verb, resource: check.resource ?? '', namespace: check.namespace },
        );
    }
    const as = impersonatedUser(imp);
    if (!as)
      throw KubeStatusError.badRequest(
        `requested ${JSON.stringify(imp.groups)} without impersonating a user`,
      );
    return as;
  }

  private async handle(req: Req, res: Res): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const path = u.pathname.replace(/\/+$/, '') || '/';
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      const err = e instanceof KubeStatusError ? e : KubeStatusError.badRequest(String(e));
      if (!isHttp2(req)) res.setHeader('connection', 'close');
      send(res, err.code, err.toStatus());
      return;
    }
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      writeHead(res, 200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    const authenticated = this.authenticate(req);
    if (!authenticated) {
      fail(res, KubeStatusError.unauthorized());
      return;
    }
    await this.opts.faults?.delay();
    try {
      const user = this.actingAs(req, authenticated);
      // Discovery is everyone's (system:discovery is bound to system:authenticated).
      if (this.discovery(req, res, path)) return;
      const route = this.route(path);
      if (!route) throw KubeStatusError.pathNotFound();
      await this.resource(req, res, u, route, body, user);
    } catch (e) {
      if (e instanceof KubeStatusError) fail(res, e);
      else throw e;
    }
  }

  private definitionsCache?: { revision: number; defs: Record<string, Schema> };

  /**
   * The published schemas, recomputed only when a CRD changed (listing the CRDs clones them, and
   * every write is checked against these).
   */
  private definitions(): Record<string, Schema> {
    const revision = this.cluster.crdsRevision;
    if (this.definitionsCache?.revision !== revision) {
      const crds = this.cluster.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
      this.definitionsCache = { revision, defs: clusterDefinitions(this.cluster.types(), crds) };
    }
    return this.definitionsCache.defs;
  }

  /**
   * Server-side field validation of a decoded body: Strict refuses undeclared fields with 400,
   * Warn (the default) answers with a Warning header per field, Ignore does nothing.
   */
  private checkFields(
    res: Res,
    rt: ResourceType,
    obj: unknown,
    mode: string | null,
    applying: boolean,
  ): void {
    if (mode === 'Ignore') return;
    const defs = this.definitions();
    const name = Object.keys(defs).find((n) =>
      ((defs[n]!['x-kubernetes-group-version-kind'] ?? []) as ResourceType[]).some(
        (g) => g.group === rt.group && g.version === rt.version && g.kind === rt.kind,
      ),
    );
    if (!name) return;
    const unknown = unknownFields(obj, defs[name]!, defs);
    if (unknown.length === 0) return;
    if (mode === 'Strict') {
      if (applying)
        throw KubeStatusError.badRequest(
          `failed to create typed patch object (${groupVersion(rt)}, Kind=${rt.kind}): ${unknown.map((f) => `.${f}: field not declared in schema`).join(', ')}`,
        );
      throw KubeStatusError.badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    res.setHeader(
      'warning',
      unknown.map((f) => `299 - "unknown field \\"${f}\\""`),
    );
  }

  /** Serves discovery and version documents; false when `path` is not one. */
  private discovery(req: Req, res: Res, path: string): boolean {
    if (req.method !== 'GET') return false;
    const types = this.cluster.types();
    const extra = this.cluster.aggregatedApis();
    const accept = req.headers.accept ?? '';
    const aggregated = accept.includes('as=APIGroupDiscoveryList')
      ? /g=apidiscovery\.k8s\.io;\s*v=v2(?!beta)/.test(accept)
        ? 'v2'
        : accept.includes('v=v2beta1')
          ? 'v2beta1'
          : undefined
      : undefined;
    if (path === '/version') {
      const [major, minor] = this.cluster.version.split('.');
      send(res, 200, {
        major,
        minor: `${minor}+`,
        gitVersion: this.cluster.gitVersion,
        gitCommit: Buffer.from(this.cluster.gitVersion)
          .toString('hex')
          .slice(0, 40)
          .padEnd(40, '0'),
        gitTreeState: 'clean',
        buildDate: '2025-01-01T00:00:00Z',
        goVersion: 'go1.22.10',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
      return true;
    }
    const definitions = () => this.definitions();
    if (path === '/openapi/v2') {
      const doc = openApiV2Doc(this.cluster.gitVersion, definitions());
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
      send(res, 200, openApiV3Index(types, this.cluster.gitVersion, definitions()));
      return true;
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiV3Doc(
        types,
        path.slice('/openapi/v3/'.length),
        this.cluster.gitVersion,
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

  private route(path: string): Route | undefined {
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api' && seg.length >= 3) [group, version, rest] = ['', seg[1]!, seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length >= 4)
      [group, version, rest] = [seg[1]!, seg[2]!, seg.slice(3)];
    else return undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const rt = this.cluster.resolve(group, version, rest[2]!);
      if (rt?.namespaced) {
        if (rest.length > 5) return undefined;
        return { group, version, rt, namespace: rest[1], name: rest[3], subresource: rest[4] };
      }
    }
    const rt = this.cluster.resolve(group, version, rest[0]!);
    if (!rt || rest.length > 3) return undefined;
    return { group, version, rt, name: rest[1], subresource: rest[2] };
  }

  private async resource(
    req: Req,
    res: Res,
    u: URL,
    r: Route,
    raw: Buffer,
    user: UserInfo,
  ): Promise<void> {
    const q = u.searchParams;
    const method = req.method ?? 'GET';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const watch = q.get('watch') === 'true' || q.get('watch') === '1';
    let verb: Verb;
    if (method === 'GET') verb = r.name ? 'get' : watch ? 'watch' : 'list';
    else if (method === 'POST') verb = 'create';
    else if (method === 'PUT') verb = 'update';
    else if (method === 'PATCH')
      verb = contentType === 'application/apply-patch+yaml' ? 'apply' : 'patch';
    else if (method === 'DELETE') verb = r.name ? 'delete' : 'deletecollection';
    else throw KubeStatusError.methodNotAllowed(method, groupResource(r.rt));

    const rt = r.rt;
    if (r.subresource && !rt.subresources.includes(r.subresource))
      throw KubeStatusError.pathNotFound();
    if (r.subresource && !['get', 'update', 'patch', 'apply'].includes(verb))
      throw KubeStatusError.methodNotAllowed(method, groupResource(rt));
    const review = rt.group === 'authorization.k8s.io';
    if (review ? verb !== 'create' : !rt.verbs.includes(verb === 'apply' ? 'patch' : verb)) {
      throw KubeStatusError.methodNotAllowed(method, groupResource(rt));
    }
    if (rt.namespaced && !r.namespace && !['list', 'watch'].includes(verb) && !review)
      throw KubeStatusError.pathNotFound();
    if (!r.name && ['update', 'patch', 'apply'].includes(verb))
      throw KubeStatusError.methodNotAllowed(method, groupResource(rt));
    if (r.name && verb === 'create')
      throw KubeStatusError.methodNotAllowed(method, groupResource(rt));

    // RBAC calls server-side apply `patch`.
    const authzVerb = verb === 'apply' ? 'patch' : verb;
    if (
      !this.cluster.authorize(user, {
        verb: authzVerb,
        group: rt.group,
        resource: rt.plural,
        subresource: r.subresource,
        namespace: rt.namespaced ? r.namespace : undefined,
        name: r.name,
      }).allowed
    ) {
      throw KubeStatusError.forbidden(groupResource(rt), r.name, user.name, {
        verb: authzVerb,
        resource: r.subresource ? `${rt.plural}/${r.subresource}` : rt.plural,
        namespace: rt.namespaced ? r.namespace : undefined,
      });
    }

    const point = `kube.${verb === 'deletecollection' ? 'delete' : verb}.${rt.plural}${r.subresource ? `/${r.subresource}` : ''}`;
    const outcome = this.opts.faults?.check(point) ?? { kind: 'ok' as const };
    if (outcome.kind === 'fault') throw faultStatus(outcome.fault);
    if (outcome.kind === 'throttle')
      throw new KubeStatusError(
        429,
        'TooManyRequests',
        'the server has received too many requests and has asked us to try again later',
        { retryAfterSeconds: 1 },
      );
    if (outcome.kind === 'server-error') throw KubeStatusError.internal('injected server error');

    const dryRun = q.getAll('dryRun').includes('All');
    if (q.getAll('dryRun').some((d) => d !== 'All'))
      throw KubeStatusError.badRequest(`Invalid dry run value: ${q.getAll('dryRun').join(',')}`);
    const fv = q.get('fieldValidation');
    if (fv && !['Strict', 'Warn', 'Ignore'].includes(fv))
      throw KubeStatusError.badRequest(
        `fieldValidation must be one of "Ignore", "Warn", or "Strict"`,
      );
    const fieldManager = q.get('fieldManager') ?? managerFromUserAgent(req.headers['user-agent']);
    if (fieldManager.length > 128)
      throw KubeStatusError.badRequest('fieldManager: Too long: may not be more than 128 bytes');
    const t: Target = { rt, namespace: r.namespace, name: r.name ?? '' };
    const wopts = {
      fieldManager,
      dryRun,
      subresource: r.subresource === 'status' ? 'status' : undefined,
    };
    const accept = req.headers.accept ?? '';

    if (verb === 'watch') {
      this.watch(req, res, r, q);
      return;
    }

    let status = 200;
    let result: unknown;
    switch (verb) {
      case 'get': {
        if (r.subresource === 'scale') result = this.cluster.getScale(t);
        else {
          const o = this.cluster.getIn(t);
          result = wantsTable(accept)
            ? toTable(
                rt,
                [o],
                { resourceVersion: o.metadata.resourceVersion },
                q.get('includeObject') ?? 'Metadata',
              )
            : o;
        }
        break;
      }
      case 'list': {
        const limit = q.get('limit');
        const list = this.cluster.listIn(rt, r.namespace, {
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
          limit: limit ? Number(limit) : undefined,
          continue: q.get('continue') ?? undefined,
        });
        const meta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
        if (list.continue) meta.continue = list.continue;
        if (list.remainingItemCount !== undefined)
          meta.remainingItemCount = list.remainingItemCount;
        if (wantsTable(accept))
          result = toTable(rt, list.items, meta, q.get('includeObject') ?? 'Metadata');
        else if (accept.includes('as=PartialObjectMetadataList')) {
          result = {
            kind: 'PartialObjectMetadataList',
            apiVersion: 'meta.k8s.io/v1',
            metadata: meta,
            items: list.items.map((o) => ({
              kind: 'PartialObjectMetadata',
              apiVersion: 'meta.k8s.io/v1',
              metadata: o.metadata,
            })),
          };
        } else
          result = {
            kind: `${rt.kind}List`,
            apiVersion: groupVersion(rt),
            metadata: meta,
            items: list.items,
          };
        break;
      }
      case 'create': {
        const obj = decodeObject(raw, contentType);
        if (review) {
          result = accessReview(rt, obj, this.cluster, user);
          status = 201;
          break;
        }
        this.checkFields(res, rt, obj, fv, false);
        // etcd3's Create refuses a set resourceVersion (an object copied from a read, most likely).
        const rv =
          isPlainObject(obj) && isPlainObject(obj.metadata)
            ? obj.metadata.resourceVersion
            : undefined;
        if (typeof rv === 'string' && /^\d+$/.test(rv) && Number(rv) !== 0)
          throw new KubeStatusError(
            500,
            '',
            'resourceVersion should not be set on objects to be created',
          );
        result = this.cluster.createIn(t, obj, wopts);
        status = 201;
        break;
      }
      case 'update': {
        const obj = decodeObject(raw, contentType);
        if (r.subresource === 'scale') result = this.cluster.setScale(t, obj, wopts);
        else {
          this.checkFields(res, rt, obj, fv, false);
          const existed = this.cluster.find(t) !== undefined;
          result = this.cluster.updateIn(t, obj, wopts);
          if (!existed) status = 201;
        }
        break;
      }
      case 'patch': {
        const type = PATCH_TYPES[contentType];
        const accepted = [
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/apply-patch+yaml',
          ...(rt.builtin ? ['application/strategic-merge-patch+json'] : []),
        ];
        if (!type || (type === 'strategic' && !rt.builtin && r.subresource !== 'scale'))
          throw KubeStatusError.unsupportedMediaType(contentType, accepted);
        const patch = decodeJson(raw, 'error decoding patch');
        if (r.subresource === 'scale') {
          const scale = this.cluster.getScale(t);
          const patched =
            type === 'json'
              ? applyJsonPatch(scale, patch)
              : type === 'merge'
                ? applyMergePatch(scale, patch)
                : applyStrategicMergePatch(rt, scale, patch);
          result = this.cluster.setScale(t, patched, wopts);
        } else {
          result = this.cluster.patchIn(t, type as 'json' | 'merge' | 'strategic', patch, wopts);
        }
        break;
      }
      case 'apply': {
        if (r.subresource === 'scale')
          throw KubeStatusError.unsupportedMediaType(contentType, [
            'application/json-patch+json',
            'application/merge-patch+json',
            'application/strategic-merge-patch+json',
          ]);
        const obj = decodeYaml(raw);
        this.checkFields(res, rt, obj, fv, true);
        const force = q.get('force') === 'true';
        if (!q.get('fieldManager'))
          throw KubeStatusError.badRequest(
            'PATCH, application/apply-patch+yaml requires fieldManager to be set',
          );
        const existed = this.cluster.find(t) !== undefined;
        result = this.cluster.applyIn(t, obj, { ...wopts, force });
        if (!existed) status = 201;
        break;
      }
      case 'delete': {
        // DeleteOptions sent as protobuf (typed clients) carry nothing this server acts on.
        const opts =
          raw.length && contentType !== 'application/vnd.kubernetes.protobuf'
            ? decodeJson(raw, "couldn't get version/kind; json parse error")
            : {};
        const pre =
          isPlainObject(opts) && isPlainObject(opts.preconditions) ? opts.preconditions : {};
        const policy =
          q.get('propagationPolicy') ?? (isPlainObject(opts) ? opts.propagationPolicy : undefined);
        if (
          policy !== undefined &&
          policy !== null &&
          !['Orphan', 'Background', 'Foreground'].includes(String(policy))
        ) {
          throw KubeStatusError.invalid('DeleteOptions', '', '', [
            {
              field: 'propagationPolicy',
              type: 'Unsupported value',
              detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
              value: policy,
            },
          ]);
        }
        const bodyDryRun =
          isPlainObject(opts) && Array.isArray(opts.dryRun) && opts.dryRun.includes('All');
        result = this.cluster.deleteIn(t, {
          dryRun: dryRun || bodyDryRun,
          preconditionUid: typeof pre.uid === 'string' ? pre.uid : undefined,
          preconditionRv: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
        });
        break;
      }
      case 'deletecollection': {
        const list = this.cluster.listIn(rt, r.namespace, {
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
        });
        const items = list.items.map((o) =>
          this.cluster.deleteIn(
            { rt, namespace: o.metadata.namespace, name: o.metadata.name },
            { dryRun },
          ),
        );
        result = {
          kind: `${rt.kind}List`,
          apiVersion: groupVersion(rt),
          metadata: { resourceVersion: String(this.cluster.resourceVersion) },
          items,
        };
        break;
      }
    }
    if (outcome.kind === 'ok' && outcome.after) throw faultStatus(outcome.after);
    send(res, status, result);
  }

  private watch(req: Req, res: Res, r: Route, q: URLSearchParams): void {
    const rt = r.rt;
    const labels = parseLabelSelector(q.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(q.get('fieldSelector') ?? undefined);
    const rvParam = q.get('resourceVersion');
    const since = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (since !== undefined && !Number.isInteger(since))
      throw KubeStatusError.badRequest(`invalid resource version: ${rvParam}`);
    const timeout = Math.min(
      Number(q.get('timeoutSeconds') ?? DEFAULT_WATCH_SECONDS) || DEFAULT_WATCH_SECONDS,
      DEFAULT_WATCH_SECONDS,
    );
    writeHead(res, 200, {
      'content-type': 'application/json',
      ...(isHttp2(req) ? {} : { 'transfer-encoding': 'chunked' }),
      'cache-control': 'no-cache, private',
    });
    // Both response kinds stream and flush headers; their typings share no write signature.
    const stream = res as unknown as { flushHeaders(): void; write(chunk: string): boolean };
    stream.flushHeaders();
    const key = `${rt.group}/${rt.plural}`;
    const matches = (o: KubeObject) =>
      (!rt.namespaced || !r.namespace || o.metadata.namespace === r.namespace) &&
      (!r.name || o.metadata.name === r.name) &&
      labels(o.metadata.labels ?? {}) &&
      fields(o);
    // With as=Table each event carries a one-row Table (kubectl get --watch prints its rows);
    // kube-apiserver sends the column definitions with the first event only.
    const asTable = wantsTable(req.headers.accept ?? '');
    const includeObject = q.get('includeObject') ?? 'Metadata';
    let columnsSent = false;
    const render = (type: string, object: KubeObject): unknown => {
      if (!asTable || type === 'ERROR') return object;
      const table = toTable(
        rt,
        [object],
        { resourceVersion: object.metadata.resourceVersion },
        includeObject,
      );
      if (columnsSent) table.columnDefinitions = [];
      columnsSent = true;
      return table;
    };
    const write = (type: string, object: unknown) =>
      stream.write(JSON.stringify({ type, object: render(type, object as KubeObject) }) + '\n');
    if (since !== undefined && !this.cluster.canWatchFrom(since)) {
      write(
        'ERROR',
        new KubeStatusError(
          410,
          'Expired',
          `too old resource version: ${since} (${this.cluster.resourceVersion})`,
        ).toStatus(),
      );
      res.end();
      return;
    }
    // A streaming list (client-go's WatchList, which helm v4's watcher uses): the current state as
    // ADDED events, then a bookmark marking their end.
    const initialEvents = q.get('sendInitialEvents') === 'true';
    if (since === undefined || initialEvents) {
      for (const o of this.cluster.listIn(rt, r.namespace).items) if (matches(o)) write('ADDED', o);
    }
    if (initialEvents)
      write('BOOKMARK', {
        kind: rt.kind,
        apiVersion: groupVersion(rt),
        metadata: {
          resourceVersion: String(this.cluster.resourceVersion),
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      });
    const onEvent = (e: WatchEvent) => {
      if (e.resource !== key || !matches(e.object)) return;
      write(e.type, { ...e.object, apiVersion: groupVersion(rt) });
    };
    const unsubscribe = this.cluster.watch(onEvent, initialEvents ? undefined : since);
    const stop = () => {
      clearTimeout(timer);
      unsubscribe();
      this.watches.delete(stop);
      if (!res.writableEnded) res.end();
    };
    const timer = setTimeout(stop, timeout * 1000);
    this.watches.add(stop);
    req.on('close', stop);
    res.on('close', stop);
  }
}

function faultStatus(f: { status?: number; code?: string; message?: string }): KubeStatusError {
  const code = f.status ?? 500;
  return new KubeStatusError(
    code,
    f.code ?? reasonForCode(code),
    f.message ?? `injected fault (${code})`,
  );
}

/** apiserver's default field manager: the User-Agent up to the first `/`. */
export function managerFromUserAgent(ua: string | undefined): string {
  return [...(ua ?? '').split('/')[0]!]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .slice(0, 128);
}

function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function send(res: Res, status: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  writeHead(res, status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
  });
  res.end(text);
}

function fail(res: Res, e: KubeStatusError): void {
  send(res, e.code, e.toStatus());
}

function readBody(req: Req): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(KubeStatusError.tooLarge(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        chunks.length = 0;
        reject(KubeStatusError.tooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

function decodeJson(raw: Buffer, prefix: string): unknown {
  if (raw.length === 0) throw KubeStatusError.badRequest(`${prefix}: unexpected end of JSON input`);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw KubeStatusError.badRequest(`${prefix}: ${(e as Error).message}`);
  }
}

function decodeObject(raw: Buffer, contentType: string): unknown {
  if (contentType === 'application/yaml') return decodeYaml(raw);
  if (contentType === 'application/vnd.kubernetes.protobuf') return decodeKubeProtobuf(raw);
  if (contentType && contentType !== 'application/json' && contentType !== '*/*') {
    throw KubeStatusError.unsupportedMediaType(contentType, [
      'application/json',
      'application/yaml',
    ]);
  }
  return decodeJson(raw, "couldn't get version/kind; json parse error");
}

function decodeYaml(raw: Buffer): unknown {
  if (raw.length === 0) throw KubeStatusError.badRequest('error decoding YAML: empty body');
  try {
    return parseYaml(raw.toString('utf8'), { maxAliasCount: 100 });
  } catch (e) {
    throw KubeStatusError.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * authorization.k8s.io reviews, answered by the same authorizer as requests: Self* reviews for the
 * requesting (or impersonated) user, SubjectAccessReview for the user and groups it names.
 */
function accessReview(
  rt: ResourceType,
  body: unknown,
  cluster: KubeCluster,
  requester: UserInfo,
): KubeObject {
  if (!isPlainObject(body) || body.kind !== rt.kind)
    throw KubeStatusError.badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind})`,
    );
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  let status: Record<string, unknown>;
  if (rt.kind === 'SelfSubjectRulesReview') {
    const all = isSuperuser(requester);
    const rules = all ? undefined : rulesFor(cluster.rbacPolicy(), requester, str(spec.namespace));
    status = {
      resourceRules: rules?.resourceRules ?? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: rules?.nonResourceRules ?? [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  } else {
    const user: UserInfo =
      rt.kind === 'SubjectAccessReview'
        ? {
            name: str(spec.user) ?? '',
            groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
          }
        : requester;
    const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    const nra = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
    const attrs: RequestAttributes | undefined = ra
      ? {
          verb: str(ra.verb) ?? '',
          group: str(ra.group) ?? '',
          resource: str(ra.resource) ?? '',
          subresource: str(ra.subresource),
          namespace: str(ra.namespace),
          name: str(ra.name),
        }
      : nra
        ? { verb: str(nra.verb) ?? '', path: str(nra.path) ?? '' }
        : undefined;
    if (!attrs)
      throw KubeStatusError.invalid(rt.kind, rt.group, '', [
        {
          field: 'spec.resourceAttributes',
          type: 'Invalid value',
          detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified',
          value: '',
        },
      ]);
    const decision = cluster.authorize(user, attrs);
    // RBAC gives no reason when nothing grants the permission.
    status = decision.reason
      ? { allowed: decision.allowed, reason: decision.reason }
      : { allowed: decision.allowed };
  }
  return {
    apiVersion: groupVersion(rt),
    kind: rt.kind,
    metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'],
    spec: body.spec ?? {},
    status,
  };
}

/** The access key of an EKS token's presigned GetCallerIdentity URL, if the token is well formed and fresh. */
export function awsTokenAccessKey(token: string): string | undefined {
  try {
    const url = new URL(
      Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'),
    );
    const q = url.searchParams;
    if (q.get('Action') !== 'GetCallerIdentity') return undefined;
    const cred = q.get('X-Amz-Credential');
    const date = q.get('X-Amz-Date');
    if (!cred || !date) return undefined;
    const m = date.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
    if (!m) return undefined;
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    // EKS accepts a token for 15 minutes whatever X-Amz-Expires says.
    if (Date.now() - signedAt > 15 * 60 * 1000 || signedAt - Date.now() > 5 * 60 * 1000)
      return undefined;
    return cred.split('/')[0] || undefined;
  } catch {
    return undefined;
  }
}
