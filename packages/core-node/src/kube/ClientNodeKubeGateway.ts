/**
 * KubeGateway over a client-node KubeConfig: client-node resolves the context's TLS and
 * credentials (tokens, client certificates, exec plugins such as `aws eks get-token`, proxies);
 * requests go out as plain JSON so objects come back exactly as the API server sent them
 * (client-node's typed models would turn timestamps into Dates and drop unknown fields).
 *
 * Built-in kinds the core reads and writes (Secret, Deployment, CRD, Lease, …) have fixed,
 * long-GA paths, as client-go's typed clients know them; other kinds are resolved through
 * discovery, remembered per group version once found. A kind the server does not serve (a CRD
 * that is not installed, or a built-in API the server lacks) lists as empty and gets as undefined;
 * writing one is NotFound. Writes carry `fieldManager` (default `kubectl-hyperpod`) and, for dry
 * runs, `dryRun=All`, as kubectl sends them.
 */
import type http from 'node:http';
import type https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { BUILT_IN_RESOURCES, type ApiResource } from './builtInApiResources';
import { KubeHttpTransport } from './KubeHttpTransport';
import { statusError } from './statusError';
import {
  DEFAULT_FIELD_MANAGER,
  GatewayError,
  refOf,
  SERVER_METADATA_FIELDS,
  type KubeAccessAnswer,
  type KubeAccessQuery,
  type KubeDeleteOptions,
  type KubeGateway,
  type KubeListOptions,
  type KubeObject,
  type KubeRef,
  type KubeVersion,
  type KubeWriteOptions,
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
  /**
   * Offer HTTP/2 to https API servers (one connection for all requests, as client-go). Default
   * true unless the DISABLE_HTTP2 environment variable is set, as for kubectl. Servers that do not
   * pick HTTP/2, and clusters reached through a proxy, get HTTP/1.1.
   */
  http2?: boolean;
  /**
   * Told every request before it is sent (method and path with query), e.g. to record which
   * Kubernetes verbs and resources an action uses (the permission-set tests).
   */
  onRequest?: (method: string, path: string) => void;
}

interface Response {
  status: number;
  body: unknown;
}

/**
 * A list of metadata only (what client-go's metadata client and kubectl ask for), else the plain
 * list from a server that does not serve it.
 */
const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

interface RequestBody {
  json: unknown;
  /** Default application/json. */
  contentType?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_SIZE = 500;

export class ClientNodeKubeGateway implements KubeGateway {
  readonly name: string;
  private readonly server: URL;
  private readonly pageSize: number;
  private readonly bearerToken: (() => Promise<string>) | undefined;
  private readonly discovery = new Map<string, Promise<ApiResource[] | undefined>>();
  private readonly transport: KubeHttpTransport;
  private readonly onRequest: ((method: string, path: string) => void) | undefined;
  /**
   * Settles once the first request has its credentials. Requests made meanwhile wait for it, so
   * an exec credential plugin (`aws eks get-token`, …) runs once and the rest use the token
   * client-node cached, instead of each running the plugin; client-node does not coalesce them.
   */
  private firstCredentials: Promise<void> | undefined;

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
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    this.bearerToken = opts.bearerToken;
    this.onRequest = opts.onRequest;
    this.transport = new KubeHttpTransport(
      this.name,
      this.server.origin,
      opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      (opts.http2 ?? !process.env['DISABLE_HTTP2']) &&
        this.server.protocol === 'https:' &&
        !cluster.proxyUrl,
    );
  }

  /** Closes the gateway's HTTP/2 connection (HTTP/1.1 sockets close on their own when idle). */
  close(): void {
    this.transport.close();
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
        res = await this.request(
          'GET',
          `${path}?${q}`,
          operation,
          undefined,
          opts.metadataOnly ? METADATA_LIST_ACCEPT : undefined,
        );
      } catch (e) {
        // Discovery can be stale for a CRD deleted a moment ago.
        if (e instanceof GatewayError && e.kind === 'NotFound' && items.length === 0) return [];
        throw e;
      }
      const body = res.body as { items?: KubeObject[]; metadata?: { continue?: string } };
      // List items omit apiVersion and kind; put them back so objects stand alone. Metadata
      // only: the items are PartialObjectMetadata, or whole objects from a server that ignored
      // the ask; either way the caller gets the kind it listed, with its metadata.
      for (const item of body.items ?? [])
        items.push(
          opts.metadataOnly
            ? { apiVersion, kind, metadata: item.metadata }
            : { ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? kind },
        );
      cont = body.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  async create(obj: KubeObject, opts: KubeWriteOptions = {}): Promise<KubeObject> {
    const operation = `create ${describe(refOf(obj))}`;
    const target = await this.writeTarget(refOf(obj), operation);
    const metadata: Record<string, unknown> = { ...obj.metadata };
    for (const f of SERVER_METADATA_FIELDS) delete metadata[f];
    const res = await this.request('POST', `${target.collection}?${writeQuery(opts)}`, operation, {
      json: { ...obj, metadata },
    });
    return res.body as KubeObject;
  }

