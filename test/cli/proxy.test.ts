/**
 * A kubeconfig cluster behind a SOCKS5 proxy (`proxy-url: socks5://…`, as kubectl takes it): the
 * bundled CLI reaches the cluster's API server through the proxy (client-node's SocksProxyAgent,
 * bundled with it).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClusterReport } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { parse, stringify } from 'yaml';
import { buildCli, cleanEnv, runCli } from './support/runCli';

/** The destinations a SOCKS5 CONNECT asked for, as host:port. */
const connects: string[] = [];
const sockets = new Set<Socket>();
const track = (s: Socket): Socket => {
  sockets.add(s.on('close', () => sockets.delete(s)));
  return s;
};

/** RFC 1928 without authentication: CONNECT to an IPv4 address or a domain name, then a pipe. */
function socks5Server(): Server {
  return createServer((client: Socket) => {
    track(client);
    client.once('data', (hello: Buffer) => {
      if (hello[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0]));
      client.once('data', (req: Buffer) => {
        const atyp = req[3];
        let host: string;
        let at: number;
        if (atyp === 1) {
          host = [...req.subarray(4, 8)].join('.');
          at = 8;
        } else if (atyp === 3) {
          const len = req[4]!;
          host = req.subarray(5, 5 + len).toString('latin1');
          at = 5 + len;
        } else return client.destroy();
        const port = req.readUInt16BE(at);
        connects.push(`${host}:${port}`);
        const upstream = track(
          connect(port, host, () => {
            client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
            client.pipe(upstream).pipe(client);
          }),
        );
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
    });
  });
}

let sb: Sandbox;
let proxy: Server;
let dir: string;

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  proxy = socks5Server();
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-proxy-'));
}, 180_000);
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await sb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('reads a cluster whose kubeconfig names a socks5 proxy-url through that proxy', async () => {
  const cluster = sb.cluster('ml-prod-use1');
  const kubeconfig = parse(sb.kubeconfig(cluster.context)) as {
    clusters: { cluster: Record<string, string> }[];
  };
  const proxyPort = (proxy.address() as { port: number }).port;
  for (const c of kubeconfig.clusters) c.cluster['proxy-url'] = `socks5://127.0.0.1:${proxyPort}`;
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, stringify(kubeconfig));
  const apiServer = new URL(cluster.server);

  const r = await runCli(
    ['status', '--context', cluster.context, '-o', 'json'],
    cleanEnv({ KUBECONFIG: file, ...sb.awsEnv(cluster.accountId, cluster.region) }),
  );

  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const [report] = JSON.parse(r.stdout) as ClusterReport[];
  expect(report!.errors).toEqual([]);
  // The Helm releases come from the cluster's API server: read through the proxy.
  expect(report!.addons.some((a) => a.installedVia === 'helm')).toBe(true);
  expect(connects).toContain(`127.0.0.1:${apiServer.port}`);
});
