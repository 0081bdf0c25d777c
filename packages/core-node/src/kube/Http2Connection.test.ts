/**
 * ClientNodeKubeGateway's transport: HTTP/2 to API servers that offer it (one connection for
 * parallel reads, as client-go), HTTP/1.1 to those that do not or when DISABLE_HTTP2 says so, a new
 * connection after the server closes one, and no process kept alive by an idle connection.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type tls from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { SANDBOX_CA_DATA, SANDBOX_TLS_CERT, SANDBOX_TLS_KEY } from '@hyperpod/sandbox';
import { ClientNodeKubeGateway } from './ClientNodeKubeGateway';

interface Seen {
  httpVersion: string;
  path: string;
  authorization?: string;
}

/** A TLS API server answering every path with an empty list; h2 or HTTP/1.1 only. */
async function apiServer(protocols: 'h2+http/1.1' | 'http/1.1') {
  const seen: Seen[] = [];
  let handshakes = 0;
  /** The ALPN protocols clients offered the HTTP/1.1-only server (connections offering none: none). */
  const offers: string[][] = [];
  const sessions = new Set<http2.ServerHttp2Session>();
  const onRequest = (
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ) => {
    seen.push({
      httpVersion: req.httpVersion,
      path: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const body = JSON.stringify({ kind: 'List', items: [], metadata: {} });
    (res as http.ServerResponse)
      .writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
      .end(body);
  };
  const options = { cert: SANDBOX_TLS_CERT, key: SANDBOX_TLS_KEY };
  const server: tls.Server =
    protocols === 'h2+http/1.1'
      ? http2.createSecureServer({ ...options, allowHTTP1: true }, onRequest)
      : https.createServer(
          {
            ...options,
            ALPNCallback: ({ protocols }) => {
              offers.push(protocols);
              return protocols.includes('http/1.1') ? 'http/1.1' : undefined;
            },
          },
          onRequest,
        );
  server.on('secureConnection', () => handshakes++);
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    offers,
    handshakes: () => handshakes,
    /** The server ends its HTTP/2 connections (GOAWAY), as an API server does on restart. */
    goAway: () => {
      for (const s of sessions) s.close();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  };
}

function kubeConfig(
  server: string,
  user: { token?: string; username?: string; password?: string },
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, caData: SANDBOX_CA_DATA }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

const readFive = (gw: ClientNodeKubeGateway) =>
  Promise.all([
    gw.list('v1', 'Secret'),
    gw.list('apps/v1', 'Deployment'),
    gw.list('apps/v1', 'DaemonSet'),
    gw.list('storage.k8s.io/v1', 'CSIDriver'),
    gw.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
  ]);

describe('ClientNodeKubeGateway transport', () => {
  const servers: { close(): Promise<void> }[] = [];
  const start = async (protocols: 'h2+http/1.1' | 'http/1.1') => {
    const s = await apiServer(protocols);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('sends parallel reads as streams of one HTTP/2 connection', async () => {
    const s = await start('h2+http/1.1');
    const gw = new ClientNodeKubeGateway(kubeConfig(s.url, { token: 'tok' }), { http2: true });
    expect(await readFive(gw)).toEqual([[], [], [], [], []]);
    expect(s.seen.map((r) => r.httpVersion)).toEqual(['2.0', '2.0', '2.0', '2.0', '2.0']);
    expect(s.seen.every((r) => r.authorization === 'Bearer tok')).toBe(true);
    expect(s.handshakes()).toBe(1);
    gw.close();
  });

  it('falls back to HTTP/1.1 when the server does not offer h2, and stays there', async () => {
    const s = await start('http/1.1');
    const gw = new ClientNodeKubeGateway(kubeConfig(s.url, { token: 'tok' }), { http2: true });
    expect(await readFive(gw)).toEqual([[], [], [], [], []]);
    await gw.list('v1', 'ConfigMap');
    expect(s.seen).toHaveLength(6);
    expect(s.seen.every((r) => r.httpVersion === '1.1' && r.authorization === 'Bearer tok')).toBe(
      true,
    );
    // One connection offered h2 and got HTTP/1.1; the rest are HTTP/1.1 sockets offering nothing.
    expect(s.offers).toEqual([['h2', 'http/1.1']]);
    expect(s.handshakes()).toBeGreaterThan(1);
  });

  it('speaks HTTP/1.1 when HTTP/2 is turned off (DISABLE_HTTP2, as kubectl)', async () => {
    const s = await start('h2+http/1.1');
    const before = process.env['DISABLE_HTTP2'];
    process.env['DISABLE_HTTP2'] = '1';
    try {
      const gw = new ClientNodeKubeGateway(kubeConfig(s.url, { token: 'tok' }));
      await readFive(gw);
    } finally {
      if (before === undefined) delete process.env['DISABLE_HTTP2'];
      else process.env['DISABLE_HTTP2'] = before;
    }
    expect(s.seen.map((r) => r.httpVersion)).toEqual(['1.1', '1.1', '1.1', '1.1', '1.1']);
  });

  it('sends a kubeconfig username and password as Basic auth over HTTP/2', async () => {
    const s = await start('h2+http/1.1');
    const gw = new ClientNodeKubeGateway(
      kubeConfig(s.url, { username: 'admin', password: 's3cret' }),
      { http2: true },
    );
    await gw.list('v1', 'Secret');
    expect(s.seen).toEqual([
      expect.objectContaining({
        httpVersion: '2.0',
        authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}`,
      }),
    ]);
    gw.close();
  });

  it('opens a new connection once the server has closed the old one', async () => {
    const s = await start('h2+http/1.1');
    const gw = new ClientNodeKubeGateway(kubeConfig(s.url, { token: 'tok' }), { http2: true });
    await gw.list('v1', 'Secret');
    s.goAway();
    await new Promise((r) => setTimeout(r, 50));
    await gw.list('v1', 'Secret');
    expect(s.seen.map((r) => r.httpVersion)).toEqual(['2.0', '2.0']);
    expect(s.handshakes()).toBe(2);
    // Right after a GOAWAY, before the client has seen it: the request still gets its answer.
    s.goAway();
    expect(await readFive(gw)).toEqual([[], [], [], [], []]);
    expect(s.seen).toHaveLength(7);
    gw.close();
  });

  it('does not keep a process alive once its reads are answered', async () => {
    const s = await start('h2+http/1.1');
    // A separate Node process reads over HTTP/2 and must then exit by itself.
    const script = `
      const { ClientNodeKubeGateway } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'kube', 'ClientNodeKubeGateway.js'))});
      import('@kubernetes/client-node').then(async ({ KubeConfig }) => {
        const kc = new KubeConfig();
        kc.loadFromOptions(${JSON.stringify({
          clusters: [{ name: 'c', server: s.url, caData: SANDBOX_CA_DATA }],
          users: [{ name: 'u', token: 'tok' }],
          contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
          currentContext: 'x',
        })});
        const gw = new ClientNodeKubeGateway(kc, { http2: true });
        const lists = await Promise.all([gw.list('v1', 'Secret'), gw.list('apps/v1', 'Deployment')]);
        process.stdout.write('read ' + lists.length);
      });`;
    // Asynchronously: the server answers from this process.
    const r = await new Promise<{
      code: number | null;
      signal: string | null;
      out: string;
      err: string;
    }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['-e', script],
        { cwd: path.join(__dirname, '..', '..'), timeout: 20_000 },
        (_e, out, err) => resolve({ code: child.exitCode, signal: child.signalCode, out, err }),
      );
    });
    expect(r).toEqual({ code: 0, signal: null, out: 'read 2', err: '' });
    expect(s.seen.map((x) => x.httpVersion)).toEqual(['2.0', '2.0']);
  });
});
