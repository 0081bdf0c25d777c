import type { ClusterReport } from '../report/ClusterReport';
import { CLUSTER_REPORT_SCHEMA_VERSION } from '../report/ClusterReport';
import { GatewayError } from '../ports/GatewayError';
import { CachingAddonCatalog, CachingAddonConfigurations } from './CachingAddonCatalog';
import type { ClusterTarget } from './ClusterObservation';
import { ADDONS, asEks, CATALOG, TableEksGateway } from './fixtures/TableEksGateway';
import { observeCluster } from './observeCluster';
import { clustersPerScope } from './scanClusters';
import { scanFleet } from './scanFleet';

const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

function report(target: ClusterTarget, health: ClusterReport['health'] = 'Healthy'): ClusterReport {
  return {
    schemaVersion: CLUSTER_REPORT_SCHEMA_VERSION,
    cluster: { name: target.name, accountId: target.accountId, region: target.region },
    health,
    addons: [],
    errors: [],
    scannedAt: new Date().toISOString(),
    durationMs: 0,
  };
}

const targets = (n: number, accountId: string, region: string): ClusterTarget[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `c-${accountId.slice(0, 3)}-${region}-${i}`,
    accountId,
    region,
  }));

async function collect(gen: AsyncGenerator<ClusterReport>): Promise<ClusterReport[]> {
  const out: ClusterReport[] = [];
  for await (const r of gen) out.push(r);
  return out;
}
describe('scanFleet', () => {
  it('never runs more than N clusters at once per (account, region), nor more than the overall limit', async () => {
    const all = [
      ...targets(10, '111111111111', 'us-east-1'),
      ...targets(10, '111111111111', 'us-west-2'),
      ...targets(10, '222222222222', 'us-east-1'),
    ];
    const now = new Map<string, number>();
    const maxSeen = new Map<string, number>();
    let total = 0;
    let maxTotal = 0;
    const reports = await collect(
      scanFleet(
        all,
        async (t) => {
          const k = `${t.accountId}/${t.region}`;
          now.set(k, (now.get(k) ?? 0) + 1);
          maxSeen.set(k, Math.max(maxSeen.get(k) ?? 0, now.get(k)!));
          maxTotal = Math.max(maxTotal, ++total);
          await tick(5);
          now.set(k, now.get(k)! - 1);
          total--;
          return report(t);
        },
        { concurrencyPerRegion: 2, concurrency: 5 },
      ),
    );
    expect(reports).toHaveLength(30);
    expect([...maxSeen.values()]).toEqual([2, 2, 2]);
    expect(maxTotal).toBe(5);
  });

  it('asks a per-scope limit given as a function each time a cluster could start (a paced scan: its rate)', async () => {
    const all = [
      ...targets(6, '111111111111', 'us-east-1'),
      ...targets(6, '222222222222', 'us-east-1'),
    ];
    const now = new Map<string, number>();
    const maxSeen = new Map<string, number>();
    await collect(
      scanFleet(
        all,
        async (t) => {
          const k = t.accountId!;
          now.set(k, (now.get(k) ?? 0) + 1);
          maxSeen.set(k, Math.max(maxSeen.get(k) ?? 0, now.get(k)!));
          await tick(5);
          now.set(k, now.get(k)! - 1);
          return report(t);
        },
        // A slow account (2 req/s) and a fast one (40 req/s), as clustersPerScope sees them.
        { concurrencyPerRegion: (t) => clustersPerScope(t.accountId === '111111111111' ? 2 : 40) },
      ),
    );
    expect(Object.fromEntries(maxSeen)).toEqual({ '111111111111': 2, '222222222222': 6 });
    expect([1, 10, 20, 40, 100].map(clustersPerScope)).toEqual([2, 3, 5, 8, 8]);
  });

  it('streams reports in completion order, not input order', async () => {
    const delays: Record<string, number> = { slow: 60, fast: 1, medium: 20 };
    const seen: string[] = [];
    for await (const r of scanFleet(
      ['slow', 'fast', 'medium'].map((name) => ({ name, accountId: '1', region: 'us-east-1' })),
      async (t) => {
        await tick(delays[t.name]);
        return report(t);
      },
      { concurrencyPerRegion: 3 },
    )) {
      seen.push(r.cluster.name);
      // The first report is available before the slow cluster is done.
      if (seen.length === 1) expect(r.cluster.name).toBe('fast');
    }
    expect(seen).toEqual(['fast', 'medium', 'slow']);
  });

  it('turns a cluster that does not answer in time into a Timeout report with health Unknown, and tells it to stop', async () => {
    let cancelledSeen = false;
    const reports = await collect(
      scanFleet(
        [
          { name: 'hung', accountId: '1', region: 'us-east-1' },
          { name: 'ok', accountId: '1', region: 'us-east-1' },
        ],
        async (t, ctx) => {
          if (t.name === 'hung') {
            while (!ctx.isCancelled()) await tick(5);
            cancelledSeen = true;
            throw new GatewayError('Timeout', 'cancelled', 'scan', 'x');
          }
          return report(t);
        },
        { timeoutMs: 50 },
      ),
    );
    const hung = reports.find((r) => r.cluster.name === 'hung')!;
    expect(hung.health).toBe('Unknown');
    expect(hung.errors).toEqual([
      expect.objectContaining({ kind: 'Timeout', step: 'scan cluster' }),
    ]);
    expect(reports.find((r) => r.cluster.name === 'ok')!.health).toBe('Healthy');
    for (let i = 0; i < 100 && !cancelledSeen; i++) await tick(5);
    expect(cancelledSeen).toBe(true);
  });

  it('turns a scan that throws into an error report, never a failed scan', async () => {
    const reports = await collect(
      scanFleet([{ name: 'boom', region: 'us-east-1' }], async () => {
        throw new GatewayError(
          'Unauthenticated',
          'The security token included in the request is expired',
          'eks',
          'DescribeCluster',
          'ExpiredTokenException',
          403,
        );
      }),
    );
    expect(reports[0]).toMatchObject({
      health: 'Unknown',
      errors: [{ kind: 'Unauthenticated', code: 'ExpiredTokenException', step: 'scan cluster' }],
    });
  });
});

