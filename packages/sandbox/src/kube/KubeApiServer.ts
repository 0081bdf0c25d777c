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
import type { Faults } from '../faults/Faults';
import { FieldValidator } from './FieldValidator';
import type { KubeCluster } from './KubeCluster';
import { KubeStatusError } from './KubeStatusError';
import { awsTokenAccessKey } from './awsTokenAccessKey';
import { fail, isHttp2, send, writeHead, type Req, type Res } from './httpExchange';
import { readBody } from './requestBody';
import { routeOf } from './routeOf';
import { SANDBOX_TLS_CERT, SANDBOX_TLS_KEY } from './sandboxTls';
import { serveDiscovery } from './serveDiscovery';
import { serveResource } from './serveResource';
import {
  impersonatedUser,
  impersonationChecks,
  requestedImpersonation,
} from './rbac/impersonation';
import type { UserInfo } from './rbac/rbacAuthorizer';
import { CLUSTER_CREATOR } from './rbac/rbacUsers';

export { awsTokenAccessKey } from './awsTokenAccessKey';
export { MAX_BODY_BYTES } from './requestBody';
export { managerFromUserAgent } from './serveResource';

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

export class KubeApiServer {
  private readonly server: net.Server;
  private readonly http: http.Server;
  private readonly https: http2.Http2SecureServer;
  private readonly watches = new Set<() => void>();
  private readonly sockets = new Set<net.Socket>();
  private url = '';
  private readonly fields: FieldValidator;

  constructor(
    readonly cluster: KubeCluster,
    private readonly opts: KubeApiServerOptions,
  ) {
    this.fields = new FieldValidator(cluster);
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
      if (serveDiscovery(this.cluster, () => this.fields.definitions(), req, res, path)) return;
      const route = routeOf(this.cluster, path);
      if (!route) throw KubeStatusError.pathNotFound();
      serveResource(
        {
          cluster: this.cluster,
          faults: this.opts.faults,
          fields: this.fields,
          watches: this.watches,
        },
        req,
        res,
        u,
        route,
        body,
        user,
      );
    } catch (e) {
      if (e instanceof KubeStatusError) fail(res, e);
      else throw e;
    }
  }
}
