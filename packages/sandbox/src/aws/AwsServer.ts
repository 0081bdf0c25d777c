/**
 * The sandbox's one AWS endpoint. Authenticates SigV4 requests, maps the access key to an account,
 * applies latency / throttling / 5xx / fault points, routes by signing name to the emulated
 * service, and encodes errors in that service's protocol, as the real endpoints do.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Accounts } from './Accounts';
import type { Faults, FaultPoint } from '../faults/Faults';
import { parseAuthorization, expectedSignature } from './sigv4';
import {
  AwsError,
  type AwsProtocol,
  type AwsRequest,
  type AwsResponse,
  type AwsService,
} from './types';

/** Largest request body accepted, like API Gateway-fronted services (10 MiB). */
const MAX_BODY = 10 * 1024 * 1024;

export interface AwsServerOptions {
  accounts: Accounts;
  faults: Faults;
  services: AwsService[];
  /** Check SigV4 signatures against the issued secrets (default true). */
  verifySignatures?: boolean;
  /** Opt-in IAM evaluation: the refusal of a call its caller's policies do not allow. */
  authorize?: (req: AwsRequest, operation: string, protocol: AwsProtocol) => AwsError | undefined;
}

export interface AwsCallStats {
  /** Calls per `<service>.<Operation>`, including refused and faulted ones. */
  byOperation: Record<string, number>;
  /** Calls per account id. */
  byAccount: Record<string, number>;
  total: number;
}

export class AwsServer {
  private readonly server: http.Server;
  private readonly services = new Map<string, AwsService>();
  private stats: AwsCallStats = { byOperation: {}, byAccount: {}, total: 0 };
  private url = '';

  constructor(private readonly opts: AwsServerOptions) {
    for (const s of opts.services) this.services.set(s.signingName, s);
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        // Last resort: never let a handler bug take the process down.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
        }
        res.end(
          JSON.stringify({
            message: `sandbox internal error: ${(err as Error)?.message ?? String(err)}`,
          }),
        );
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  get endpoint(): string {
    return this.url;
  }

  callStats(): AwsCallStats {
    return JSON.parse(JSON.stringify(this.stats)) as AwsCallStats;
  }

