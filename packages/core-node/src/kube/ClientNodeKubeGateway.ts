/**
 * KubeGateway over a client-node KubeConfig: client-node resolves the context's TLS and
 * credentials (tokens, client certificates, exec plugins such as `aws eks get-token`, proxies);
 * requests go out as plain JSON so objects come back exactly as the API server sent them
 * (client-node's typed models would turn timestamps into Dates and drop unknown fields).
 *
 * Kinds are resolved through discovery, remembered per group version once found. A kind the
 * server does not serve (a CRD that is not installed) lists as empty and gets as undefined.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import {
  GatewayError,
  type GatewayErrorKind,
  type KubeGateway,
  type KubeListOptions,
  type KubeObject,
  type KubeRef,
  type KubeVersion,
} from '@hyperpod/core';

export interface ClientNodeKubeGatewayOptions {
  /** For messages; default the KubeConfig's current context. */
  name?: string;
  /** Milliseconds an answer may take. Default 30000. */
  requestTimeoutMs?: number;
  /** Objects per list page (the API server's `limit`). Default 500, as kubectl. */
  pageSize?: number;
  /**
   * Bearer token for every request, in place of the user's own (an EKS token minted in-process
   * instead of running `aws eks get-token`). Give the KubeConfig a user without credentials then,
   * or its exec plugin still runs.
   */
  bearerToken?: () => Promise<string>;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

