import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { EksAddon, EksCluster, EksGateway } from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway, KubeObject } from '../ports/KubeGateway';
import { CLUSTER_REPORT_SCHEMA_VERSION, type ClusterReport } from '../report/ClusterReport';
import { CachingAddonCatalog, CachingAddonConfigurations } from './CachingAddonCatalog';
import type { ClusterTarget } from './ClusterObservation';
import { buildClusterReport } from './buildClusterReport';
import { observeCluster } from './observeCluster';
import { clustersPerScope } from './scanClusters';
import { scanFleet } from './scanFleet';
import { backoffDelay, withRetry } from './withRetry';

const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

/** A tiny EKS gateway over a table of clusters, counting calls per operation. */
class TableEksGateway implements Partial<EksGateway> {
  calls: Record<string, number> = {};
  failures: Record<string, GatewayError[]> = {};
  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly clusters: Record<string, { version: string; addons: Record<string, string> }>,
    private readonly catalog: AddonCatalogEntry[],
  ) {}
  private async op<T>(name: string, fn: () => T): Promise<T> {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    await tick(1);
    const f = this.failures[name]?.shift();
    if (f) throw f;
    return fn();
  }
  private cluster(name: string) {
    const c = this.clusters[name];
    if (!c)
      throw new GatewayError(
        'NotFound',
        `No cluster found for name: ${name}.`,
        'eks',
        'DescribeCluster',
        'ResourceNotFoundException',
        404,
      );
    return c;
  }
  describeCluster(name: string): Promise<EksCluster> {
    return this.op('DescribeCluster', () => ({
      name,
      arn: `arn:aws:eks:${this.region}:${this.accountId}:cluster/${name}`,
      accountId: this.accountId,
      region: this.region,
      version: this.cluster(name).version,
      status: 'ACTIVE',
      tags: {},
    }));
  }
  listAddons(name: string): Promise<string[]> {
    return this.op('ListAddons', () => Object.keys(this.cluster(name).addons));
  }
  describeAddon(clusterName: string, addonName: string): Promise<EksAddon | undefined> {
    return this.op('DescribeAddon', () => {
      const v = this.cluster(clusterName).addons[addonName];
      return v
        ? { clusterName, addonName, addonVersion: v, status: 'ACTIVE', issues: [] }
        : undefined;
    });
  }
  describeAddonVersions(q: {
    addonName?: string;
    kubernetesVersion?: string;
  }): Promise<AddonCatalogEntry[]> {
    return this.op('DescribeAddonVersions', () =>
      this.catalog.filter((e) => e.addonName === q.addonName),
    );
  }
  describeAddonConfiguration(addonName: string, addonVersion: string) {
    return this.op('DescribeAddonConfiguration', () => ({
      addonName,
      addonVersion,
      configurationSchema: '{"type":"object"}',
    }));
  }
}
const asEks = (g: TableEksGateway) => g as unknown as EksGateway;

const ADDONS = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
  'metrics-server',
  'cert-manager',
  'aws-fsx-csi-driver',
  'aws-mountpoint-s3-csi-driver',
  'aws-ebs-csi-driver',
  'aws-efs-csi-driver',
  'snapshot-controller',
  'adot',
];
const CATALOG: AddonCatalogEntry[] = ADDONS.map((addonName) => ({
  addonName,
  versions: [
    {
      addonVersion: 'v1.1.0-eksbuild.1',
      compatibilities: [
        { clusterVersion: '1.31', defaultVersion: false },
        { clusterVersion: '1.32', defaultVersion: false },
      ],
    },
    {
      addonVersion: 'v1.0.0-eksbuild.1',
      compatibilities: [
        { clusterVersion: '1.30', defaultVersion: true },
        { clusterVersion: '1.31', defaultVersion: true },
      ],
    },
  ],
}));

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

