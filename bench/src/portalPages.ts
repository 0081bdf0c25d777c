/**
 * Portal page benchmark (issue 6): how long the fleet page and a cluster page take to become
 * interactive in Chromium (Debian's /usr/bin/chromium, driven by playwright-core), with 200
 * clusters: the portal as `npm start -- --production --scenario large` runs it
 * (`scripts/start.mjs`: the sandbox's `large` fleet, the backend, the app's production build
 * served with gzip by scripts/serve-app.mjs). `--dev` measures the dev server instead (unminified,
 * what `npm start` serves), `--scenario demo` the 7-cluster demo fleet. Prints figures against
 * the 1.5 s target; always exits 0 (a missed target prints FAIL).
 *
 *   npx tsc -b bench && node bench/dist/portalPages.js [--runs 7] [--cluster ml-prod-use1] [--dev] [--scenario large]
 *
 * Each run opens a fresh browser context, signs in as the guest (not timed), then loads each page
 * by navigation, with the static files cached and then with the HTTP cache cleared (CDP), and
 * times from navigation start to interactive: the
 * in-page clock (`performance.now()`, zero at navigation start) read by a predicate polled every
 * animation frame, so the figure carries no driver round trip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { table } from './fleet';
import { numberOption } from './numberOption';

const ROOT = join(__dirname, '..', '..');
const APP_URL = 'http://localhost:3000';
const BACKEND_URL = 'http://localhost:7007';
const TARGET_MS = 1500;
/** Debian's Chromium with the project's flags (one home, shared with the browser tests). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchChromium } = require('../../scripts/lib/chromium.cjs') as {
  launchChromium(): Promise<Browser>;
};

/** `warm`: the static files are in the HTTP cache (a returning user); `cold`: a first visit. */
type Cache = 'warm' | 'cold';
const CACHES: Cache[] = ['warm', 'cold'];
const PAGES = ['fleet', 'cluster'] as const;

interface Args {
  runs: number;
  cluster: string;
  scenario: string;
  dev: boolean;
}

function readArgs(argv: string[]): Args {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      cluster: { type: 'string', default: 'ml-prod-use1' },
      scenario: { type: 'string', default: 'large' },
      dev: { type: 'boolean', default: false },
    },
  });
  return {
    runs: Math.max(1, numberOption(v.runs, 'runs', 7)),
    cluster: v.cluster,
    scenario: v.scenario,
    dev: v.dev,
  };
}

const say = (s: string) => process.stderr.write(`[portalPages] ${s}\n`);

/** Interactive: the clusters table has its first row's link and the Reload button is enabled. */
const FLEET_READY = `(() => {
  const link = document.querySelector('table[aria-label="Clusters"] tbody tr th a');
  const reload = [...document.querySelectorAll('button')].find((b) => b.textContent.trim().toLowerCase() === 'reload');
  return link && link.getBoundingClientRect().height > 0 && reload && !reload.disabled ? performance.now() : false;
})()`;

/** Interactive: the cluster's header with an enabled Refresh, its add-ons and the request form. */
const clusterReady = (name: string) => `(() => {
  const h = [...document.querySelectorAll('h2')].find((e) => e.textContent.trim() === ${JSON.stringify(name)});
  const refresh = document.querySelector('button[aria-label="Refresh: scan the cluster now"]');
  const form = document.querySelector('#hyperpod-upgrade-addon');
  return h && refresh && !refresh.disabled && form && !form.disabled ? performance.now() : false;
})()`;

