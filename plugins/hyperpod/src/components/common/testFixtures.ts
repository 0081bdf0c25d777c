/**
 * Fixtures for the plugin's component tests: the sandbox's demo fleet (packages/sandbox
 * scenarios/demo.ts) as the backend would serve it. Reports are built from a small copy of the
 * sandbox's add-on catalog with the core's own rules (health, drift, readiness, fleet summary),
 * so their shapes and conclusions are the ones the product computes, not invented ones.
 *
 * Test-only: nothing outside `*.test.tsx` imports this module.
 */
import type { Entity } from '@backstage/catalog-model';
import { ResponseError, type ConsumedResponse } from '@backstage/errors';
import {
  CLUSTER_REPORT_SCHEMA_VERSION,
  type ApiErrorBody,
  HYPERPOD_CLUSTER_ARN_ANNOTATION,
  HYPERPOD_CLUSTER_ENTITY_TYPE,
  HYPERPOD_CLUSTER_REGION_ANNOTATION,
  INFERENCE_ADDON,
  INFERENCE_OPERATOR_CHART,
  addonHealth,
  addonReadiness,
  addonVersionDrift,
  blocksClusterUpgrade,
  compatibleVersions,
  equivalentAddonVersion,
  fleetSummary,
  nextKubernetesVersion,
  portalClusterId,
  worstHealth,
  type AddonCatalogEntry,
  type AddonIssue,
  type AddonReport,
  type ClusterDetail,
  type ClusterReport,
  type FleetSummary,
  type FleetSummaryInput,
  type Finding,
  type HelmInstall,
  type PortalCluster,
  type ScanError,
  type UpgradeRequest,
  dnsSafeName,
} from '@hyperpod/core';
import type { HyperpodApi } from '../../api/HyperpodApi';

/** When the fixtures' scans finished and the summary was generated. */
export const FIXTURE_NOW = new Date('2025-11-03T09:30:00.000Z');
export const PROD_ACCOUNT = '111111111111';
export const DEV_ACCOUNT = '222222222222';

// ---------------------------------------------------------------------------------------------
// A slice of the sandbox's add-on catalog (DescribeAddonVersions answers).

const K8S = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];
const range = (min: string, max = '1.33') =>
  K8S.filter((k) => K8S.indexOf(k) >= K8S.indexOf(min) && K8S.indexOf(k) <= K8S.indexOf(max));

/** [version, Kubernetes versions, Kubernetes versions it is the default for]. */
type Row = [string, string[], string[]?];

function entry(addonName: string, rows: Row[]): AddonCatalogEntry {
  return {
    addonName,
    versions: rows.map(([addonVersion, k8s, defaults = []]) => ({
      addonVersion,
      compatibilities: k8s.map((clusterVersion) => ({
        clusterVersion,
        defaultVersion: defaults.includes(clusterVersion),
      })),
    })),
  };
}