describe('withRetry', () => {
  it('retries Throttled with backoff, then succeeds', async () => {
    const sleeps: number[] = [];
    let n = 0;
    const result = await withRetry(
      async () => {
        if (++n < 3)
          throw new GatewayError(
            'Throttled',
            'Rate exceeded',
            'eks',
            'DescribeAddon',
            'ThrottlingException',
            429,
          );
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.5,
      },
    );
    expect(result).toBe('ok');
    expect(n).toBe(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('does not retry what retrying cannot fix, and gives up after the attempts', async () => {
    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw new GatewayError('AccessDenied', 'no', 'eks', 'x');
        },
        { sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ kind: 'AccessDenied' });
    expect(n).toBe(1);
    n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw new GatewayError('Unavailable', '503', 'eks', 'x');
        },
        { attempts: 3, sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ kind: 'Unavailable' });
    expect(n).toBe(3);
  });

  it('caps the full-jitter delay at maxDelayMs', () => {
    expect(backoffDelay(10, 100, 2000, () => 0.999)).toBeLessThan(2000);
    expect(backoffDelay(0, 100, 2000, () => 0)).toBe(0);
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

describe('observeCluster', () => {
  const clusters = {
    'ml-a': {
      version: '1.31',
      addons: { coredns: 'v1.0.0-eksbuild.1', 'kube-proxy': 'v1.1.0-eksbuild.1' },
    },
  };

  it('retries a throttled DescribeCluster and reads everything else', async () => {
    const g = new TableEksGateway('us-east-1', '111111111111', clusters, CATALOG);
    g.failures['DescribeCluster'] = [
      new GatewayError(
        'Throttled',
        'Rate exceeded',
        'eks',
        'DescribeCluster',
        'ThrottlingException',
        429,
      ),
    ];
    const obs = await observeCluster(
      { name: 'ml-a', region: 'us-east-1' },
      { eks: asEks(g), catalog: new CachingAddonCatalog(), retry: { baseDelayMs: 1 } },
    );
    expect(obs.errors).toEqual([]);
    expect(obs.cluster?.version).toBe('1.31');
    expect(obs.addons.map((a) => a.addonName)).toEqual(['coredns', 'kube-proxy']);
    expect(g.calls['DescribeCluster']).toBe(2);
  });

  it('keeps a cluster that cannot be described as an observation with typed errors', async () => {
    const g = new TableEksGateway('us-east-1', '111111111111', clusters, CATALOG);
    const obs = await observeCluster(
      { name: 'ml-gone', region: 'us-east-1' },
      { eks: asEks(g), catalog: new CachingAddonCatalog() },
    );
    expect(obs.cluster).toBeUndefined();
    expect(obs.errors.map((e) => [e.step, e.kind])).toEqual([
      ['describe cluster', 'NotFound'],
      ['list add-ons', 'NotFound'],
    ]);
  });

  it('an API server that does not answer: in-cluster facts are Unknown with the error, never Missing, and no create-addon advice', async () => {
    const inference = 'amazon-sagemaker-hyperpod-inference';
    const g = new TableEksGateway(
      'us-west-2',
      '111111111111',
      {
        'ml-research-usw2': {
          version: '1.31',
          addons: {
            [inference]: 'v1.0.0-eksbuild.1',
            'aws-mountpoint-s3-csi-driver': 'v1.1.0-eksbuild.1',
            'aws-fsx-csi-driver': 'v1.1.0-eksbuild.1',
            'cert-manager': 'v1.1.0-eksbuild.1',
          },
        },
      },
      [...CATALOG, { ...CATALOG[0]!, addonName: inference }],
    );
    // What ClientNodeKubeGateway throws for a refused connection.
    const refused = (op: string) =>
      Promise.reject(
        new GatewayError('Unavailable', 'connect ECONNREFUSED 127.0.0.1:1', 'kubernetes', op),
      );
    const kube: KubeGateway = {
      name: 'ml-research-usw2',
      version: () => refused('version'),
      get: () => refused('get'),
      list: (_api, kind) => refused(`list ${kind}`),
      create: () => refused('create'),
      replace: () => refused('replace'),
      patch: () => refused('patch'),
      delete: () => refused('delete'),
      canI: () => refused('canI'),
    };
    const obs = await observeCluster(
      { name: 'ml-research-usw2', region: 'us-west-2', context: 'ml-research-usw2' },
      { eks: asEks(g), kube, catalog: new CachingAddonCatalog(), retry: { attempts: 1 } },
    );
    expect(Object.keys(obs.kube?.unread ?? {}).sort()).toEqual([
      'crds',
      'csiDrivers',
      'helmReleases',
      'workloads',
    ]);
    expect(obs.kube?.unread?.csiDrivers).toMatchObject({
      kind: 'Unavailable',
      service: 'kubernetes',
      step: 'list CSI drivers',
    });
    const r = buildClusterReport(obs);
    const op = r.addons.find((a) => a.name === inference)!;
    expect(op.addon?.status).toBe('ACTIVE');
    expect(op.health).toBe('Unknown');
    expect(op.findings.map((f) => f.code)).not.toContain('csi-driver-missing');
    expect(op.findings.map((f) => f.code)).not.toContain('crd-missing');
    expect(op.findings.filter((f) => f.fix?.includes('create-addon'))).toEqual([]);
    expect(op.findings).toContainEqual({
      code: 'prerequisites-unknown',
      health: 'Unknown',
      message:
        'CSI drivers could not be read (list CSI drivers: Unavailable: connect ECONNREFUSED 127.0.0.1:1): whether CSIDriver s3.csi.aws.com and CSIDriver fsx.csi.aws.com are installed is unknown',
      fix: 'kubectl --context ml-research-usw2 get --raw /version  # check the API server answers, then scan again',
    });
    expect(op.reason).toMatch(/^(CSI drivers|CRDs) could not be read/);
    expect(r.health).toBe('Unknown');
  });

  it('reads CSI drivers, CRDs, workloads and the newest revision of each Helm release through the kube gateway', async () => {
    const g = new TableEksGateway('us-east-1', '111111111111', clusters, CATALOG);
    const objects: Record<string, KubeObject[]> = {
      CSIDriver: [
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'CSIDriver',
          metadata: { name: 's3.csi.aws.com' },
        },
      ],
      CustomResourceDefinition: [
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'certificates.cert-manager.io' },
        },
      ],
      Deployment: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'coredns',
            namespace: 'kube-system',
            labels: { 'k8s-app': 'kube-dns' },
          },
          spec: { replicas: 2 },
          status: { readyReplicas: 1 },
        },
      ],
      DaemonSet: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'kube-proxy', namespace: 'kube-system' },
          status: { desiredNumberScheduled: 3, numberReady: 3 },
        },
      ],
      Secret: [
        // Not decodable: the scan reports it and goes on.
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'helm.sh/release.v1',
          metadata: {
            name: 'sh.helm.release.v1.broken.v1',
            namespace: 'default',
            labels: { owner: 'helm', name: 'broken', version: '1' },
          },
          data: { release: '!!!' },
        },
      ],
    };
    const kube: KubeGateway = {
      name: 'ml-a',
      version: async () => ({ major: '1', minor: '31', gitVersion: 'v1.31.0' }),
      get: async () => undefined,
      list: async (_api, kind, opts) => {
        if (kind === 'Secret') expect(opts?.labelSelector).toBe('owner=helm,status!=superseded');
        // Names are all the scan reads of these: metadata only.
        if (kind === 'CustomResourceDefinition' || kind === 'CSIDriver')
          expect(opts?.metadataOnly).toBe(true);
        return objects[kind] ?? [];
      },
      // The scan only reads: a write would fail the test.
      create: () => Promise.reject(new Error('not used')),
      replace: () => Promise.reject(new Error('not used')),
      patch: () => Promise.reject(new Error('not used')),
      delete: () => Promise.reject(new Error('not used')),
      canI: () => Promise.reject(new Error('not used')),
    };
    const obs = await observeCluster(
      { name: 'ml-a', region: 'us-east-1', context: 'ml-a' },
      { eks: asEks(g), kube, catalog: new CachingAddonCatalog() },
    );
    expect(obs.kube).toEqual({
      csiDrivers: ['s3.csi.aws.com'],
      crds: ['certificates.cert-manager.io'],
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'kube-system',
          name: 'coredns',
          desired: 2,
          ready: 1,
          labels: { 'k8s-app': 'kube-dns' },
        },
        {
          kind: 'DaemonSet',
          namespace: 'kube-system',
          name: 'kube-proxy',
          desired: 3,
          ready: 3,
          labels: {},
        },
      ],
    });
    expect(obs.errors).toEqual([
      expect.objectContaining({ step: 'decode helm release default/broken' }),
    ]);
  });
});
