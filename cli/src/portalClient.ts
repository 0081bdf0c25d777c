/**
 * A small typed client for the portal's upgrade-request API (`<backend>/api/hyperpod`, the
 * contract in @hyperpod/core's portal/contract.ts) on Node's global fetch: a Backstage user token
 * as the bearer, a time limit per call, JSON in and out. Every failure becomes a PortalError that
 * never carries the token, and portalCliError turns one into the `error:`/`try:` lines and the
 * exit code of the table.
 */
import type {
  ApiErrorBody,
  CreateUpgradeRequestBody,
  DecideUpgradeRequestBody,
  RequestDecision,
  UpgradeRequest,
  UpgradeRequestState,
} from '@hyperpod/core';
import { CliError, accessError, configError, usageError } from './CliError';
import type { CommandLine } from './CommandLine';
import { ExitCode } from './exitCodes';
import { oneLine } from './format/formatRequests';

/** Where the hyperpod backend plugin mounts its routes on a Backstage backend. */
export const PORTAL_API_PATH = '/api/hyperpod';
export const EXAMPLE_BACKEND_URL = 'http://localhost:7007';

/**
 * The API root for a backend URL: `http://localhost:7007` and `…:7007/api/hyperpod` both name
 * it. Only http and https, and no credentials, query or fragment in the URL (a password there
 * would end up in shell history and in error messages).
 */
export function portalApiUrl(raw: string, fixWith: (url: string) => string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(
      `"${raw}" is not a URL: the portal backend URL looks like ${EXAMPLE_BACKEND_URL}`,
      fixWith(EXAMPLE_BACKEND_URL),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw configError(
      `the portal backend URL must be http or https, not ${url.protocol.replace(/:$/, '')}`,
      fixWith(`http://${url.host || 'localhost:7007'}`),
    );
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw configError(
      'the portal backend URL must not hold credentials: the Backstage token goes in BACKSTAGE_TOKEN or --token-file',
      fixWith(displayUrl(url)),
    );
  }
  if (url.search || url.hash)
    throw configError(
      `the portal backend URL takes no query or fragment (${url.search}${url.hash})`,
      fixWith(`${url.origin}${url.pathname}`.replace(/\/$/, '')),
    );
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(PORTAL_API_PATH) ? path : `${path}${PORTAL_API_PATH}`;
  return url;
}

/** A URL as errors show it: origin and path, never credentials. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/$/, '');
}

/** Loopback hosts, where plain http carries the token nowhere. */
export function isLoopback(url: URL): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
}

/**
 * A bearer token as read from the environment or a file: surrounding blanks and a pasted
 * `Bearer ` prefix dropped. Undefined when it is not printable ASCII without spaces (a token
 * with a newline inside would be refused by fetch, with the token in the message).
 */
export function cleanToken(raw: string): string | undefined {
  const t = raw.trim().replace(/^Bearer\s+/i, '');
  return /^[\x21-\x7e]+$/.test(t) ? t : undefined;
}

/**
 * Who a Backstage user token belongs to: the `sub` claim of its JWT payload (a user entity ref).
 * Read without verifying the signature: it only fills the `requestedBy` filter of `--mine`, and
 * the backend checks the token on every call.
 */
export function tokenSubject(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    const sub = (payload as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' && /^[a-z]+:[\w.-]+\/[\w.-]+$/i.test(sub) ? sub : undefined;
  } catch {
    return undefined;
  }
}

export type PortalFailure =
  /** The API answered with an error status (the Backstage error body's name and message). */
  | { kind: 'http'; status: number; name: string; message: string }
  /** No answer: connection refused, no such host, TLS... */
  | { kind: 'unreachable'; reason: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'redirect'; status: number; location?: string }
  /** Something answered, but not the hyperpod API (an HTML page, an empty 404). */
  | { kind: 'not-api'; status: number; contentType: string };

export class PortalError extends Error {
  constructor(
    readonly failure: PortalFailure,
    /** The URL called, without credentials or query. */
    readonly url: string,
    readonly method: string,
  ) {
    super(describe(failure));
    this.name = 'PortalError';
  }
}

function describe(f: PortalFailure): string {
  switch (f.kind) {
    case 'http':
      return `${f.status} ${f.name}: ${f.message}`;
    case 'unreachable':
      return f.reason;
    case 'timeout':
      return `no answer within ${f.timeoutMs} ms`;
    case 'redirect':
      return `redirected (${f.status}) to ${f.location ?? 'nowhere'}`;
    case 'not-api':
      return `HTTP ${f.status} ${f.contentType}`;
  }
}