const CATALOG: Record<string, AddonCatalogEntry> = {
  [INFERENCE_ADDON]: entry(INFERENCE_ADDON, [
    ['v1.0.0-eksbuild.1', range('1.30', '1.32')],
    ['v1.0.1-eksbuild.1', range('1.30', '1.32')],
    // v1.2.0 is held back from being the default, as EKS does with fresh releases.
    ['v1.1.0-eksbuild.1', range('1.30'), range('1.30')],
    ['v1.2.0-eksbuild.1', range('1.31')],
  ]),
  coredns: entry('coredns', [
    ['v1.10.1-eksbuild.18', ['1.28'], ['1.28']],
    ['v1.11.1-eksbuild.13', ['1.29', '1.30']],
    ['v1.11.3-eksbuild.2', range('1.29', '1.31'), ['1.29', '1.30']],
    ['v1.11.4-eksbuild.14', range('1.31'), ['1.31']],
    ['v1.12.1-eksbuild.2', range('1.32'), range('1.32')],
  ]),
  'kube-proxy': entry(
    'kube-proxy',
    K8S.flatMap((k, n): Row[] => {
      const patch = [15, 10, 6, 3, 0, 0][n]!;
      return [
        [`v${k}.${patch}-eksbuild.4`, [k]],
        [`v${k}.${patch + 2}-eksbuild.2`, [k], [k]],
      ];
    }),
  ),
  'vpc-cni': entry('vpc-cni', [
    ['v1.18.6-eksbuild.1', range('1.28', '1.31')],
    ['v1.19.2-eksbuild.1', range('1.28'), ['1.28']],
    ['v1.19.5-eksbuild.3', range('1.29'), ['1.29']],
    ['v1.20.0-eksbuild.1', range('1.30'), range('1.30')],
  ]),
  'eks-pod-identity-agent': entry('eks-pod-identity-agent', [
    ['v1.3.4-eksbuild.1', range('1.28')],
    ['v1.3.5-eksbuild.2', range('1.28')],
    ['v1.3.7-eksbuild.2', range('1.28'), range('1.28')],
  ]),
  'metrics-server': entry('metrics-server', [
    ['v0.7.2-eksbuild.1', range('1.28', '1.32')],
    ['v0.7.2-eksbuild.4', range('1.28'), range('1.28')],
    ['v0.8.0-eksbuild.1', range('1.30')],
  ]),
  'snapshot-controller': entry('snapshot-controller', [
    ['v6.3.2-eksbuild.1', ['1.28']],
    ['v8.0.0-eksbuild.1', range('1.28', '1.31')],
    ['v8.1.0-eksbuild.2', range('1.28'), ['1.28']],
    ['v8.2.0-eksbuild.1', range('1.29'), range('1.29')],
  ]),
};

const defaultVersion = (addon: string, k8s: string) =>
  compatibleVersions(CATALOG[addon]!, k8s).default!;
const latestVersion = (addon: string, k8s: string) =>
  compatibleVersions(CATALOG[addon]!, k8s).latest!;

// ---------------------------------------------------------------------------------------------
// Add-on reports, as buildClusterReport concludes them.

interface EksAddonSeed {
  name: string;
  version: string;
  status?: string;
  issues?: AddonIssue[];
  findings?: Finding[];
}

function eksAddonReport(k8s: string, seed: EksAddonSeed): AddonReport {
  const h = addonHealth({ status: seed.status ?? 'ACTIVE', issues: seed.issues ?? [] });
  const drift = addonVersionDrift(seed.version, CATALOG[seed.name]!, k8s);
  const findings = [...(seed.findings ?? [])];
  if (drift.status === 'incompatible') {
    findings.push({
      code: 'version-incompatible',
      health: 'Degraded',
      message: `${seed.version} is not offered for Kubernetes ${k8s}`,
    });
  }
  return {
    name: seed.name,
    installedVia: 'addon',
    health: worstHealth([h.state, ...findings.map((f) => f.health)]),
    reason: h.reason,
    addon: { version: seed.version, status: seed.status ?? 'ACTIVE', issues: h.issues },
    drift,
    migrationCandidate: false,
    findings,
  };
}

function helmAddonReport(
  k8s: string,
  name: string,
  install: HelmInstall,
  extraFindings: Finding[] = [],
  /** Whether the add-on's versions follow the chart's app version (not the inference operator). */
  tracksAppVersion = false,
): AddonReport {
  const catalogEntry = CATALOG[name]!;
  const v = compatibleVersions(catalogEntry, k8s);
  const target = (v.default ?? v.latest)!;
  const equivalent =
    tracksAppVersion && install.appVersion
      ? equivalentAddonVersion(install.appVersion, catalogEntry)
      : undefined;
  const pending = install.status.startsWith('pending-');
  const findings: Finding[] = [
    ...(pending
      ? [
          {
            code: 'helm-pending',
            health: 'Degraded' as const,
            message: `Helm release ${install.namespace}/${install.release} is stuck in ${install.status} (revision ${install.revision}): it blocks every other Helm operation on the release`,
            fix: `helm history ${install.release} -n ${install.namespace}, then helm rollback ${install.release} ${install.revision - 1} -n ${install.namespace} once no Helm operation is running`,
          },
        ]
      : []),
    {
      code: 'migration-target',
      health: 'Healthy',
      message: `chart ${install.chart} ${install.chartVersion} (app ${install.appVersion}); a migration would install add-on ${name} ${target} (the ${v.default ? 'default' : 'newest'} for Kubernetes ${k8s})`,
    },
    ...extraFindings,
  ];
  return {
    name,
    installedVia: 'helm',
    health: worstHealth(findings.map((f) => f.health)),
    reason: `helm ${install.status}`,
    helm: install,
    ...(equivalent ? { drift: addonVersionDrift(equivalent, catalogEntry, k8s) } : {}),
    migrationCandidate: true,
    migrationTarget: {
      addonVersion: target,
      basis: v.default ? 'default' : 'latest',
      ...(equivalent ? { equivalentAddonVersion: equivalent } : {}),
    },
    findings,
  };
}

