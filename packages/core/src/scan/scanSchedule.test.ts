/**
 * The scan's schedule in virtual time: the product's loop (`scanClusters`, learned pacing, one
 * retry layer) against an EKS that meters each account and region with a token bucket (10
 * requests/s, one second's burst, as the sandbox and AWS do) and answers after 40 ms. Fake timers
 * make the figures independent of the machine: what is measured is the schedule alone, which the
 * fleet-scan bench (bench/src/fleetScan.ts) then measures in real time.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { EksAddon, EksCluster, EksGateway } from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import type { ClusterTarget } from './ClusterObservation';
import { Pacer } from './pacing/Pacer';
import { InMemoryPacingStore } from './pacing/PacingStore';
import { scanClusters } from './scanClusters';

const LATENCY_MS = 40;
const ADDONS = Array.from({ length: 12 }, (_, i) => `addon-${i}`);

/** An account and region's API: a token bucket of `rate` per second holding one second's worth. */
class MeteredScope {
  calls = 0;
  throttled = 0;
  private tokens: number;
  private last = Date.now();
  constructor(public rate: number) {
    this.tokens = rate;
  }
  admit(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.calls++;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.throttled++;
    return false;
  }
}

function meteredEks(scope: MeteredScope, t: ClusterTarget): EksGateway {
  const answer = <T>(operation: string, value: () => T): Promise<T> =>
    new Promise((resolve, reject) =>
      setTimeout(() => {
        if (scope.admit()) resolve(value());
        else reject(new GatewayError('Throttled', 'Rate exceeded', 'eks', operation));
      }, LATENCY_MS),
    );
  const cluster: EksCluster = {
    name: t.name,
    arn: `arn:aws:eks:${t.region}:${t.accountId}:cluster/${t.name}`,
    accountId: t.accountId!,
    region: t.region!,
    version: '1.31',
    status: 'ACTIVE',
    tags: {},
  };
  const addon = (addonName: string): EksAddon => ({
    clusterName: t.name,
    addonName,
    addonVersion: 'v1.0.0-eksbuild.1',
    status: 'ACTIVE',
    issues: [],
  });
  const catalog = (addonName: string): AddonCatalogEntry[] => [
    {
      addonName,
      versions: [
        {
          addonVersion: 'v1.0.0-eksbuild.1',
          compatibilities: [{ clusterVersion: '1.31', defaultVersion: true }],
        },
      ],
    } as unknown as AddonCatalogEntry,
  ];
  return {
    describeCluster: () => answer('DescribeCluster', () => cluster),
    listAddons: () => answer('ListAddons', () => ADDONS),
    describeAddon: (_c: string, n: string) => answer('DescribeAddon', () => addon(n)),
    describeAddonVersions: (q: { addonName?: string }) =>
      answer('DescribeAddonVersions', () => catalog(q.addonName!)),
  } as unknown as EksGateway;
}

interface Fleet {
  targets: ClusterTarget[];
  scopes: Map<string, MeteredScope>;
}

function fleet(clusters: number, accounts: number, rate: number): Fleet {
  const scopes = new Map<string, MeteredScope>();
  const targets = Array.from({ length: clusters }, (_, i) => {
    const accountId = String(100000000000 + (i % accounts));
    const region = ['us-east-1', 'us-west-2'][Math.floor(i / accounts) % 2]!;
    const key = `${accountId}/${region}`;
    if (!scopes.has(key)) scopes.set(key, new MeteredScope(rate));
    return { name: `fleet-${i}`, accountId, region };
  });
  return { targets, scopes };
}

/** Scans in virtual time; resolves with the scan's duration (ms) and the reports' error count. */
async function scanInVirtualTime(
  f: Fleet,
  pacers: Pacer[],
  opts: { concurrency?: number; during?: (elapsedMs: number) => void } = {},
): Promise<{ ms: number; failed: number; reports: number }> {
  const started = Date.now();
  let reports = 0;
  let failed = 0;
  const eks = (t: ClusterTarget) => meteredEks(f.scopes.get(`${t.accountId}/${t.region}`)!, t);
  let finished = false;
  const scans = Promise.all(
    pacers.map(async (pacer, replica) => {
      const mine = f.targets.filter((_, i) => i % pacers.length === replica);
      for await (const r of scanClusters(mine, { eks, pacer }, { concurrency: opts.concurrency })) {
        reports++;
        if (r.errors.length > 0) failed++;
      }
      await pacer.close();
    }),
  ).then(() => {
    finished = true;
  });
  while (!finished) {
    await jest.advanceTimersByTimeAsync(5);
    opts.during?.(Date.now() - started);
  }
  await scans;
  return { ms: Date.now() - started, failed, reports };
}

