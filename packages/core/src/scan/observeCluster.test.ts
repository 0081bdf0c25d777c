import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway, KubeObject } from '../ports/KubeGateway';
import { buildClusterReport } from './buildClusterReport';
import { CachingAddonCatalog } from './CachingAddonCatalog';
import { asEks, CATALOG, TableEksGateway } from './fixtures/TableEksGateway';
import { observeCluster } from './observeCluster';

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
