/**
 * CLI cold start, as the fleet-scan bench prints it (issue 3's targets): `node -e 0`, `--help` and
 * `status` on one demo cluster (median wall times, interleaved), with and without a CA bundle.
 * `cliStart.ts` measures `status` against the least work that gives its answer (issue 18).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnvFor, startDemoSandboxProcess } from './demoSandboxProcess';
import { median } from './median';
import { runProcess as run } from './runProcess';

export interface ColdStart {
  caCerts: boolean;
  nodeMs: number;
  helpMs: number;
  statusMs: number;
  /** `status` with an empty compile cache: the first run after installing or upgrading. */
  firstStatusMs: number;
  /**
   * The first TLS context given the cluster's CA, alone in a process (`tls.createSecureContext({
   * ca })`): Node 20 then builds its whole root certificate store, unless NODE_EXTRA_CA_CERTS had
   * it built at start-up. Every `status` pays it for the kube API connection.
   */
  firstTlsContextMs: number;
  statusOk: boolean;
}

/** Times the first TLS context with CA_PEM as its CA, in a new process (ms, as it reports). */
const FIRST_TLS_CONTEXT =
  "const tls = require('node:tls'); const t = performance.now();" +
  ' tls.createSecureContext({ ca: process.env.CA_PEM });' +
  ' process.stdout.write(String(performance.now() - t));';

/**
 * Median wall time of `node -e 0`, `--help` and `status` on one demo cluster, interleaved. The
 * CLI keeps a V8 code cache of its bundles (cli/src/launcher.ts) in KUBECTL_HYPERPOD_CACHE_DIR:
 * here a temporary directory, filled by one untimed run of each command first, as any run after
 * the first finds it. `status` is also timed with an empty cache every time (the first run after
 * an install), which compiles the bundle from source and writes the cache.
 */
export async function coldStart(runs: number): Promise<ColdStart[]> {
  // In a process of its own: the CLI's requests are answered by a process that does nothing else
  // (not this one, whose heap still holds the fleet scan's results).
  const sb = await startDemoSandboxProcess('ml-prod-use1');
  const dir = mkdtempSync(join(tmpdir(), 'hyperpod-bench-'));
  try {
    const cluster = { name: sb.name, context: sb.context };
    const caData = /certificate-authority-data: (\S+)/.exec(sb.kubeconfig)?.[1] ?? '';
    const caPem = Buffer.from(caData, 'base64').toString('utf8');
    const base = cliEnvFor(sb, dir);
    delete base.NODE_DISABLE_COMPILE_CACHE;
    const cli = 'cli/bin/run.js';
    const statusArgs = [cli, 'status', '--context', cluster.context, '-o', 'json'];
    const out: ColdStart[] = [];
    for (const caCerts of [true, false]) {
      const env = { ...base };
      if (caCerts) env.NODE_EXTRA_CA_CERTS ??= '/etc/ssl/certs/ca-certificates.crt';
      else delete env.NODE_EXTRA_CA_CERTS;
      // Untimed: a checkout rebuilds a stale bundle here, and the compile cache is written.
      await run(process.execPath, [cli, '--help'], env);
      await run(process.execPath, statusArgs, env);
      const node: number[] = [];
      const help: number[] = [];
      const status: number[] = [];
      const firstStatus: number[] = [];
      const firstTlsContext: number[] = [];
      let statusOk = true;
      const check = (s: { code: number | null; stdout: string; stderr: string }, i: number) => {
        if (s.code === 0 && s.stdout.includes(cluster.name)) return;
        statusOk = false;
        if (i === 0) process.stderr.write(`status failed (${s.code}): ${s.stderr.slice(0, 400)}\n`);
      };
      for (let i = 0; i < runs; i++) {
        node.push((await run(process.execPath, ['-e', '0'], env)).ms);
        help.push((await run(process.execPath, [cli, '--help'], env)).ms);
        const s = await run(process.execPath, statusArgs, env);
        status.push(s.ms);
        check(s, i);
        const empty = join(dir, `cache-empty-${caCerts}-${i}`);
        const f = await run(process.execPath, statusArgs, {
          ...env,
          KUBECTL_HYPERPOD_CACHE_DIR: empty,
        });
        firstStatus.push(f.ms);
        check(f, i);
        const tls = await run(process.execPath, ['-e', FIRST_TLS_CONTEXT], {
          ...env,
          CA_PEM: caPem,
        });
        firstTlsContext.push(Number(tls.stdout));
      }
      out.push({
        caCerts,
        nodeMs: median(node),
        helpMs: median(help),
        statusMs: median(status),
        firstStatusMs: median(firstStatus),
        firstTlsContextMs: median(firstTlsContext),
        statusOk,
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sb.stop();
  }
}
