import http2 from 'node:http2';
import https from 'node:https';
import { KubeApiServer } from './KubeApiServer';
import { KubeCluster } from './KubeCluster';
import { SANDBOX_TLS_CERT } from './sandboxTls';
import type { KubeObject } from './types';

const TOKEN = 'tls-t0ken';
const NS = 'hyperpod-inference-system';

describe('KubeApiServer over TLS: HTTP/2 and HTTP/1.1 on one port', () => {
  let cluster: KubeCluster;
  let server: KubeApiServer;
  let base: string;

  beforeEach(async () => {
    // https with the sandbox's own certificate (the default scheme).
    cluster = new KubeCluster({ name: 'hp-tls', version: '1.30' });
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    server = new KubeApiServer(cluster, { token: TOKEN });
    base = await server.listen();
  });

  afterEach(() => server.close());

  /** One HTTP/2 request: status, headers and body text; `onResponse` once the headers are in. */
  const h2get = (session: http2.ClientHttp2Session, path: string, onResponse?: () => void) =>
    new Promise<{ status: number; headers: http2.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const stream = session.request({ ':path': path, authorization: `Bearer ${TOKEN}` });
        let headers: http2.IncomingHttpHeaders = {};
        let text = '';
        stream.on('response', (h) => {
          headers = h;
          onResponse?.();
        });
        stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
        stream.on('end', () => resolve({ status: Number(headers[':status']), headers, text }));
        stream.on('error', reject);
      },
    );

  it('answers an h2 client over HTTP/2, several requests on one connection', async () => {
    const session = http2.connect(base, { ca: SANDBOX_TLS_CERT });
    try {
      const [version, namespaces] = await Promise.all([
        h2get(session, '/version'),
        h2get(session, '/api/v1/namespaces'),
      ]);
      expect(session.alpnProtocol).toBe('h2');
      expect(version.status).toBe(200);
      expect(JSON.parse(version.text)).toMatchObject({ major: '1', minor: '30+' });
      expect(JSON.parse(namespaces.text).items.map((n: KubeObject) => n.metadata.name)).toContain(
        NS,
      );
    } finally {
      session.close();
    }
  });

  it('streams watch events over HTTP/2 (no transfer-encoding, which HTTP/2 forbids)', async () => {
    const session = http2.connect(base, { ca: SANDBOX_TLS_CERT });
    try {
      let started!: () => void;
      const headersIn = new Promise<void>((r) => (started = r));
      const watched = h2get(
        session,
        `/api/v1/namespaces/${NS}/configmaps?watch=true&timeoutSeconds=1`,
        () => started(),
      );
      // The server registers the watch before it sends the headers.
      await headersIn;
      cluster.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'watched', namespace: NS },
      });
      const res = await watched;
      expect(res.status).toBe(200);
      expect(res.headers['transfer-encoding']).toBeUndefined();
      expect(
        res.text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual([expect.objectContaining({ type: 'ADDED' })]);
    } finally {
      session.close();
    }
  });

  it('answers HTTP/1.1 clients over TLS as before', async () => {
    const res = await new Promise<{ version: string; status: number; body: string }>(
      (resolve, reject) => {
        https
          .get(
            `${base}/version`,
            { ca: SANDBOX_TLS_CERT, headers: { authorization: `Bearer ${TOKEN}` } },
            (r) => {
              let body = '';
              r.on('data', (c: Buffer) => (body += c.toString('utf8')));
              r.on('end', () =>
                resolve({ version: r.httpVersion, status: r.statusCode ?? 0, body }),
              );
            },
          )
          .on('error', reject);
      },
    );
    expect(res).toMatchObject({ version: '1.1', status: 200 });
    expect(JSON.parse(res.body)).toMatchObject({ major: '1', minor: '30+' });
  });
});
