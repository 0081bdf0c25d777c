/**
 * How ClientNodeKubeGateway's requests travel: over one HTTP/2 connection to an https API server
 * that speaks it (as client-go), else HTTP/1.1 through one keep-alive agent, each exchange bounded
 * by a timeout.
 */
import http from 'node:http';
import https from 'node:https';
import { Http2Connection, type HttpAnswer } from './Http2Connection';
import { networkError } from './statusError';

export class KubeHttpTransport {
  /** One agent per gateway keeps connections alive; client-node makes a new one per call. */
  agent: http.Agent | undefined;
  private h2: Http2Connection | undefined;

  constructor(
    private readonly name: string,
    private readonly origin: string,
    private readonly timeoutMs: number,
    private readonly offerHttp2: boolean,
  ) {}

  /** Closes the HTTP/2 connection (HTTP/1.1 sockets close on their own when idle). */
  close(): void {
    this.h2?.close();
  }

  /** One exchange over HTTP/2 when the server speaks it, else HTTP/1.1. */
  async send(
    url: URL,
    opts: https.RequestOptions,
    data: Buffer | undefined,
    operation: string,
  ): Promise<HttpAnswer> {
    if (this.offerHttp2 && this.agent instanceof https.Agent) {
      this.h2 ??= new Http2Connection(new URL(this.origin), this.agent.options);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {}))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
      // Basic auth (a kubeconfig username and password): https.request would send it so.
      if (opts.auth)
        headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      try {
        const outcome = await this.h2.request({
          method: opts.method ?? 'GET',
          path: url.pathname + url.search,
          headers,
          body: data,
          timeoutMs: this.timeoutMs,
        });
        if (outcome.kind === 'answer') return outcome.answer;
      } catch (e) {
        throw networkError(e as Error, this.name, operation);
      }
    }
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = mod.request(url, { ...opts, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(networkError(e, this.name, operation)));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('timeout', () =>
        req.destroy(
          Object.assign(new Error(`no answer from ${this.name} within ${this.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      );
      req.on('error', (e) => reject(networkError(e, this.name, operation)));
      req.end(data);
    });
  }
}