function coreAddons(k8s: string): AddonReport[] {
  return ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'].map((name) =>
    eksAddonReport(k8s, { name, version: defaultVersion(name, k8s) }),
  );
}

// ---------------------------------------------------------------------------------------------
// Clusters and their reports.

interface ClusterSeed {
  name: string;
  account: string;
  region: string;
  k8s: string;
  owner?: string;
}

export function portalCluster(seed: ClusterSeed): PortalCluster {
  const arn = `arn:aws:eks:${seed.region}:${seed.account}:cluster/${seed.name}`;
  return {
    id: portalClusterId({ name: seed.name, arn }),
    name: seed.name,
    arn,
    accountId: seed.account,
    region: seed.region,
    kubernetesVersion: seed.k8s,
    ...(seed.owner ? { owner: seed.owner } : {}),
    // As the backend names it (the names here never collide).
    entityRef: `resource:default/${dnsSafeName(seed.name)}`,
  };
}

function report(seed: ClusterSeed, addons: AddonReport[], errors: ScanError[] = []): ClusterReport {
  const c = portalCluster(seed);
  const target = nextKubernetesVersion(seed.k8s)!;
  const verdicts = addons
    .filter((a) => a.addon && CATALOG[a.name])
    .map((a) => addonReadiness(a.name, a.addon!.version, CATALOG[a.name]!, seed.k8s, target));
  return {
    schemaVersion: CLUSTER_REPORT_SCHEMA_VERSION,
    cluster: {
      name: seed.name,
      arn: c.arn,
      accountId: seed.account,
      region: seed.region,
      context: c.arn,
      kubernetesVersion: seed.k8s,
    },
    health: worstHealth([
      ...addons.map((a) => a.health),
      ...(errors.length > 0 ? ['Unknown' as const] : []),
    ]),
    addons,
    readiness: {
      targetVersion: target,
      addons: verdicts,
      ready: !verdicts.some((v) => blocksClusterUpgrade(v.verdict)),
    },
    errors,
    scannedAt: new Date(FIXTURE_NOW.getTime() - 4 * 60_000).toISOString(),
    durationMs: 1840,
  };
}

export const DEMO_CLUSTERS = {
  prod: {
    name: 'ml-prod-use1',
    account: PROD_ACCOUNT,
    region: 'us-east-1',
    k8s: '1.31',
    owner: 'group:default/ml-platform',
  },
  dev: {
    name: 'ml-dev-use1',
    account: DEV_ACCOUNT,
    region: 'us-east-1',
    k8s: '1.30',
    owner: 'group:default/ml-research',
  },
  research: {
    name: 'ml-research-usw2',
    account: PROD_ACCOUNT,
    region: 'us-west-2',
    k8s: '1.32',
    owner: 'group:default/ml-research',
  },
  staging: {
    name: 'ml-staging-usw2',
    account: DEV_ACCOUNT,
    region: 'us-west-2',
    k8s: '1.31',
    owner: 'group:default/ml-platform',
  },
  batch: {
    name: 'ml-batch-use1',
    account: DEV_ACCOUNT,
    region: 'us-east-1',
    k8s: '1.31',
    owner: 'group:default/ml-batch',
  },
  canary: {
    name: 'ml-canary-usw2',
    account: PROD_ACCOUNT,
    region: 'us-west-2',
    k8s: '1.31',
    owner: 'group:default/ml-platform',
  },
  legacy: { name: 'ml-legacy-use1', account: PROD_ACCOUNT, region: 'us-east-1', k8s: '1.28' },
} satisfies Record<string, ClusterSeed>;