async function timeLoad(
  context: BrowserContext,
  url: string,
  ready: string,
  cache: Cache,
): Promise<number> {
  const page = await context.newPage();
  try {
    if (cache === 'cold') {
      // The session (local storage) stays; the HTTP cache, and with it V8's code cache, goes.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.detach();
    }
    await page.goto(url, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(ready, undefined, {
      polling: 'raf',
      timeout: 60_000,
    });
    return (await handle.jsonValue()) as number;
  } finally {
    await page.close();
  }
}

/** GET on the backend as the guest user. */
async function backendGet(path: string): Promise<Response> {
  const session = (await (await fetch(`${BACKEND_URL}/api/auth/guest/refresh`)).json()) as {
    backstageIdentity?: { token?: string };
  };
  return fetch(`${BACKEND_URL}${path}`, {
    headers: { Authorization: `Bearer ${session.backstageIdentity?.token ?? ''}` },
  });
}

/**
 * How many clusters the backend's fleet summary holds, once its first scan has read them all
 * (until then the backend is busy scanning on the same cores the browser needs).
 */
async function fleetSize(): Promise<number> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await backendGet('/api/hyperpod/fleet');
    if (!res.ok) throw new Error(`GET /api/hyperpod/fleet: HTTP ${res.status}`);
    const fleet = (await res.json()) as { clusters: { scannedAt?: string }[] };
    const scanned = fleet.clusters.filter((c) => c.scannedAt).length;
    if (fleet.clusters.length > 0 && scanned === fleet.clusters.length) return scanned;
    if (Date.now() > deadline)
      throw new Error(`${scanned} of ${fleet.clusters.length} clusters scanned after 300 s`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Waits until the catalog has ingested every cluster (200 take ~30 s after start). */
async function waitForCatalog(clusters: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await backendGet('/api/catalog/entity-facets?facet=kind');
    const facets = res.ok
      ? ((await res.json()) as { facets: { kind: { value: string; count: number }[] } }).facets
      : undefined;
    const resources = facets?.kind.find((k) => k.value === 'Resource')?.count ?? 0;
    if (resources >= clusters) return;
    if (Date.now() > deadline)
      throw new Error(`the catalog has ${resources} of ${clusters} clusters after 300 s`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function startPortal(args: Args): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BROWSER: 'none',
    // No scheduled rescan during the runs (Backstage's APP_CONFIG_ override): the backend of a
    // real portal does not scan on the machine the browser runs on.
    APP_CONFIG_hyperpod_scan_frequency_minutes: '120',
  };
  delete env.NODE_ENV;
  // The bench signs in as the guest: production mode refuses that unless asked to allow it.
  const startArgs = [
    '--scenario',
    args.scenario,
    ...(args.dev ? [] : ['--production', '--demo-sign-in']),
  ];
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...startArgs], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start within 240 s'), 240_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      stopPortal(child);
      reject(new Error(`the portal ${why}:\n${log.slice(-4000)}`));
    };
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (/portal ready after/.test(log)) {
        clearTimeout(timer);
        // start.mjs may print ready while stopping after a child failed: ask the app too.
        void fetch(APP_URL)
          .then((r) => (r.ok && child.exitCode === null ? resolve(child) : fail('did not answer')))
          .catch(() => fail('did not answer'));
      }
    });
    child.once('exit', () => fail('exited'));
  });
}

function stopPortal(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      kill('SIGKILL');
      resolve();
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  say(
    `starting the portal (scripts/start.mjs --scenario ${args.scenario}${args.dev ? ', dev server' : ' --production'})`,
  );
  const portal = await startPortal(args);
  const stop = () => void stopPortal(portal).then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const browser = await launchChromium().catch(async (e: unknown) => {
    await stopPortal(portal);
    throw e;
  });
  const times = new Map<string, number[]>(
    PAGES.flatMap((p) => CACHES.map((c) => [`${p} ${c}`, []] as [string, number[]])),
  );
  const clusters = await fleetSize();
  say(`waiting for the catalog to hold the ${clusters} clusters`);
  await waitForCatalog(clusters);
  const urls = {
    fleet: [`${APP_URL}/hyperpod`, FLEET_READY],
    cluster: [
      `${APP_URL}/catalog/default/resource/${args.cluster}/hyperpod`,
      clusterReady(args.cluster),
    ],
  } as const;
  try {
    for (let run = 0; run <= args.runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const signIn = await context.newPage();
      await signIn.goto(`${APP_URL}/hyperpod`);
      await signIn.getByRole('button', { name: 'Enter' }).click();
      await signIn.waitForFunction(FLEET_READY, undefined, { timeout: 120_000 });
      await signIn.close();
      const line: string[] = [];
      for (const cache of CACHES)
        for (const p of PAGES) {
          const t = await timeLoad(context, urls[p][0], urls[p][1], cache);
          line.push(`${p} ${cache} ${ms(t)}`);
          // The first run warms the backend's caches and the OS page cache: not counted.
          if (run > 0) times.get(`${p} ${cache}`)!.push(t);
        }
      await context.close();
      say(`run ${run}${run === 0 ? ' (warm-up, not counted)' : ''}: ${line.join(', ')}`);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await stopPortal(portal);
  }
  const verdict = (x: number) => (x <= TARGET_MS ? 'PASS' : 'FAIL');
  const what = {
    fleet: 'fleet page: navigation start -> first row + Reload enabled',
    cluster: `cluster page (${args.cluster}, hyperpod tab) -> header, Refresh and request form enabled`,
  };
  const rows = [
    ['figure', 'value', 'target', 'verdict'],
    ['fleet', `sandbox scenario '${args.scenario}', ${clusters} clusters`, '', ''],
    ['runs (fresh browser context each, signed in, after one warm-up)', String(args.runs), '', ''],
    ...CACHES.flatMap((cache) =>
      PAGES.flatMap((p) => {
        const xs = times.get(`${p} ${cache}`)!;
        return [
          [
            `${what[p]}, ${cache === 'warm' ? 'static files cached' : 'empty HTTP cache'}, median`,
            ms(median(xs)),
            '<= 1.50 s',
            verdict(median(xs)),
          ],
          ['  min / max', `${ms(Math.min(...xs))} / ${ms(Math.max(...xs))}`, '', ''],
        ];
      }),
    ),
  ];
  process.stdout.write(`${table(rows)}\n`);
  process.stdout.write(
    `\nmachine: ${process.platform} ${process.arch}, ${cpus().length} cores, Node ${process.versions.node}; app served ${args.dev ? 'by the dev server (backstage-cli package start, unminified)' : 'as a production build (backstage-cli package build, gzip, scripts/serve-app.mjs)'}; load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
