/** The request and response a handler sees, and JSON answers the way kube-apiserver sends them. */
import type http from 'node:http';
import http2 from 'node:http2';
import type { KubeStatusError } from './KubeStatusError';

/**
 * The port speaks HTTP/1.1 and, over TLS, HTTP/2 (ALPN h2, as kube-apiserver): kubectl, helm and
 * the CLI's gateway use HTTP/2, curl and plain clients HTTP/1.1. Handlers see either through
 * Node's compatibility API.
 */
export type Req = http.IncomingMessage | http2.Http2ServerRequest;
export type Res = http.ServerResponse | http2.Http2ServerResponse;

/**
 * `res.writeHead` for either protocol: their overloads differ (HTTP/1.1 also takes a header
 * array), so TypeScript cannot call it on the union.
 */
export function writeHead(res: Res, status: number, headers: http.OutgoingHttpHeaders): Res {
  return res instanceof http2.Http2ServerResponse
    ? res.writeHead(status, headers)
    : res.writeHead(status, headers);
}

/** HTTP/2 forbids connection-specific headers (connection, transfer-encoding). */
export function isHttp2(req: Req): boolean {
  return req.httpVersionMajor === 2;
}

/** Whether the client asked for a `meta.k8s.io` Table (`kubectl get`). */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function send(
  res: Res,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  writeHead(res, status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
  });
  res.end(text);
}

export function fail(res: Res, e: KubeStatusError): void {
  send(res, e.code, e.toStatus());
}