export type DemoClusterKey = keyof typeof DEMO_CLUSTERS;

const inferenceChart = (
  release: string,
  chartVersion: '2.1.0' | '2.2.2',
  status: HelmInstall['status'],
  revision: number,
  subchartOf?: string,
): HelmInstall => ({
  release,
  namespace: 'kube-system',
  revision,
  status,
  chart: INFERENCE_OPERATOR_CHART,
  chartVersion,
  appVersion: chartVersion === '2.1.0' ? '3.1' : '3.2',
  ...(subchartOf ? { subchartOf } : {}),
});

/** What EKS says of the inference add-on when its controller has too few replicas ready. */
const CONTROLLER_REPLICAS_ISSUE = {
  code: 'InsufficientNumberOfReplicas',
  message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
  resourceIds: ['hyperpod-inference-system/hyperpod-inference-controller-manager'],
};

/** One report per demo cluster, in the state the demo scenario seeds. */
export function demoReport(key: DemoClusterKey): ClusterReport {
  const seed = DEMO_CLUSTERS[key];
  const k8s = seed.k8s;
  switch (key) {
    case 'prod':
      return report(seed, [
        ...coreAddons(k8s),
        helmAddonReport(
          k8s,
          INFERENCE_ADDON,
          inferenceChart('hyperpod-inference-operator', '2.2.2', 'deployed', 2),
        ),
      ]);
    case 'dev':
      return report(seed, [
        ...coreAddons(k8s),
        helmAddonReport(
          k8s,
          INFERENCE_ADDON,
          inferenceChart('hyperpod-dependencies', '2.1.0', 'deployed', 1, 'hyperpod-dependencies'),
          [
            {
              code: 'moves-into-addon',
              health: 'Healthy',
              message: `sub-charts aws-load-balancer-controller, keda have no add-on of their own: the ${INFERENCE_ADDON} add-on runs them`,
            },
          ],
        ),
        helmAddonReport(
          k8s,
          'metrics-server',
          {
            release: 'hyperpod-dependencies',
            namespace: 'kube-system',
            revision: 1,
            status: 'deployed',
            chart: 'metrics-server',
            chartVersion: '3.12.2',
            appVersion: '0.7.2',
            subchartOf: 'hyperpod-dependencies',
          },
          [],
          true,
        ),
      ]);
    case 'research':
      return report(seed, [
        ...coreAddons(k8s),
        eksAddonReport(k8s, {
          name: INFERENCE_ADDON,
          version: latestVersion(INFERENCE_ADDON, k8s),
        }),
      ]);
    case 'staging':
      return report(seed, [
        ...coreAddons(k8s),
        eksAddonReport(k8s, { name: INFERENCE_ADDON, version: 'v1.0.0-eksbuild.1' }),
      ]);
    case 'batch':
      return report(seed, [
        eksAddonReport(k8s, { name: 'vpc-cni', version: defaultVersion('vpc-cni', k8s) }),
        eksAddonReport(k8s, {
          name: 'coredns',
          version: defaultVersion('coredns', k8s),
          status: 'DEGRADED',
          issues: [
            {
              code: 'ConfigurationConflict',
              message:
                'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile\nDeployment.apps coredns - .spec.template.spec.containers[name="coredns"].image',
              resourceIds: ['kube-system/coredns'],
            },
          ],
        }),
        eksAddonReport(k8s, { name: 'kube-proxy', version: defaultVersion('kube-proxy', k8s) }),
        eksAddonReport(k8s, {
          name: 'eks-pod-identity-agent',
          version: defaultVersion('eks-pod-identity-agent', k8s),
        }),
        eksAddonReport(k8s, {
          name: INFERENCE_ADDON,
          version: defaultVersion(INFERENCE_ADDON, k8s),
          status: 'DEGRADED',
          issues: [CONTROLLER_REPLICAS_ISSUE],
          findings: [
            {
              code: 'workload-not-ready',
              health: 'Degraded',
              message:
                'Deployment hyperpod-inference-system/hyperpod-inference-controller-manager: 0/2 ready',
              fix: 'kubectl describe deployment hyperpod-inference-controller-manager -n hyperpod-inference-system',
            },
          ],
        }),
      ]);
    case 'canary':
      return report(seed, [
        ...coreAddons(k8s),
        helmAddonReport(
          k8s,
          INFERENCE_ADDON,
          inferenceChart('hyperpod-inference-operator', '2.2.2', 'pending-upgrade', 3),
        ),
      ]);
    case 'legacy':
      return report(seed, [
        ...coreAddons(k8s),
        eksAddonReport(k8s, {
          name: 'metrics-server',
          version: defaultVersion('metrics-server', k8s),
        }),
        // Offered on 1.28 only: it must move before the cluster goes to 1.29.
        eksAddonReport(k8s, { name: 'snapshot-controller', version: 'v6.3.2-eksbuild.1' }),
      ]);
  }
}