  async replace(obj: KubeObject, opts: KubeWriteOptions = {}): Promise<KubeObject> {
    const operation = `replace ${describe(refOf(obj))}`;
    const target = await this.writeTarget(refOf(obj), operation);
    let body = obj;
    if (!obj.metadata.resourceVersion) {
      // As kubectl replace: PUT the version read just now. A bare PUT would be refused for kinds
      // without unconditional update (Lease, custom resources) and would create a missing Lease.
      const current = (await this.request('GET', target.item, operation)).body as KubeObject;
      body = {
        ...obj,
        metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion },
      };
    }
    const res = await this.request('PUT', `${target.item}?${writeQuery(opts)}`, operation, {
      json: body,
    });
    return res.body as KubeObject;
  }

  async patch(
    ref: KubeRef,
    patch: Record<string, unknown>,
    opts: KubeWriteOptions = {},
  ): Promise<KubeObject> {
    const operation = `patch ${describe(ref)}`;
    const target = await this.writeTarget(ref, operation);
    const res = await this.request('PATCH', `${target.item}?${writeQuery(opts)}`, operation, {
      json: patch,
      contentType: 'application/merge-patch+json',
    });
    return res.body as KubeObject;
  }

  async delete(ref: KubeRef, opts: KubeDeleteOptions = {}): Promise<boolean> {
    const operation = `delete ${describe(ref)}`;
    const resource = await this.resource(ref.apiVersion, ref.kind, operation);
    if (!resource) return false;
    const target = this.targets(ref, resource, operation);
    // kubectl sends the options as a DeleteOptions body; the server reads the query only without one.
    const options = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: opts.propagationPolicy ?? 'Background',
      ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    };
    try {
      await this.request('DELETE', target.item, operation, { json: options });
      return true;
    } catch (e) {
      if (e instanceof GatewayError && e.kind === 'NotFound') return false;
      throw e;
    }
  }

  async canI(query: KubeAccessQuery): Promise<KubeAccessAnswer> {
    const resourceAttributes: Record<string, string> = {
      verb: query.verb,
      group: query.group,
      resource: query.resource,
    };
    if (query.namespace) resourceAttributes.namespace = query.namespace;
    if (query.name) resourceAttributes.name = query.name;
    if (query.subresource) resourceAttributes.subresource = query.subresource;
    const res = await this.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      'create selfsubjectaccessreview',
      {
        json: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes },
        },
      },
    );
    const status = (res.body as { status?: { allowed?: boolean; reason?: string } }).status ?? {};
    return status.reason
      ? { allowed: status.allowed === true, reason: status.reason }
      : { allowed: status.allowed === true };
  }

  /** Where a write goes; a kind the server does not serve is NotFound, as the server says. */
  private async writeTarget(
    ref: KubeRef,
    operation: string,
  ): Promise<{ collection: string; item: string }> {
    const resource = await this.resource(ref.apiVersion, ref.kind, operation);
    if (!resource)
      throw new GatewayError(
        'NotFound',
        `${this.name}: the server does not serve ${ref.kind} in ${ref.apiVersion} (is its CustomResourceDefinition installed?)`,
        'kubernetes',
        operation,
        'NotFound',
        404,
      );
    return this.targets(ref, resource, operation);
  }

  private targets(
    ref: KubeRef,
    resource: ApiResource,
    operation: string,
  ): { collection: string; item: string } {
    if (resource.namespaced && !ref.namespace)
      throw new GatewayError(
        'InvalidParameter',
        `${this.name}: ${ref.kind} is namespaced: a namespace is required`,
        'kubernetes',
        operation,
      );
    const collection = this.collectionPath(ref.apiVersion, resource, ref.namespace);
    return { collection, item: `${collection}/${encodeURIComponent(ref.name)}` };
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
    const builtIn = BUILT_IN_RESOURCES.get(`${apiVersion} ${kind}`);
    if (builtIn) return builtIn;
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

  private async request(
    method: string,
    path: string,
    operation: string,
    body?: RequestBody,
    accept = 'application/json',
  ): Promise<Response> {
    this.onRequest?.(method, path);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body.json), 'utf8');
    const opts: https.RequestOptions = {
      method,
      headers: {
        Accept: accept,
        ...(data
          ? {
              'Content-Type': body?.contentType ?? 'application/json',
              'Content-Length': String(data.length),
            }
          : {}),
      },
    };
    const credentials = async () => {
      await this.kubeConfig.applyToHTTPSOptions(opts);
      if (this.bearerToken)
        opts.headers = { ...opts.headers, Authorization: `Bearer ${await this.bearerToken()}` };
    };
    try {
      if (this.firstCredentials) {
        await this.firstCredentials;
        await credentials();
      } else {
        const first = credentials();
        // A failure is this request's; the next ones try again themselves.
        this.firstCredentials = first.catch(() => undefined);
        await first;
      }
    } catch (e) {
      // Exec plugins (aws eks get-token) and token files fail here: a credentials problem.
      throw new GatewayError(
        'Unauthenticated',
        `could not get credentials for ${this.name}: ${(e as Error).message}`,
        'kubernetes',
        operation,
      );
    }
    this.transport.agent ??= opts.agent as http.Agent;
    opts.agent = this.transport.agent;
    const url = new URL(
      path,
      this.server.href.endsWith('/') ? this.server.href : this.server.href + '/',
    );
    // The server URL may carry a path prefix (proxies, Rancher); keep it.
    url.pathname = this.server.pathname.replace(/\/$/, '') + path.split('?')[0];
    const answer = await this.transport.send(url, opts, data, operation);
    let parsed: unknown = answer.text;
    try {
      parsed = answer.text ? JSON.parse(answer.text) : undefined;
    } catch {
      // Not JSON (a proxy's HTML error page): keep the text for the message.
    }
    if (answer.status >= 200 && answer.status < 300) return { status: answer.status, body: parsed };
    throw statusError(answer.status, parsed, this.name, operation);
  }
}

/** `configmap ns/name`, for operation names. */
function describe(ref: KubeRef): string {
  return `${ref.kind.toLowerCase()} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function writeQuery(opts: KubeWriteOptions): URLSearchParams {
  const q = new URLSearchParams({ fieldManager: opts.fieldManager ?? DEFAULT_FIELD_MANAGER });
  if (opts.dryRun) q.set('dryRun', 'All');
  return q;
}
