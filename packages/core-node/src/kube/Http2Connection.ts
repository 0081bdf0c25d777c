/**
 * One HTTP/2 connection to a Kubernetes API server, as client-go keeps one per cluster: every
 * request of a gateway is a stream on it, so a `status` that lists five kinds at once makes one TLS
 * handshake instead of five, and a fleet scan one connection per cluster.
 *
 * The TLS settings are the ones client-node worked out for the context (CA, client certificate,
 * server name, skip-verify) and ALPN offers `h2` then `http/1.1`. A server that does not pick `h2`
 * (an old proxy, or a plain HTTP/1.1 endpoint in front of the API server) is remembered: the
 * gateway then sends every request over HTTP/1.1 as before.
 *
 * The connection does not keep a process alive on its own: it is referenced only while a stream
 * is open. It closes after IDLE_MS without streams, and a GOAWAY or a dropped socket makes the next
 * request open a new one.
 */
import http2 from 'node:http2';
import type https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/** As client-go's transport: idle connections close after 90 s. */
const IDLE_MS = 90_000;

/** What of the https.Agent's options is TLS (the rest is about pooling HTTP/1.1 sockets). */
const TLS_KEYS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
  'ciphers',
  'ecdhCurve',
  'crl',
  'secureOptions',
  'secureProtocol',
  'minVersion',
  'maxVersion',
] as const;

/** An answer as it came off the wire, over either protocol. */
export interface HttpAnswer {
  status: number;
  text: string;
}

export type Http2Outcome =
  | { kind: 'answer'; answer: HttpAnswer }
  /** The server does not speak HTTP/2: send this request (and the rest) over HTTP/1.1. */
  | { kind: 'http1' };

export interface Http2RequestInit {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  timeoutMs: number;
}

export class Http2Connection {
  private session: Promise<http2.ClientHttp2Session | undefined> | undefined;
  /** Set once a server answered ALPN without h2. */
  private http1Only = false;
  /** Open streams per session. */
  private readonly open = new WeakMap<http2.ClientHttp2Session, number>();
  private readonly tlsOptions: tls.ConnectionOptions;

  /**
   * @param origin `https://host:port` of the API server
   * @param agentOptions the options of the https.Agent client-node built for the context
   */
  constructor(
    private readonly origin: URL,
    agentOptions: https.AgentOptions,
  ) {
    const picked: Record<string, unknown> = {};
    for (const k of TLS_KEYS) if (agentOptions[k] !== undefined) picked[k] = agentOptions[k];
    this.tlsOptions = picked as tls.ConnectionOptions;
  }

  async request(init: Http2RequestInit): Promise<Http2Outcome> {
    for (let attempt = 0; ; attempt++) {
      const pending = this.connect(init.timeoutMs);
      const session = await pending;
      if (!session) return { kind: 'http1' };
      const stream = this.stream(session, init);
      if (stream) {
        const answer = await this.exchange(session, stream, init);
        if (answer) return { kind: 'answer', answer };
      }
      // The session stopped taking streams (GOAWAY) before this request was sent, or the server
      // refused the stream unprocessed: it goes out once more on a new connection.
      if (this.session === pending) this.session = undefined;
      if (attempt > 0)
        throw Object.assign(new Error('the API server closed the connection'), {
          code: 'ECONNRESET',
        });
    }
  }

  /** Closes the connection; streams already open finish first. */
  close(): void {
    const pending = this.session;
    this.session = undefined;
    void pending?.then((s) => s?.close()).catch(() => undefined);
  }

  private connect(timeoutMs: number): Promise<http2.ClientHttp2Session | undefined> {
    if (this.http1Only) return Promise.resolve(undefined);
    if (this.session) return this.session;
    const pending = new Promise<http2.ClientHttp2Session | undefined>((resolve, reject) => {
      const host = this.origin.hostname.replace(/^\[|\]$/g, '');
      const socket = tls.connect({
        ...this.tlsOptions,
        host,
        port: Number(this.origin.port || 443),
        // SNI takes names only; client-node's tls-server-name, if any, is in tlsOptions.
        servername: this.tlsOptions.servername ?? (net.isIP(host) ? undefined : host),
        ALPNProtocols: ['h2', 'http/1.1'],
      });
      const timer = setTimeout(
        () =>
          socket.destroy(
            Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
          ),
        timeoutMs,
      );
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        if (socket.alpnProtocol !== 'h2') {
          this.http1Only = true;
          socket.destroy();
          resolve(undefined);
          return;
        }
        const session = http2.connect(this.origin, { createConnection: () => socket });
        const forget = (): void => {
          if (this.session === pending) this.session = undefined;
        };
        session.on('goaway', forget);
        session.on('close', forget);
        // Errors reach the open streams; a session error only means this connection is done.
        session.on('error', forget);
        session.setTimeout(IDLE_MS, () => {
          if (!this.open.get(session)) session.close();
        });
        session.unref();
        resolve(session);
      });
    });
    this.session = pending;
    // A failed connect is not kept: the next request tries again.
    pending.catch(() => {
      if (this.session === pending) this.session = undefined;
    });
    return pending;
  }

  /** A stream for the request, or undefined when the session takes no new streams. */
  private stream(
    session: http2.ClientHttp2Session,
    init: Http2RequestInit,
  ): http2.ClientHttp2Stream | undefined {
    if (session.closed || session.destroyed) return undefined;
    const headers: http2.OutgoingHttpHeaders = { ':method': init.method, ':path': init.path };
    for (const [k, v] of Object.entries(init.headers)) headers[k.toLowerCase()] = v;
    try {
      return session.request(headers, { endStream: init.body === undefined });
    } catch {
      // ERR_HTTP2_GOAWAY_SESSION, ERR_HTTP2_INVALID_SESSION: nothing was sent.
      return undefined;
    }
  }

  private exchange(
    session: http2.ClientHttp2Session,
    stream: http2.ClientHttp2Stream,
    init: Http2RequestInit,
  ): Promise<HttpAnswer | undefined> {
    return new Promise<HttpAnswer | undefined>((resolve, reject) => {
      this.opened(session);
      let settled = false;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        this.closed(session);
      };
      stream.setTimeout(init.timeoutMs, () =>
        stream.destroy(
          Object.assign(new Error(`no answer within ${init.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      );
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (h) => {
        status = Number(h[':status'] ?? 0);
      });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        finish();
        resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
      });
      const fail = (e: Error): void => {
        finish();
        // REFUSED_STREAM: the server did not process it (a stream past its GOAWAY); try again.
        if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) resolve(undefined);
        else reject(e);
      };
      stream.on('error', fail);
      // Reset by the server (RST_STREAM) without an error event: nothing came back.
      stream.on('close', () => {
        if (!stream.readableEnded)
          fail(
            Object.assign(new Error(`stream closed by the server (code ${stream.rstCode})`), {
              code: 'ECONNRESET',
            }),
          );
      });
      if (init.body !== undefined) stream.end(init.body);
    });
  }

  /** A stream keeps the process alive while it is open; an idle connection does not. */
  private opened(session: http2.ClientHttp2Session): void {
    const n = this.open.get(session) ?? 0;
    this.open.set(session, n + 1);
    if (n === 0) session.ref();
  }

  private closed(session: http2.ClientHttp2Session): void {
    const n = (this.open.get(session) ?? 1) - 1;
    this.open.set(session, n);
    if (n === 0) session.unref();
  }
}