/** A cluster in the fleet whose scan failed as a whole: no add-ons, one typed error, Unknown. */
export const UNREADABLE_CLUSTER: ClusterSeed = {
  name: 'ml-eval-euw1',
  account: '333333333333',
  region: 'eu-west-1',
  k8s: '1.31',
  owner: 'group:default/ml-eval',
};

export function unreadableReport(): ClusterReport {
  const r = report(
    UNREADABLE_CLUSTER,
    [],
    [
      {
        kind: 'AccessDenied',
        message:
          'User: arn:aws:sts::333333333333:assumed-role/hyperpod-portal-reader/backstage is not authorized to perform: eks:DescribeCluster',
        service: 'eks',
        operation: 'DescribeCluster',
        code: 'AccessDeniedException',
        statusCode: 403,
        step: 'describe cluster',
      },
    ],
  );
  const { kubernetesVersion: _unread, ...cluster } = r.cluster;
  return { ...r, cluster, readiness: undefined };
}

/** Open upgrade requests per demo cluster. */
const OPEN_REQUESTS: Partial<Record<DemoClusterKey, number>> = { batch: 1, staging: 2 };

function demoInputs(): FleetSummaryInput[] {
  const keys = Object.keys(DEMO_CLUSTERS) as DemoClusterKey[];
  return [
    ...keys.map((k) => ({
      cluster: portalCluster(DEMO_CLUSTERS[k]),
      report: demoReport(k),
      openRequests: OPEN_REQUESTS[k] ?? 0,
    })),
    { cluster: portalCluster(UNREADABLE_CLUSTER), report: unreadableReport() },
  ];
}

/** GET /fleet on the demo fleet (seven clusters of the demo scenario plus one unreadable). */
export function demoFleet(): FleetSummary {
  return fleetSummary(demoInputs(), FIXTURE_NOW);
}

/** GET /fleet with no cluster configured. */
export function emptyFleet(): FleetSummary {
  return fleetSummary([], FIXTURE_NOW);
}

/**
 * GET /fleet on a big fleet: `size` clusters named `ml-fleet-001`... spread over accounts and
 * regions, each in one of the demo states (in turn), one never scanned yet every 25.
 */
export function largeFleet(size = 240): FleetSummary {
  const keys = Object.keys(DEMO_CLUSTERS) as DemoClusterKey[];
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
  const accounts = [PROD_ACCOUNT, DEV_ACCOUNT, '333333333333'];
  const inputs: FleetSummaryInput[] = [];
  for (let i = 1; i <= size; i++) {
    const key = keys[i % keys.length]!;
    const like = DEMO_CLUSTERS[key];
    const seed: ClusterSeed = {
      ...like,
      name: `ml-fleet-${String(i).padStart(3, '0')}`,
      account: accounts[i % accounts.length]!,
      region: regions[i % regions.length]!,
    };
    const cluster = portalCluster(seed);
    if (i % 25 === 0) {
      inputs.push({ cluster });
      continue;
    }
    const r = demoReport(key);
    inputs.push({
      cluster,
      report: { ...r, cluster: { ...r.cluster, name: seed.name, arn: cluster.arn } },
      openRequests: i % 11 === 0 ? 1 : 0,
    });
  }
  return fleetSummary(inputs, FIXTURE_NOW);
}

// ---------------------------------------------------------------------------------------------
// GET /clusters/:cluster