  resetCallStats(): void {
    this.stats = { byOperation: {}, byAccount: {}, total: 0 };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const rawQuery = (req.url ?? '').includes('?')
      ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1)
      : '';
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return this.send(
        res,
        req.method,
        guessProtocol(req, url),
        requestId,
        errorResponse(
          guessProtocol(req, url),
          new AwsError('RequestEntityTooLarge', `Request body exceeds ${MAX_BODY} bytes`, 413),
          requestId,
        ),
      );
    }
    const auth = parseAuthorization(header(req, 'authorization'));
    const guessed = auth ? this.services.get(auth.service) : undefined;
    const protocol = guessed?.protocol ?? guessProtocol(req, url);
    const fail = (e: AwsError) =>
      this.send(res, req.method, protocol, requestId, errorResponse(protocol, e, requestId));

    if (!auth) return fail(missingAuth(protocol));
    const service = this.services.get(auth.service);
    if (!service)
      return fail(
        new AwsError(
          'UnknownService',
          `The sandbox does not emulate service '${auth.service}'`,
          400,
        ),
      );
    const cred = this.opts.accounts.get(auth.accessKeyId);
    if (!cred) return fail(invalidKey(protocol));
    if (this.opts.verifySignatures !== false) {
      const sig = expectedSignature(
        { method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers, body },
        auth,
        cred.secretAccessKey,
      );
      if (sig !== auth.signature) return fail(signatureMismatch(protocol));
    }
    if (cred.sessionToken && header(req, 'x-amz-security-token') !== cred.sessionToken) {
      return fail(invalidKey(protocol));
    }
    if (cred.expiresAt !== undefined && cred.expiresAt < Date.now()) return fail(expired(protocol));

    const awsReq: AwsRequest = {
      service: auth.service,
      method: req.method ?? 'GET',
      path: safeDecode(rawPath),
      rawPath,
      query: url.searchParams,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      ),
      body,
      region: auth.region,
      accountId: cred.accountId,
      accessKeyId: cred.accessKeyId,
      principalArn: cred.principalArn,
      requestId,
    };
    let operation: string | undefined;
    try {
      operation = service.operationOf(awsReq);
    } catch (e) {
      if (e instanceof AwsError) return fail(e);
      throw e;
    }
    if (!operation) return fail(unknownOperation(protocol, awsReq));
    const denied = this.opts.authorize?.(awsReq, operation, protocol);
    if (denied) return fail(denied);

    const point = `${serviceId(service.signingName)}.${operation}`;
    this.stats.total += 1;
    this.stats.byOperation[point] = (this.stats.byOperation[point] ?? 0) + 1;
    this.stats.byAccount[cred.accountId] = (this.stats.byAccount[cred.accountId] ?? 0) + 1;

    await this.opts.faults.delay();
    const outcome = this.opts.faults.check(point, cred.accountId, auth.region);
    if (outcome.kind === 'throttle') return fail(throttling(protocol));
    if (outcome.kind === 'server-error') return fail(serverError(protocol, auth.service));
    if (outcome.kind === 'fault') return fail(faultError(outcome.fault));

    let out: AwsResponse;
    try {
      out = await service.handle(awsReq, operation);
    } catch (e) {
      if (e instanceof AwsError) return fail(e);
      return fail(
        new AwsError(
          protocol === 'query' ? 'InternalFailure' : 'ServerException',
          `sandbox: ${(e as Error).message}`,
          500,
        ),
      );
    }
    if (outcome.after) return fail(faultError(outcome.after));
    this.send(res, req.method, protocol, requestId, out);
  }

  private send(
    res: http.ServerResponse,
    method: string | undefined,
    protocol: AwsProtocol,
    requestId: string,
    out: AwsResponse,
  ): void {
    const headers: Record<string, string> = {
      'x-amzn-requestid': requestId,
      'x-amz-request-id': requestId,
      ...(out.headers ?? {}),
    };
    let payload: Buffer | undefined;
    if (out.body !== undefined) {
      if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) {
        payload = Buffer.isBuffer(out.body) ? out.body : Buffer.from(out.body, 'utf8');
        headers['content-type'] ??=
          protocol === 'query' || protocol === 'rest-xml' ? 'text/xml' : 'application/json';
      } else {
        payload = Buffer.from(JSON.stringify(out.body), 'utf8');
        headers['content-type'] ??=
          protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
      }
    }
    if (method === 'HEAD') {
      res.writeHead(out.status ?? 200, headers);
      res.end();
      return;
    }
    headers['content-length'] = String(payload?.length ?? 0);
    res.writeHead(out.status ?? 200, headers);
    res.end(payload);
  }
}

/** Short service ids used in fault point names and call stats. */
export function serviceId(signingName: string): string {
  return signingName === 'elasticloadbalancing' ? 'elbv2' : signingName;
}

/** Encodes an AwsError the way the service's protocol does. */
export function errorResponse(protocol: AwsProtocol, e: AwsError, requestId: string): AwsResponse {
  switch (protocol) {
    case 'rest-json':
      return {
        status: e.status,
        headers: { 'x-amzn-errortype': e.code, 'content-type': 'application/json' },
        body: { message: e.message, ...e.extra },
      };
    case 'json':
      return {
        status: e.status,
        headers: { 'x-amzn-errortype': e.code, 'content-type': 'application/x-amz-json-1.1' },
        body: { __type: e.code, message: e.message, ...e.extra },
      };
    case 'query':
      return {
        status: e.status,
        headers: { 'content-type': 'text/xml' },
        body:
          `<ErrorResponse><Error><Type>${e.fault}</Type><Code>${xmlEscape(e.code)}</Code>` +
          `<Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-xml': {
      const extra = Object.entries(e.extra)
        .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
        .join('');
      return {
        status: e.status,
        headers: { 'content-type': 'application/xml' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message>` +
          `${extra}<RequestId>${requestId}</RequestId></Error>`,
      };
    }
  }
}