export interface ListRequestsQuery {
  cluster?: string;
  addon?: string;
  state?: readonly UpgradeRequestState[];
  requestedBy?: string;
  limit?: number;
}

export interface PortalClientOptions {
  /** The API root, from portalApiUrl. */
  apiUrl: URL;
  token: string;
  /** Per call, answer included. */
  timeoutMs: number;
  /** Injected by tests; Node's global fetch otherwise. */
  fetch?: typeof fetch;
}

/** The upgrade-request endpoints, one method each. */
export class PortalClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: PortalClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  async listRequests(q: ListRequestsQuery = {}): Promise<UpgradeRequest[]> {
    const params = new URLSearchParams();
    if (q.cluster) params.set('cluster', q.cluster);
    if (q.addon) params.set('addon', q.addon);
    if (q.state?.length) params.set('state', q.state.join(','));
    if (q.requestedBy) params.set('requestedBy', q.requestedBy);
    if (q.limit) params.set('limit', String(q.limit));
    const query = params.toString() ? `?${params}` : '';
    const { body } = await this.call<{ items?: unknown }>('GET', `/requests${query}`);
    if (!Array.isArray(body.items)) throw this.notApi(200, 'application/json without items', 'GET');
    return body.items as UpgradeRequest[];
  }

  async getRequest(id: string): Promise<UpgradeRequest> {
    return (await this.call<UpgradeRequest>('GET', `/requests/${encodeURIComponent(id)}`)).body;
  }

  /** `replayed`: the backend had already created it for this Idempotency-Key. */
  async createRequest(
    input: CreateUpgradeRequestBody,
    idempotencyKey: string,
  ): Promise<{ request: UpgradeRequest; replayed: boolean }> {
    const { body, headers } = await this.call<UpgradeRequest>('POST', '/requests', input, {
      'idempotency-key': idempotencyKey,
    });
    return { request: body, replayed: headers.get('idempotent-replayed') === 'true' };
  }

  async decideRequest(
    id: string,
    decision: RequestDecision,
    input: DecideUpgradeRequestBody,
  ): Promise<UpgradeRequest> {
    const path = `/requests/${encodeURIComponent(id)}/${decision}`;
    return (await this.call<UpgradeRequest>('POST', path, input)).body;
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ body: T; headers: Headers }> {
    const { apiUrl, token, timeoutMs } = this.opts;
    const url = `${apiUrl.origin}${apiUrl.pathname}${path}`;
    const shown = url.replace(/\?.*$/, '');
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        // A redirect is reported, never followed: the token goes to the URL the user named only.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw new PortalError(transportFailure(e, timeoutMs), shown, method);
    }
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (res.status >= 300 && res.status < 400) {
      let location: string | undefined;
      try {
        location = new URL(res.headers.get('location') ?? '', url).href;
      } catch {
        location = undefined;
      }
      throw new PortalError(
        { kind: 'redirect', status: res.status, ...(location ? { location } : {}) },
        shown,
        method,
      );
    }
    let parsed: unknown;
    try {
      parsed = contentType === 'application/json' && text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = (parsed as Partial<ApiErrorBody> | undefined)?.error;
      if (typeof err?.message === 'string' || res.status === 401 || res.status === 403)
        throw new PortalError(
          {
            kind: 'http',
            status: res.status,
            name: typeof err?.name === 'string' ? err.name : res.statusText,
            // Some servers echo the token they refused (Backstage's mock auth does): never show it.
            message: oneLine(err?.message ?? res.statusText)
              .split(token)
              .join('<token>')
              .slice(0, 1000),
          },
          shown,
          method,
        );
      throw this.notApi(res.status, contentType, method);
    }
    if (parsed === null || typeof parsed !== 'object')
      throw this.notApi(res.status, contentType, method);
    return { body: parsed as T, headers: res.headers };
  }

  /** Something answered, but not as the hyperpod API does. */
  private notApi(status: number, contentType: string, method: string): PortalError {
    const { apiUrl } = this.opts;
    return new PortalError(
      { kind: 'not-api', status, contentType: contentType || 'no content type' },
      `${apiUrl.origin}${apiUrl.pathname}`,
      method,
    );
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved now',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
};

/** What went wrong below HTTP, in words: undici hides it in `cause`. */
function transportFailure(e: unknown, timeoutMs: number): PortalFailure {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return { kind: 'timeout', timeoutMs };
  const code = err.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return { kind: 'timeout', timeoutMs };
  if (code && NETWORK_REASONS[code]) return { kind: 'unreachable', reason: NETWORK_REASONS[code] };
  const detail = err.cause?.message ?? err.message ?? String(e);
  return { kind: 'unreachable', reason: oneLine(code ? `${code}: ${detail}` : detail) };
}

