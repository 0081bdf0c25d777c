/**
 * Fleet-summary benchmark (issue 5): GET /api/hyperpod/fleet under 50 concurrent clients on a
 * 200-cluster fleet, served from the plugin's cache. Starts the generated sandbox fleet (as
 * `fleetScan`, without faults), the portal backend in process with `startTestBackend` (SQLite in
 * memory, the permission backend with the demo policy: the real permission round trip), waits for
 * the startup fleet scan, then times the first (uncached) request after a scan, and a closed-loop
 * load of C clients × N sequential requests from a worker thread. Prints figures and the target;
 * always exits 0 (a missed target prints FAIL).
 *
 *   npx tsc -b bench && node bench/dist/fleetSummary.js [--clusters 200] [--addons 12]
 *     [--accounts 4] [--clients 50] [--requests 2000] [--warmup 500] [--cold-runs 3]
 *     [--skip-breakdown] [--profile-out backend.cpuprofile]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { SchedulerService, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import type { JsonObject } from '@backstage/types';
import { hyperpodDemoPolicyModule, authWithActorFactory } from '@hyperpod/backend/testing';
import { hyperpodClusterReadPermission, type FleetSummary } from '@hyperpod/core';
import hyperpodBackend from '@hyperpod/plugin-hyperpod-backend';
import { Sandbox } from '@hyperpod/sandbox';
import knexFactory from 'knex';
import { fleetAddons, fleetScenario, REGIONS, table, type FleetCluster } from './fleet';
import { profiled } from './cpuProfile';
import { HttpLoad, percentile, type LoadResult, type LoadSpec } from './httpLoad';
import { median } from './median';
import { numberOption } from './numberOption';
import { parseOptions } from './parseOptions';
import { fleetSize, fleetSizeOptions } from './fleetSize';
import { runBenchmark } from './runBenchmark';

const TARGET_P95_MS = 50;
const SCAN_TASK = 'hyperpod-fleet-scan';

function readArgs(argv: string[]) {
  const v = parseOptions(argv, {
    ...fleetSizeOptions,
    clients: { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    'cold-runs': { type: 'string' },
    'skip-breakdown': { type: 'boolean', default: false },
    'profile-out': { type: 'string' },
  });
  return {
    ...fleetSize(v),
    clients: numberOption(v.clients, 'clients', 50),
    requests: numberOption(v.requests, 'requests', 2000),
    warmup: numberOption(v.warmup, 'warmup', 500),
    coldRuns: numberOption(v['cold-runs'], 'cold-runs', 3),
    breakdown: !v['skip-breakdown'],
    profileOut: v['profile-out'],
  };
}

/** AWS shared files with a profile per sandbox account, as test/portal/support.ts writes them. */
function awsFiles(sb: Sandbox, dir: string): { credentials: string; config: string } {
  const credentials = join(dir, 'credentials');
  const config = join(dir, 'config');
  writeFileSync(
    credentials,
    sb.accounts
      .map(
        (a) =>
          `[${a.alias}]\naws_access_key_id = ${a.accessKeyId}\naws_secret_access_key = ${a.secretAccessKey}\n`,
      )
      .join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(
    config,
    sb.accounts.map((a) => `[profile ${a.alias}]\nregion = us-east-1\n`).join('\n'),
  );
  return { credentials, config };
}

/** The app-config: every cluster by profile, account and region; AWS side only (no kube contexts). */
function portalConfig(sb: Sandbox, fleet: FleetCluster[]): JsonObject {
  return {
    permission: { enabled: true },
    hyperpod: {
      fleet: {
        clusters: fleet.map((c) => ({
          name: c.name,
          region: c.region,
          accountId: c.accountId,
          profile: c.account,
          owner: `group:default/team-${c.account}`,
        })),
      },
      aws: { endpoint: sb.awsEndpoint, requestTimeoutMs: 30_000 },
      // One scan at start (the mock scheduler runs tasks once); more only when the bench asks.
      scan: { frequency: { hours: 1 }, concurrency: 16, timeoutMs: 120_000 },
    },
  };
}

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** Median wall time of `fn` over `runs` calls, in ms. */
function medianTime(fn: () => unknown, runs = 20): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

interface Phase {
  label: string;
  result: LoadResult;
  /** Share of the main thread's (the backend's) time spent busy during the load. */
  serverBusy: number;
}

async function measure(load: HttpLoad, label: string, spec: LoadSpec): Promise<Phase> {
  const elu = performance.eventLoopUtilization();
  const result = await load.run(spec);
  const serverBusy = performance.eventLoopUtilization(elu).utilization;
  if (result.failures > 0)
    process.stderr.write(
      `  [${label}] ${result.failures} failed requests, first: ${result.firstFailure}\n`,
    );
  return { label, result, serverBusy };
}

/** The backend thread's busy time per request during a phase. */
const backendTime = (p: Phase): number =>
  (p.result.wallMs / p.result.latencies.length) * p.serverBusy;

function phaseRows(p: Phase, target?: number): string[][] {
  const r = p.result;
  const n = r.latencies.length;
  const p95 = percentile(r.latencies, 95);
  return [
    [`${p.label}`, `${n} requests in ${(r.wallMs / 1000).toFixed(2)} s`, '', ''],
    [`  throughput`, `${((n / r.wallMs) * 1000).toFixed(0)} requests/s`, '', ''],
    [
      `  latency p50 / p95 / p99 / max`,
      [50, 95, 99, 100].map((q) => percentile(r.latencies, q).toFixed(1)).join(' / ') + ' ms',
      target !== undefined ? `p95 <= ${target} ms` : '',
      target !== undefined ? verdict(p95 <= target && r.failures === 0) : '',
    ],
    [`  failed requests`, String(r.failures), '', ''],
    [
      `  event loop busy: backend / load worker`,
      `${(p.serverBusy * 100).toFixed(0)} % / ${(r.clientBusy * 100).toFixed(0)} %`,
      '',
      '',
    ],
    [`  backend time per request (wall / requests x busy)`, ms(backendTime(p)), '', ''],
  ];
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const perClient = Math.max(1, Math.round(args.requests / args.clients));
  const warmPerClient = Math.max(1, Math.round(args.warmup / args.clients));
  const addons = fleetAddons(args.addons);
  const fleet: FleetCluster[] = [];
  let t0 = performance.now();
  const sb = await Sandbox.start({ scenario: fleetScenario(args, addons, fleet) });
  process.stderr.write(
    `sandbox: ${fleet.length} clusters x ${addons.length} add-ons, ${args.accounts} accounts, ` +
      `${REGIONS.length} regions, started in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'hyperpod-bench-portal-'));
  const files = awsFiles(sb, dir);
  process.env.AWS_SHARED_CREDENTIALS_FILE = files.credentials;
  process.env.AWS_CONFIG_FILE = files.config;
  const load = new HttpLoad();
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  const rows: string[][] = [['figure', 'value', 'target', 'verdict']];
  try {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    // The instance installs itself as a factory (untyped in test-utils' .d.ts), so the bench can
    // run the scan task again to empty the summary cache.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
    };
    t0 = performance.now();
    backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: portalConfig(sb, fleet) }),
        mockServices.database.factory({ knex, migrations: { skip: false } }),
        scheduler.factory(),
        // Plugins call the permission backend on the user's behalf, as in a real backend.
        authWithActorFactory,
        permissionBackend,
        hyperpodDemoPolicyModule,
        hyperpodBackend,
      ],
    });
    const port = (backend.server.address() as { port: number }).port;
    const base = `http://127.0.0.1:${port}/api`;
    const fleetUrl = `${base}/hyperpod/fleet`;
    const header = (user: string) => ({ authorization: mockCredentials.user.header(user) });

    // The startup scan (the mock scheduler runs the task when the backend starts).
    let summary: FleetSummary | undefined;
    for (;;) {
      const res = await fetch(fleetUrl, { headers: header('user:default/bench-poll') });
      if (!res.ok) throw new Error(`GET /fleet: ${res.status} ${await res.text()}`);
      summary = (await res.json()) as FleetSummary;
      if (summary.clusters.length === fleet.length && summary.clusters.every((c) => c.scannedAt))
        break;
      if (performance.now() - t0 > 10 * 60_000) throw new Error('the fleet scan did not finish');
      await new Promise((r) => setTimeout(r, 500));
    }
    const started = performance.now() - t0;
    const withErrors = summary.clusters.filter((c) => c.errors > 0).length;
    const addonsPer = summary.clusters.map((c) => c.addons.length);
    const json = Buffer.from(JSON.stringify(summary));
    process.stderr.write(
      `backend up, startup scan done in ${(started / 1000).toFixed(1)} s; ${withErrors} clusters with errors\n`,
    );

    // Cold: the first request after a scan finds neither the memo nor the cache (the scan drops
    // both) and builds the summary from the database. Each run is a fresh scan.
    const cold: number[] = [];
    const scans: number[] = [];
    for (let i = 0; i < args.coldRuns; i++) {
      const s0 = performance.now();
      await scheduler.triggerTask(SCAN_TASK);
      scans.push(performance.now() - s0);
      const r = await load.run({
        url: fleetUrl,
        headers: [header(`user:default/bench-cold-${i}`)],
        clients: 1,
        requestsPerClient: 1,
      });
      if (r.failures > 0) throw new Error(`cold GET /fleet failed: ${r.firstFailure}`);
      cold.push(r.latencies[0]!);
      process.stderr.write(`  cold request ${i + 1}: ${ms(r.latencies[0]!)}\n`);
    }

    const users = Array.from({ length: args.clients }, (_, i) =>
      header(`user:default/bench-${i + 1}`),
    );
    process.stderr.write(`warm-up: ${args.clients} x ${warmPerClient} requests\n`);
    const warm = await load.run({
      url: fleetUrl,
      headers: users,
      clients: args.clients,
      requestsPerClient: warmPerClient,
    });
    if (warm.failures > 0) throw new Error(`warm-up failed: ${warm.firstFailure}`);

    process.stderr.write(`measured: ${args.clients} x ${perClient} requests\n`);
    const fleetLoad = await measure(load, `GET /fleet, ${args.clients} concurrent clients`, {
      url: fleetUrl,
      headers: users,
      clients: args.clients,
      requestsPerClient: perClient,
    });

    rows.push(
      ['clusters', String(summary.clusters.length), '', ''],
      [
        'add-ons per cluster',
        Math.min(...addonsPer) === Math.max(...addonsPer)
          ? String(addonsPer[0])
          : `${Math.min(...addonsPer)}..${Math.max(...addonsPer)}`,
        '',
        '',
      ],
      ['clusters with scan errors', `${withErrors}/${summary.clusters.length}`, '', ''],
      [
        'response size (JSON / gzip)',
        `${kib(json.length)} / ${kib(gzipSync(json).length)}`,
        '',
        '',
      ],
      [
        'response as served (Accept-Encoding: gzip, deflate, br)',
        `${kib(fleetLoad.result.wireBytes)}, Content-Encoding ${fleetLoad.result.encoding}`,
        '',
        '',
      ],
      [
        `portal fleet scan (${summary.clusters.length} clusters, no faults)`,
        `${(Math.min(...scans) / 1000).toFixed(1)} s`,
        '',
        '',
      ],
      [
        `cold GET /fleet after a scan (${cold.length} runs: min / median / max)`,
        [Math.min(...cold), median(cold), Math.max(...cold)].map(ms).join(' / '),
        '',
        '',
      ],
      ...phaseRows(fleetLoad, TARGET_P95_MS),
    );

    if (args.breakdown) {
      // Where the time goes: the same endpoint with one client (no queueing), the HTTP stack
      // alone, and the permission round trip alone, each under the same load.
      process.stderr.write('breakdown...\n');
      const single = await measure(load, 'GET /fleet, 1 client', {
        url: fleetUrl,
        headers: users,
        clients: 1,
        requestsPerClient: Math.min(200, args.requests),
      });
      const health = await measure(load, `GET /health, ${args.clients} clients`, {
        url: `${base}/hyperpod/health`,
        headers: users,
        clients: args.clients,
        requestsPerClient: perClient,
      });
      const authorizeBody = (clusters: FleetSummary['clusters']) =>
        JSON.stringify({
          items: clusters.map((c, i) => ({
            id: String(i),
            permission: hyperpodClusterReadPermission,
            resourceRef: c.id,
          })),
        });
      const authorize = await measure(
        load,
        `POST /api/permission/authorize (${summary.clusters.length} cluster reads), ${args.clients} clients`,
        {
          url: `${base}/permission/authorize`,
          method: 'POST',
          headers: users,
          body: authorizeBody(summary.clusters),
          clients: args.clients,
          requestsPerClient: perClient,
        },
      );
      const authorizeOne = await measure(
        load,
        `POST /api/permission/authorize (1 cluster read), ${args.clients} clients`,
        {
          url: `${base}/permission/authorize`,
          method: 'POST',
          headers: users,
          body: authorizeBody(summary.clusters.slice(0, 1)),
          clients: args.clients,
          requestsPerClient: perClient,
        },
      );
      // A separate, shorter run under the profiler, so the measured figures above carry no
      // profiling overhead.
      const profiledRequests = Math.max(1, Math.round(Math.min(500, args.requests) / args.clients));
      const prof = await profiled(
        () =>
          measure(load, 'GET /fleet, profiled', {
            url: fleetUrl,
            headers: users,
            clients: args.clients,
            requestsPerClient: profiledRequests,
          }),
        args.profileOut,
      );
      rows.push(
        ...phaseRows(single),
        ...phaseRows(health),
        ...phaseRows(authorize),
        ...phaseRows(authorizeOne),
      );
      const perRequest = backendTime(prof.value);
      rows.push([
        `backend CPU per GET /fleet under load, by package (profile of ${prof.value.result.latencies.length} requests)`,
        ms(perRequest),
        '',
        '',
      ]);
      for (const s of prof.shares.filter((x) => x.share >= 0.01))
        rows.push([
          `  ${s.what}`,
          `${(s.share * 100).toFixed(1)} % = ${(s.share * perRequest).toFixed(2)} ms`,
          '',
          '',
        ]);
      rows.push(
        [
          'JSON.stringify of the summary (median of 20)',
          ms(medianTime(() => JSON.stringify(summary))),
          '',
          '',
        ],
        [
          'gzip of the body, level 6 (median of 20; Backstage compresses in production)',
          ms(medianTime(() => gzipSync(json))),
          '',
          '',
        ],
        [
          `closed-loop bound: ${args.clients} clients x backend time per /fleet request`,
          ms(args.clients * backendTime(fleetLoad)),
          `<= ${TARGET_P95_MS} ms needs <= ${ms(TARGET_P95_MS / args.clients)} per request`,
          '',
        ],
      );
    }
  } finally {
    await load.stop();
    await backend?.stop();
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `\n${table(rows)}\n\nmachine: ${process.platform} ${process.arch}, ` +
      `${cpus().length} cores, Node ${process.versions.node}; load average at the end ` +
      `${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}\n`,
  );
}

runBenchmark(main);