export function xmlEscape(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** For requests that carry no usable signature: which protocol would have answered? */
function guessProtocol(req: http.IncomingMessage, url: URL): AwsProtocol {
  if (header(req, 'x-amz-target')) return 'json';
  if (
    url.searchParams.has('Action') ||
    (header(req, 'content-type') ?? '').includes('x-www-form-urlencoded')
  )
    return 'query';
  if (url.pathname.startsWith('/clusters') || url.pathname.startsWith('/addons'))
    return 'rest-json';
  return 'rest-xml';
}

function missingAuth(p: AwsProtocol): AwsError {
  switch (p) {
    case 'rest-json':
      return new AwsError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        403,
      );
    case 'json':
      return new AwsError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        400,
      );
    case 'query':
      return new AwsError(
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
        403,
      );
    case 'rest-xml':
      return new AwsError('AccessDenied', 'Access Denied', 403);
  }
}

function invalidKey(p: AwsProtocol): AwsError {
  switch (p) {
    case 'rest-json':
    case 'json':
      return new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        p === 'json' ? 400 : 403,
      );
    case 'query':
      return new AwsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
    case 'rest-xml':
      return new AwsError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
      );
  }
}

function signatureMismatch(p: AwsProtocol): AwsError {
  const msg =
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
  return p === 'rest-xml'
    ? new AwsError('SignatureDoesNotMatch', msg, 403)
    : new AwsError(
        p === 'query' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
        msg,
        p === 'json' ? 400 : 403,
      );
}

function expired(p: AwsProtocol): AwsError {
  const msg = 'The security token included in the request is expired';
  return p === 'query' || p === 'rest-xml'
    ? new AwsError(
        p === 'rest-xml' ? 'ExpiredToken' : 'ExpiredToken',
        msg,
        p === 'rest-xml' ? 400 : 403,
      )
    : new AwsError('ExpiredTokenException', msg, p === 'json' ? 400 : 403);
}

function throttling(p: AwsProtocol): AwsError {
  switch (p) {
    case 'rest-json':
      return new AwsError('ThrottlingException', 'Rate exceeded', 429);
    case 'json':
      return new AwsError('ThrottlingException', 'Rate exceeded', 400);
    case 'query':
      return new AwsError('Throttling', 'Rate exceeded', 400);
    case 'rest-xml':
      return new AwsError('SlowDown', 'Please reduce your request rate.', 503);
  }
}

function serverError(p: AwsProtocol, service: string): AwsError {
  switch (p) {
    case 'rest-json':
      return new AwsError(
        service === 'eks' ? 'ServerException' : 'InternalFailure',
        'An internal error occurred. Try again.',
        500,
      );
    case 'json':
      return new AwsError('ServiceUnavailable', 'Service is unavailable. Try again.', 503);
    case 'query':
      return new AwsError('ServiceUnavailable', 'Service is unavailable. Try again.', 503);
    case 'rest-xml':
      return new AwsError(
        'InternalError',
        'We encountered an internal error. Please try again.',
        500,
      );
  }
}

function faultError(f: FaultPoint): AwsError {
  return new AwsError(
    f.code ?? 'InternalFailure',
    f.message ?? `injected fault at ${f.point}`,
    f.status ?? 500,
  );
}

function unknownOperation(p: AwsProtocol, req: AwsRequest): AwsError {
  switch (p) {
    case 'rest-json':
      return new AwsError(
        'UnknownOperationException',
        `No operation matches ${req.method} ${req.path}`,
        404,
      );
    case 'json':
      return new AwsError(
        'UnknownOperationException',
        `Unknown operation ${req.headers['x-amz-target'] ?? ''}`,
        400,
      );
    case 'query': {
      const action =
        new URLSearchParams(req.body.toString('utf8')).get('Action') ??
        req.query.get('Action') ??
        '';
      return new AwsError(
        'InvalidAction',
        `Could not find operation ${action} for version ${new URLSearchParams(req.body.toString('utf8')).get('Version') ?? ''}`,
        400,
      );
    }
    case 'rest-xml':
      return new AwsError(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        405,
      );
  }
}