interface Response {
  status: number;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_SIZE = 500;

export class ClientNodeKubeGateway implements KubeGateway {
  readonly name: string;
  private readonly server: URL;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly bearerToken: (() => Promise<string>) | undefined;
  private readonly discovery = new Map<string, Promise<ApiResource[] | undefined>>();
  private agent: http.Agent | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    opts: ClientNodeKubeGatewayOptions = {},
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster)
      throw new GatewayError(
        'InvalidParameter',
        `context "${kubeConfig.getCurrentContext()}" has no cluster entry`,
        'kubernetes',
        'connect',
      );
    this.server = new URL(cluster.server);
    this.name = opts.name ?? kubeConfig.getCurrentContext();
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    this.bearerToken = opts.bearerToken;
  }

  async version(): Promise<KubeVersion> {
    const res = await this.request('GET', '/version', 'get version');
    const v = res.body as Partial<KubeVersion>;
    return { major: v.major ?? '', minor: v.minor ?? '', gitVersion: v.gitVersion ?? '' };
  }

  async get(ref: KubeRef): Promise<KubeObject | undefined> {
    const operation = `get ${ref.kind.toLowerCase()} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    const resource = await this.resource(ref.apiVersion, ref.kind, operation);
    if (!resource) return undefined;
    const path =
      this.collectionPath(ref.apiVersion, resource, ref.namespace) +
      '/' +
      encodeURIComponent(ref.name);
    try {
      const res = await this.request('GET', path, operation);
      return res.body as KubeObject;
    } catch (e) {
      if (e instanceof GatewayError && e.kind === 'NotFound') return undefined;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, opts: KubeListOptions = {}): Promise<KubeObject[]> {
    const operation = `list ${kind.toLowerCase()}${opts.namespace ? ` in ${opts.namespace}` : ''}`;
    const resource = await this.resource(apiVersion, kind, operation);
    if (!resource) return [];
    const path = this.collectionPath(apiVersion, resource, opts.namespace);
    const items: KubeObject[] = [];
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: String(this.pageSize) });
      if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
      if (cont) q.set('continue', cont);
      let res: Response;
      try {
        res = await this.request('GET', `${path}?${q}`, operation);
      } catch (e) {
        // Discovery can be stale for a CRD deleted a moment ago.
        if (e instanceof GatewayError && e.kind === 'NotFound' && items.length === 0) return [];
        throw e;
      }
      const body = res.body as { items?: KubeObject[]; metadata?: { continue?: string } };
      // List items omit apiVersion and kind; put them back so objects stand alone.
      for (const item of body.items ?? [])
        items.push({ ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? kind });
      cont = body.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  private collectionPath(
    apiVersion: string,
    resource: ApiResource,
    namespace: string | undefined,
  ): string {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return resource.namespaced && namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`
      : `${base}/${resource.name}`;
  }

  private async resource(
    apiVersion: string,
    kind: string,
    operation: string,
  ): Promise<ApiResource | undefined> {
    let pending = this.discovery.get(apiVersion);
    if (!pending) {
      pending = this.discover(apiVersion, operation);
      this.discovery.set(apiVersion, pending);
      // A failed discovery is not remembered: the next call asks again.
      pending.catch(() => this.discovery.delete(apiVersion));
    }
    const resources = await pending;
    const found = resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    // Only what is served is remembered: a CRD installed later must show up.
    if (!found) this.discovery.delete(apiVersion);
    return found;
  }

  private async discover(
    apiVersion: string,
    operation: string,
  ): Promise<ApiResource[] | undefined> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      const res = await this.request('GET', path, operation);
      return ((res.body as { resources?: ApiResource[] }).resources ?? []).map((r) => ({
        name: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
      }));
    } catch (e) {
      if (e instanceof GatewayError && e.kind === 'NotFound') return undefined;
      throw e;
    }
  }

  private async request(method: string, path: string, operation: string): Promise<Response> {
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    try {
      await this.kubeConfig.applyToHTTPSOptions(opts);
      if (this.bearerToken)
        opts.headers = { ...opts.headers, Authorization: `Bearer ${await this.bearerToken()}` };
    } catch (e) {
      // Exec plugins (aws eks get-token) and token files fail here: a credentials problem.
      throw new GatewayError(
        'Unauthenticated',
        `could not get credentials for ${this.name}: ${(e as Error).message}`,
        'kubernetes',
        operation,
      );
    }
    // One agent per gateway keeps connections alive; client-node makes a new one per call.
    this.agent ??= opts.agent as http.Agent;
    opts.agent = this.agent;
    const url = new URL(
      path,
      this.server.href.endsWith('/') ? this.server.href : this.server.href + '/',
    );
    // The server URL may carry a path prefix (proxies, Rancher); keep it.
    url.pathname = this.server.pathname.replace(/\/$/, '') + path.split('?')[0];
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise<Response>((resolve, reject) => {
      const req = mod.request(url, { ...opts, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(networkError(e, this.name, operation)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON (a proxy's HTML error page): keep the text for the message.
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status, body });
          else reject(statusError(status, body, this.name, operation));
        });
      });
      req.on('timeout', () =>
        req.destroy(
          Object.assign(new Error(`no answer from ${this.name} within ${this.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      );
      req.on('error', (e) => reject(networkError(e, this.name, operation)));
      req.end();
    });
  }
}

function statusError(status: number, body: unknown, name: string, operation: string): GatewayError {
  const s = (typeof body === 'object' && body !== null ? body : {}) as {
    reason?: string;
    message?: string;
  };
  const reason = s.reason;
  const kind: GatewayErrorKind =
    status === 401
      ? 'Unauthenticated'
      : status === 403
        ? 'AccessDenied'
        : status === 404
          ? 'NotFound'
          : status === 409
            ? reason === 'AlreadyExists' || reason === 'Conflict'
              ? 'Conflict'
              : 'InUse'
            : status === 400 || status === 422
              ? 'InvalidParameter'
              : status === 429
                ? 'Throttled'
                : status === 504
                  ? 'Timeout'
                  : status >= 500
                    ? 'Unavailable'
                    : 'Unknown';
  const message =
    s.message ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
  return new GatewayError(
    kind,
    `${name}: ${message}`,
    'kubernetes',
    operation,
    reason ?? String(status),
    status,
  );
}

function networkError(e: Error & { code?: string }, name: string, operation: string): GatewayError {
  const code = e.code;
  const kind: GatewayErrorKind =
    code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT'
      ? 'Timeout'
      : code && /^E[A-Z]+$/.test(code)
        ? 'Unavailable'
        : /certificate|self[- ]signed|TLS/i.test(e.message)
          ? 'Unavailable'
          : 'Unknown';
  return new GatewayError(kind, `${name}: ${e.message}`, 'kubernetes', operation, code);
}