/** The lower bound: the busiest scope's minimum calls at `rate` per second, plus one latency. */
function lowerBoundMs(f: Fleet, rate: number): number {
  const perScope = new Map<string, number>();
  for (const t of f.targets) {
    const k = `${t.accountId}/${t.region}`;
    perScope.set(k, (perScope.get(k) ?? 0) + 2 + ADDONS.length);
  }
  // One DescribeAddonVersions per add-on for the whole scan, on the first scopes.
  const keys = [...perScope.keys()];
  ADDONS.forEach((_, i) =>
    perScope.set(keys[i % keys.length]!, perScope.get(keys[i % keys.length]!)! + 1),
  );
  return (Math.max(...perScope.values()) / rate) * 1000 + LATENCY_MS;
}

const minimumCalls = (f: Fleet) => f.targets.length * (2 + ADDONS.length) + ADDONS.length;
const callsMade = (f: Fleet) => [...f.scopes.values()].reduce((n, s) => n + s.calls, 0);

describe('the scan schedule in virtual time (10 requests/s per account and region, 40 ms)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-12-06T00:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const maxThrottled = (f: Fleet) => Math.max(...[...f.scopes.values()].map((s) => s.throttled));

  it.each([
    [200, 4],
    [2000, 20],
  ])(
    'default configuration, %i clusters in %i accounts: within 1.10x the lower bound, under 1 %% extra calls',
    async (clusters, accounts) => {
      const f = fleet(clusters, accounts, 10);
      const r = await scanInVirtualTime(f, [new Pacer({ store: new InMemoryPacingStore() })]);
      expect(r).toMatchObject({ reports: clusters, failed: 0 });
      expect(r.ms / lowerBoundMs(f, 10)).toBeLessThanOrEqual(1.1);
      expect((callsMade(f) - minimumCalls(f)) / minimumCalls(f)).toBeLessThan(0.01);
    },
    120_000,
  );

  it('adapts when the limit drops from 10 to 5 requests/s halfway: within 1.20x that schedule', async () => {
    const f = fleet(200, 4, 10);
    const bound = lowerBoundMs(f, 10) - LATENCY_MS;
    const dropAt = bound / 2;
    // Half the calls at 10/s, the other half at 5/s.
    const scheduleMs = dropAt + ((bound - dropAt) * 10) / 5 + LATENCY_MS;
    let dropped = false;
    const r = await scanInVirtualTime(f, [new Pacer({ store: new InMemoryPacingStore() })], {
      during: (elapsed) => {
        if (dropped || elapsed < dropAt) return;
        dropped = true;
        for (const s of f.scopes.values()) s.rate = 5;
      },
    });
    expect(dropped).toBe(true);
    expect(r).toMatchObject({ reports: 200, failed: 0 });
    expect(r.ms / scheduleMs).toBeLessThanOrEqual(1.2);
    // It was throttled, and learned the new limit.
    expect(maxThrottled(f)).toBeGreaterThan(0);
  }, 60_000);

  it('three replicas sharing a store: the minimum calls plus 1 %, no scope throttled more than by one replica alone', async () => {
    const alone = fleet(2000, 20, 10);
    await scanInVirtualTime(alone, [new Pacer({ store: new InMemoryPacingStore() })]);
    const f = fleet(2000, 20, 10);
    const store = new InMemoryPacingStore();
    const replicas = [1, 2, 3].map((i) => new Pacer({ store, memberId: `replica-${i}` }));
    const r = await scanInVirtualTime(f, replicas);
    expect(r).toMatchObject({ reports: 2000, failed: 0 });
    // Each replica asks for the add-on catalog once: 2 x 12 calls beyond one process's minimum.
    expect(callsMade(f)).toBeLessThanOrEqual(minimumCalls(f) * 1.01);
    expect(maxThrottled(f)).toBeLessThanOrEqual(maxThrottled(alone));
  }, 120_000);
});