describe('CachingAddonCatalog', () => {
  it('makes one DescribeAddonVersions call per add-on for a whole fleet, concurrent askers included', async () => {
    const clusters = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [
        `c${i}`,
        {
          version: i % 2 ? '1.31' : '1.30',
          addons: Object.fromEntries(ADDONS.map((a) => [a, 'v1.0.0-eksbuild.1'])),
        },
      ]),
    );
    const gateways = [
      new TableEksGateway('us-east-1', '111111111111', clusters, CATALOG),
      new TableEksGateway('us-west-2', '222222222222', clusters, CATALOG),
    ];
    const catalog = new CachingAddonCatalog();
    const reports = await collect(
      scanFleet(
        Object.keys(clusters).map((name, i) => ({
          name,
          accountId: gateways[i % 2]!.accountId,
          region: gateways[i % 2]!.region,
        })),
        async (t) => {
          const obs = await observeCluster(t, {
            eks: asEks(gateways.find((g) => g.region === t.region)!),
            catalog,
          });
          expect(obs.errors).toEqual([]);
          expect(obs.catalog).toHaveLength(12);
          return report(t);
        },
        { concurrencyPerRegion: 10 },
      ),
    );
    expect(reports).toHaveLength(50);
    const versionCalls = gateways.reduce((s, g) => s + (g.calls['DescribeAddonVersions'] ?? 0), 0);
    expect(versionCalls).toBe(12);
    expect(catalog.calls).toBe(12);
    expect(gateways.reduce((s, g) => s + (g.calls['DescribeAddon'] ?? 0), 0)).toBe(50 * 12);
  });

  it('does not keep a failure: the next asker calls again', async () => {
    const g = new TableEksGateway('us-east-1', '1', {}, CATALOG);
    g.failures['DescribeAddonVersions'] = [
      new GatewayError('AccessDenied', 'no', 'eks', 'DescribeAddonVersions'),
    ];
    const catalog = new CachingAddonCatalog();
    await expect(catalog.get('coredns', asEks(g))).rejects.toMatchObject({ kind: 'AccessDenied' });
    await expect(catalog.get('coredns', asEks(g))).resolves.toMatchObject({ addonName: 'coredns' });
    expect(g.calls['DescribeAddonVersions']).toBe(2);
  });

  it('caches DescribeAddonConfiguration per add-on version', async () => {
    const g = new TableEksGateway('us-east-1', '1', {}, CATALOG);
    const configs = new CachingAddonConfigurations();
    await Promise.all([
      configs.get('coredns', 'v1', asEks(g)),
      configs.get('coredns', 'v1', asEks(g)),
      configs.get('coredns', 'v2', asEks(g)),
    ]);
    expect(g.calls['DescribeAddonConfiguration']).toBe(2);
  });
});