export function upgradeRequestFixture(
  key: DemoClusterKey,
  overrides: Partial<UpgradeRequest> = {},
): UpgradeRequest {
  const cluster = portalCluster(DEMO_CLUSTERS[key]);
  const createdAt = new Date(FIXTURE_NOW.getTime() - 2 * 3_600_000).toISOString();
  return {
    id: '0f8e6c1a-3b9d-4e51-9a7c-2d4b8f1e6a30',
    cluster,
    addonName: INFERENCE_ADDON,
    target: 'default',
    targetVersion: defaultVersion(INFERENCE_ADDON, DEMO_CLUSTERS[key].k8s),
    fromVersion: 'v1.0.0-eksbuild.1',
    reason: 'Pick up the fix for endpoint TLS certificate rotation',
    state: 'requested',
    requestedBy: 'user:default/jane.doe',
    createdAt,
    updatedAt: createdAt,
    attempts: 0,
    history: [{ at: createdAt, actor: 'user:default/jane.doe', to: 'requested' }],
    ...overrides,
  };
}

export function demoClusterDetail(key: DemoClusterKey): ClusterDetail {
  const open = OPEN_REQUESTS[key] ?? 0;
  return {
    cluster: portalCluster(DEMO_CLUSTERS[key]),
    report: demoReport(key),
    requests: Array.from({ length: open }, (_, i) =>
      upgradeRequestFixture(key, { id: `0f8e6c1a-3b9d-4e51-9a7c-2d4b8f1e6a3${i}` }),
    ),
  };
}

/** A cluster the backend knows but has not scanned yet. */
export function unscannedClusterDetail(key: DemoClusterKey): ClusterDetail {
  return { cluster: portalCluster(DEMO_CLUSTERS[key]), requests: [] };
}

// ---------------------------------------------------------------------------------------------
// Catalog entities and the API.

/** The catalog's entity for a demo cluster, as the backend's entity provider writes it. */
export function clusterEntity(key: DemoClusterKey, opts: { annotated?: boolean } = {}): Entity {
  const c = portalCluster(DEMO_CLUSTERS[key]);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: c.name,
      namespace: 'default',
      annotations:
        opts.annotated === false
          ? {}
          : {
              [HYPERPOD_CLUSTER_ARN_ANNOTATION]: c.arn!,
              [HYPERPOD_CLUSTER_REGION_ANNOTATION]: c.region!,
            },
    },
    spec: {
      type: HYPERPOD_CLUSTER_ENTITY_TYPE,
      owner: c.owner ?? 'group:default/platform',
    },
  };
}

/**
 * A HyperpodApi whose methods are the given ones; any other method rejects, so a component
 * calling an endpoint its test did not expect fails loudly.
 */
export function fakeHyperpodApi(methods: Partial<HyperpodApi>): HyperpodApi {
  const unexpected = (name: string) => () =>
    Promise.reject(new Error(`HyperpodApi.${name} was not expected in this test`));
  const all: Record<keyof HyperpodApi, true> = {
    getFleet: true,
    getCluster: true,
    refreshCluster: true,
    getAddonVersions: true,
    listRequests: true,
    createRequest: true,
    decideRequest: true,
    planMigration: true,
    startMigration: true,
    listMigrations: true,
    getMigration: true,
    rollbackMigration: true,
  };
  return Object.fromEntries(
    (Object.keys(all) as (keyof HyperpodApi)[]).map((k) => [k, methods[k] ?? unexpected(k)]),
  ) as unknown as HyperpodApi;
}

const STATUS_TEXT: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The ResponseError HyperpodClient throws for a failed call with Backstage's error body. */
export function responseErrorFixture(
  status: number,
  name: string,
  message: string,
  url = 'http://localhost:7007/api/hyperpod/fleet',
): Promise<ResponseError> {
  const body: ApiErrorBody = { error: { name, message }, response: { statusCode: status } };
  const text = JSON.stringify(body);
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: STATUS_TEXT[status] ?? 'Error',
    url,
    redirected: false,
    type: 'basic',
    headers: {
      get: (h: string) => (h.toLowerCase() === 'content-type' ? 'application/json' : null),
    } as unknown as ConsumedResponse['headers'],
    text: async () => text,
  });
}