/** What the command knows that the client does not: how to say "try this" for each refusal. */
export interface PortalErrorAdvice {
  commandLine: CommandLine;
  /** The command again with these flags changed (create adds its Idempotency-Key). */
  retryWith?: (flags: Record<string, string | true | undefined>) => string;
  /** Where the token came from: `BACKSTAGE_TOKEN` or `--token-file PATH`. */
  tokenSource: string;
  /** The fix for a 403, 404, 409 or 400: a command line, or one made from the server's message. */
  forbidden?: Fix;
  notFound?: Fix;
  conflict?: Fix;
  invalid?: Fix;
}

export type Fix = string | ((serverMessage: string) => string);

/**
 * A PortalError as the user reads it. 401 and 403 are access (4), as is a backend that does
 * not answer; 404 a configuration mistake (3: an unknown cluster or request); 409 the request's
 * state (12); 400 and 413 a bad argument (2).
 */
export function portalCliError(e: PortalError, advice: PortalErrorAdvice): CliError {
  const cl = advice.commandLine;
  const retryWith = advice.retryWith ?? ((flags) => cl.with(flags));
  const retry = retryWith({});
  const api = e.url.replace(/(\/api\/hyperpod).*$/, '$1');
  const backend = api.replace(/\/api\/hyperpod$/, '');
  const f = e.failure;
  switch (f.kind) {
    case 'unreachable':
      return accessError(
        `the portal backend at ${backend} could not be reached: ${f.reason}`,
        `curl -sS ${api}/health  # is the backend running there? else set --backend-url or HYPERPOD_BACKEND_URL, then: ${retry}`,
      );
    case 'timeout':
      return accessError(
        `the portal backend at ${backend} did not answer within ${formatMs(f.timeoutMs)} (${e.method} ${e.url.slice(api.length) || '/'})`,
        retryWith({ timeout: '2m' }),
      );
    case 'redirect': {
      const to = f.location ? new URL(f.location) : undefined;
      const base = to ? `${to.origin}${to.pathname}`.replace(/\/api\/hyperpod.*$/, '') : undefined;
      return configError(
        `${e.url} redirects (HTTP ${f.status}) to ${f.location ?? 'an unnamed location'}; the token is only sent to the URL given`,
        base ? retryWith({ 'backend-url': base }) : `curl -sSI ${e.url}`,
      );
    }
    case 'not-api':
      return configError(
        `${backend} did not answer as the hyperpod API (HTTP ${f.status}, ${f.contentType}): is it the Backstage backend (e.g. ${EXAMPLE_BACKEND_URL}, not the app), with the hyperpod plugin?`,
        `curl -sS ${api}/health  # answers {"status":"ok"}; then: ${retryWith({ 'backend-url': EXAMPLE_BACKEND_URL })}`,
      );
    case 'http':
      break;
  }
  const message = f.message;
  const fix = (given: Fix | undefined, otherwise: string) =>
    given === undefined ? otherwise : typeof given === 'string' ? given : given(message);
  if (f.status === 401)
    return accessError(
      `the backend refused the token from ${advice.tokenSource} (401 ${f.name}: ${message})`,
      `export BACKSTAGE_TOKEN=$(backstage-cli auth print-token)  # a fresh Backstage user token (after: backstage-cli auth login --backendUrl ${backend}); then: ${retry}`,
    );
  if (f.status === 403)
    return accessError(message, fix(advice.forbidden, `${retry}  # as a user with the permission`));
  if (f.status === 404) return configError(message, fix(advice.notFound, retry));
  if (f.status === 409)
    return new CliError(
      ExitCode.RequestConflict,
      message,
      fix(advice.conflict, `${cl.bin} requests list  # the requests as they are now`),
    );
  if (f.status === 400 || f.status === 413 || f.status === 422)
    return usageError(message, fix(advice.invalid, `${cl.toString()} --help`));
  if (f.status === 502 || f.status === 503 || f.status === 504)
    return accessError(
      `the portal backend at ${backend} is not answering (HTTP ${f.status}: ${message})`,
      `${retry}  # in a moment`,
    );
  return new CliError(
    ExitCode.Unexpected,
    `the portal backend failed (HTTP ${f.status} ${f.name}: ${message})`,
    `${retry}  # if it fails again, the backend's log says why`,
  );
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
