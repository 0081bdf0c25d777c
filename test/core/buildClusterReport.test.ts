import {
  buildClusterReport,
  configDrift,
  decodeHelmReleaseSecret,
  helmComponents,
  manifestCharts,
  type AddonReport,
  type ClusterObservation,
  type ClusterReport,
  type EksAddon,
  type EksCluster,
  type HelmRelease,
  type WorkloadStatus,
} from '@hyperpod/core';
import {
  ADDON_CATALOG,
  buildHelmRelease,
  inferenceOperatorChart,
  inferenceOperatorReleaseSeed,
  inferenceOperatorValues,
  renderInferenceOperatorChart,
  type KubeObject,
} from '@hyperpod/sandbox';
import { addonSpec as spec, catalogEntry } from './addonCatalog';
// Test-only: the sandbox's Helm builders store releases exactly as helm does (through our codec).

const CATALOG = ADDON_CATALOG.map(catalogEntry);

const defaultVersion = (name: string, k8s: string) =>
  spec(name).versions.find((v) => v.defaultFor.includes(k8s))!.addonVersion;
const latestVersion = (name: string, k8s: string) =>
  spec(name).versions.find((v) => v.clusterVersions.includes(k8s))!.addonVersion;

const CORE_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'];
const DEPENDENCY_ADDONS = [
  'aws-mountpoint-s3-csi-driver',
  'aws-fsx-csi-driver',
  'cert-manager',
  'metrics-server',
];
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

interface ClusterSpec {
  name: string;
  accountId: string;
  region: string;
  version: string;
}
const PROD = '111111111111';
const DEV = '222222222222';
const cluster = (
  name: string,
  accountId: string,
  region: string,
  version: string,
): ClusterSpec => ({
  name,
  accountId,
  region,
  version,
});

function eksCluster(c: ClusterSpec): EksCluster {
  return {
    name: c.name,
    arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
    accountId: c.accountId,
    region: c.region,
    version: c.version,
    status: 'ACTIVE',
    endpoint: `https://${c.name}.gr7.${c.region}.eks.amazonaws.com`,
    tags: {},
  };
}

function eksAddon(
  c: ClusterSpec,
  addonName: string,
  addonVersion: string,
  extra: Partial<EksAddon> = {},
): EksAddon {
  return {
    clusterName: c.name,
    addonName,
    addonVersion,
    status: 'ACTIVE',
    issues: [],
    arn: `arn:aws:eks:${c.region}:${c.accountId}:addon/${c.name}/${addonName}/x`,
    ...extra,
  };
}

/** In-cluster facts from objects as the API server would hold them (pods ready unless `notReady` names them). */
function kubeFacts(
  objects: KubeObject[],
  notReady: string[] = [],
): NonNullable<ClusterObservation['kube']> {
  const workloads: WorkloadStatus[] = [];
  for (const o of objects) {
    if (o.kind !== 'Deployment' && o.kind !== 'DaemonSet') continue;
    const desired =
      o.kind === 'Deployment'
        ? (((o['spec'] as { replicas?: number }).replicas ?? 1) as number)
        : 3;
    workloads.push({
      kind: o.kind,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name,
      labels: o.metadata.labels ?? {},
      desired,
      ready: notReady.includes(o.metadata.name) ? 0 : desired,
    });
  }
  return {
    csiDrivers: objects.filter((o) => o.kind === 'CSIDriver').map((o) => o.metadata.name),
    crds: objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name),
    workloads,
  };
}

function addonObjects(c: ClusterSpec, addons: EksAddon[]): KubeObject[] {
  return addons.flatMap((a) =>
    spec(a.addonName).workloads({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      addonVersion: a.addonVersion,
      config: a.configurationValues ? JSON.parse(a.configurationValues) : {},
    }),
  );
}

function coreAddons(c: ClusterSpec): EksAddon[] {
  return CORE_ADDONS.map((n) => eksAddon(c, n, defaultVersion(n, c.version)));
}

function observation(
  c: ClusterSpec,
  parts: { addons: EksAddon[]; helm?: HelmRelease[]; objects?: KubeObject[]; notReady?: string[] },
): ClusterObservation {
  const helm = parts.helm ?? [];
  const names = new Set([
    ...parts.addons.map((a) => a.addonName),
    ...helm.flatMap((r) => helmComponents(r).map((x) => x.addonName)),
    ...DEPENDENCY_ADDONS,
  ]);
  return {
    target: { name: c.name, accountId: c.accountId, region: c.region, context: c.name },
    cluster: eksCluster(c),
    addons: parts.addons,
    catalog: CATALOG.filter((e) => names.has(e.addonName)),
    helmReleases: helm,
    kube: kubeFacts([...addonObjects(c, parts.addons), ...(parts.objects ?? [])], parts.notReady),
    errors: [],
    startedAt: '2026-11-21T20:00:00.000Z',
    durationMs: 120,
  };
}

/** A Helm release stored as helm stores it, decoded back as the scan reads it: the newest revision and the live objects. */
function helmRelease(seed: Parameters<typeof buildHelmRelease>[0]): {
  release: HelmRelease;
  objects: KubeObject[];
} {
  const built = buildHelmRelease(seed);
  const newest = built.secrets[built.secrets.length - 1]!;
  return { release: decodeHelmReleaseSecret(newest), objects: built.objects as KubeObject[] };
}

const valuesFor = (c: ClusterSpec) =>
  inferenceOperatorValues({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
    hyperpodClusterId: 'k3z9x2abcd',
  });

const byName = (r: ClusterReport, name: string): AddonReport => {
  const a = r.addons.find((x) => x.name === name);
  if (!a) throw new Error(`no ${name} in ${r.addons.map((x) => x.name).join(', ')}`);
  return a;
};

describe('buildClusterReport on every demo state', () => {
  it('Helm standalone (ml-prod-use1): the operator and its sub-charts are Helm installs, migration candidates, healthy', () => {
    const c = cluster('ml-prod-use1', PROD, 'us-east-1', '1.31');
    const values = valuesFor(c);
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [
          { status: 'superseded', chartVersion: '2.1.0', values },
          { status: 'deployed', chartVersion: '2.2.2', values },
        ],
      }),
    );
    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );

    expect(r.addons.map((a) => a.name)).toEqual([
      INFERENCE,
      'aws-fsx-csi-driver',
      'aws-mountpoint-s3-csi-driver',
      'cert-manager',
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'metrics-server',
      'vpc-cni',
    ]);
    const op = byName(r, INFERENCE);
    expect(op).toMatchObject({
      installedVia: 'helm',
      health: 'Healthy',
      migrationCandidate: true,
      helm: {
        release: 'hyperpod-inference-operator',
        namespace: 'kube-system',
        revision: 2,
        status: 'deployed',
        chart: 'hyperpod-inference-operator',
        chartVersion: '2.2.2',
        appVersion: '3.2',
      },
    });
    expect(op.helm?.subchartOf).toBeUndefined();
    expect(op.findings.find((f) => f.code === 'migration-target')?.message).toContain(
      `${INFERENCE} ${defaultVersion(INFERENCE, '1.31')} (the default for Kubernetes 1.31)`,
    );
    expect(op.findings.find((f) => f.code === 'moves-into-addon')?.message).toContain('alb, keda');
    // The operator's app versions (3.x) do not follow its add-on versions (1.x): no equivalent.
    expect(op.migrationTarget).toEqual({
      addonVersion: defaultVersion(INFERENCE, '1.31'),
      basis: 'default',
    });
    // Sub-chart versions vs the add-on versions that carry the same software.
    const s3 = byName(r, 'aws-mountpoint-s3-csi-driver');
    expect(s3).toMatchObject({
      installedVia: 'helm',
      migrationCandidate: true,
      helm: {
        chart: 'aws-mountpoint-s3-csi-driver',
        chartVersion: '1.14.1',
        subchartOf: 'hyperpod-inference-operator',
      },
    });
    expect(s3.drift).toMatchObject({
      installed: 'v1.14.1-eksbuild.1',
      default: defaultVersion('aws-mountpoint-s3-csi-driver', '1.31'),
    });
    expect(s3.migrationTarget).toEqual({
      addonVersion: defaultVersion('aws-mountpoint-s3-csi-driver', '1.31'),
      basis: 'default',
      equivalentAddonVersion: 'v1.14.1-eksbuild.1',
    });
    expect(byName(r, 'metrics-server')).toMatchObject({
      helm: { chartVersion: '3.12.2', appVersion: '0.7.2' },
      drift: { installed: 'v0.7.2-eksbuild.4' },
    });
    expect(byName(r, 'cert-manager').drift?.installed).toBe('v1.18.2-eksbuild.2');
    expect(byName(r, 'aws-fsx-csi-driver').helm?.appVersion).toBe('1.3.0');
    expect(byName(r, 'coredns')).toMatchObject({
      installedVia: 'addon',
      health: 'Healthy',
      migrationCandidate: false,
      drift: { status: expect.stringMatching(/^(default|latest)$/) },
    });
    expect(r.health).toBe('Healthy');
    expect(r.cluster).toEqual({
      name: c.name,
      arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
      accountId: c.accountId,
      region: c.region,
      context: c.name,
      kubernetesVersion: '1.31',
    });
  });

  it('Helm sub-chart of hyperpod-dependencies (ml-dev-use1): found inside the umbrella, nested sub-charts read from the manifest', () => {
    const c = cluster('ml-dev-use1', DEV, 'us-east-1', '1.30');
    const values = valuesFor(c);
    const operator = inferenceOperatorChart('2.1.0', values);
    const { release, objects } = helmRelease({
      name: 'hyperpod-dependencies',
      namespace: 'kube-system',
      chart: {
        name: 'hyperpod-dependencies',
        version: '0.1.0',
        appVersion: '1.0',
        apiVersion: 'v2',
        type: 'application',
        dependencies: [
          {
            name: 'hyperpod-inference-operator',
            version: '2.1.0',
            repository: 'file://charts/inference-operator',
            condition: 'inferenceOperators.enabled',
            enabled: true,
          },
        ],
      },
      revisions: [
        {
          status: 'deployed',
          values: { 'hyperpod-inference-operator': values },
          templates: renderInferenceOperatorChart(values, {
            chartVersion: '2.1.0',
            releaseName: 'hyperpod-dependencies',
            pathPrefix: 'charts/hyperpod-inference-operator/',
          }),
        },
      ],
    });
    expect(operator.version).toBe('2.1.0');
    expect(manifestCharts(release.manifest).map((m) => m.path.join('/'))).toContain(
      'hyperpod-dependencies/hyperpod-inference-operator/s3',
    );

    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );
    expect(byName(r, INFERENCE)).toMatchObject({
      installedVia: 'helm',
      health: 'Healthy',
      migrationCandidate: true,
      helm: {
        release: 'hyperpod-dependencies',
        chart: 'hyperpod-inference-operator',
        chartVersion: '2.1.0',
        subchartOf: 'hyperpod-dependencies',
      },
    });
    expect(byName(r, 'aws-mountpoint-s3-csi-driver')).toMatchObject({
      installedVia: 'helm',
      helm: {
        release: 'hyperpod-dependencies',
        chartVersion: '1.14.1',
        subchartOf: 'hyperpod-inference-operator',
      },
    });
    expect(byName(r, 'metrics-server').helm).toMatchObject({
      chartVersion: '3.12.2',
      appVersion: '0.7.2',
    });
    expect(r.health).toBe('Healthy');
  });

  it('add-on at the newest version (ml-research-usw2): latest drift, prerequisites satisfied, not a migration candidate', () => {
    const c = cluster('ml-research-usw2', PROD, 'us-west-2', '1.32');
    const config = {
      executionRoleArn:
        'arn:aws:iam::111111111111:role/SageMakerHyperPodInference-k3z9x2ab-execution-role',
      tlsCertificateS3Bucket: 'hyperpod-tls-111111111111-us-west-2',
      hyperpodClusterArn: 'arn:aws:sagemaker:us-west-2:111111111111:cluster/k3z9x2abcd',
    };
    const addons = [
      ...coreAddons(c),
      ...DEPENDENCY_ADDONS.map((n) => eksAddon(c, n, latestVersion(n, '1.32'))),
      eksAddon(c, INFERENCE, latestVersion(INFERENCE, '1.32'), {
        configurationValues: JSON.stringify(config),
      }),
    ];
    const r = buildClusterReport(observation(c, { addons }), { declared: { [INFERENCE]: config } });
    const op = byName(r, INFERENCE);
    // The target's own declaration (from a fleet file) is used when no option overrides it.
    const obs = observation(c, { addons });
    const fromTarget = buildClusterReport({
      ...obs,
      target: {
        ...obs.target,
        declared: { [INFERENCE]: { ...config, tlsCertificateS3Bucket: 'other' } },
      },
    });
    expect(byName(fromTarget, INFERENCE).configDrift?.changed).toEqual(['tlsCertificateS3Bucket']);
    expect(op).toMatchObject({
      installedVia: 'addon',
      health: 'Healthy',
      migrationCandidate: false,
      drift: { status: 'latest', newerVersions: 0 },
      configDrift: { changed: [], missing: [], extra: [] },
    });
    expect(op.findings.filter((f) => f.health !== 'Healthy')).toEqual([]);
    expect(op.addon?.configurationValues).toEqual(config);
    expect(r.health).toBe('Healthy');
    expect(r.readiness?.targetVersion).toBe('1.33');
  });

  it('add-on outdated (ml-staging-usw2): behind the default, with newer versions counted; config drift as dotted paths', () => {
    const c = cluster('ml-staging-usw2', DEV, 'us-west-2', '1.31');
    const actual = {
      executionRoleArn:
        'arn:aws:iam::222222222222:role/SageMakerHyperPodInference-a1-execution-role',
      tlsCertificateS3Bucket: 'b-actual',
      alb: { serviceAccount: { create: true } },
    };
    const addons = [
      ...coreAddons(c),
      ...DEPENDENCY_ADDONS.map((n) => eksAddon(c, n, latestVersion(n, '1.31'))),
      eksAddon(c, INFERENCE, 'v1.0.0-eksbuild.1', { configurationValues: JSON.stringify(actual) }),
    ];
    const declared = {
      executionRoleArn: actual.executionRoleArn,
      tlsCertificateS3Bucket: 'b-declared',
      hyperpodClusterArn: 'arn:aws:sagemaker:us-west-2:222222222222:cluster/a1',
    };
    const r = buildClusterReport(observation(c, { addons }), {
      declared: { [INFERENCE]: declared },
    });
    const op = byName(r, INFERENCE);
    expect(op.drift).toEqual({
      installed: 'v1.0.0-eksbuild.1',
      default: defaultVersion(INFERENCE, '1.31'),
      latest: latestVersion(INFERENCE, '1.31'),
      status: 'behind-default',
      newerVersions: 3,
    });
    expect(op.configDrift).toEqual({
      changed: ['tlsCertificateS3Bucket'],
      missing: ['hyperpodClusterArn'],
      extra: ['alb.serviceAccount.create'],
    });
    expect(op.findings.find((f) => f.code === 'config-drift')?.message).toContain(
      '~tlsCertificateS3Bucket -hyperpodClusterArn +alb.serviceAccount.create',
    );
    expect(op.health).toBe('Healthy');
  });

  it('DEGRADED add-on and a ConfigurationConflict on coredns (ml-batch-use1): issues explained, conflict parsed, workloads not ready', () => {
    const c = cluster('ml-batch-use1', DEV, 'us-east-1', '1.31');
    const conflict =
      'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile\nDeployment.apps coredns - .spec.template.spec.containers[name="coredns"].image';
    const addons = [
      ...coreAddons(c).map((a) =>
        a.addonName === 'coredns'
          ? {
              ...a,
              status: 'DEGRADED',
              issues: [
                {
                  code: 'ConfigurationConflict',
                  message: conflict,
                  resourceIds: ['kube-system/coredns'],
                },
              ],
            }
          : a,
      ),
      ...DEPENDENCY_ADDONS.map((n) => eksAddon(c, n, latestVersion(n, '1.31'))),
      eksAddon(c, INFERENCE, defaultVersion(INFERENCE, '1.31'), {
        status: 'DEGRADED',
        issues: [
          {
            code: 'InsufficientNumberOfReplicas',
            message:
              "The add-on is unhealthy because it doesn't have the desired number of replicas.",
            resourceIds: ['hyperpod-inference-system/hyperpod-inference-controller-manager'],
          },
        ],
      }),
    ];
    const r = buildClusterReport(
      observation(c, { addons, notReady: ['hyperpod-inference-controller-manager'] }),
    );
    const op = byName(r, INFERENCE);
    expect(op.health).toBe('Degraded');
    expect(op.addon?.issues[0]).toMatchObject({
      code: 'InsufficientNumberOfReplicas',
      title: 'Not enough ready replicas',
    });
    expect(op.findings).toContainEqual(
      expect.objectContaining({
        code: 'workload-not-ready',
        health: 'Degraded',
        message:
          'Deployment hyperpod-inference-system/hyperpod-inference-controller-manager: 0/1 ready',
      }),
    );
    const dns = byName(r, 'coredns');
    expect(dns.health).toBe('Degraded');
    expect(dns.addon?.issues[0]?.conflicts).toEqual([
      { resource: 'ConfigMap', name: 'coredns', field: '.data.Corefile' },
      {
        resource: 'Deployment.apps',
        name: 'coredns',
        field: '.spec.template.spec.containers[name="coredns"].image',
      },
    ]);
    expect(r.health).toBe('Degraded');
  });

  it('Helm release stuck in pending-upgrade (ml-canary-usw2): Degraded, says it blocks Helm, fix names the rollback revision', () => {
    const c = cluster('ml-canary-usw2', PROD, 'us-west-2', '1.31');
    const values = valuesFor(c);
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [
          { status: 'superseded', chartVersion: '2.1.0', values },
          {
            status: 'deployed',
            chartVersion: '2.1.0',
            values: { ...values, metrics: { enabled: true } },
          },
          {
            status: 'pending-upgrade',
            chartVersion: '2.2.2',
            values: { ...values, metrics: { enabled: true } },
          },
        ],
      }),
    );
    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );
    const op = byName(r, INFERENCE);
    expect(op).toMatchObject({
      installedVia: 'helm',
      health: 'Degraded',
      helm: { status: 'pending-upgrade', revision: 3 },
    });
    const pending = op.findings.find((f) => f.code === 'helm-pending')!;
    expect(pending.message).toContain('blocks every other Helm operation');
    expect(pending.fix).toContain('helm history hyperpod-inference-operator -n kube-system');
    expect(pending.fix).toContain('helm rollback hyperpod-inference-operator 2 -n kube-system');
    expect(op.reason).toBe(pending.message);
    // The same release carries the sub-charts: they are stuck with it.
    expect(byName(r, 'aws-mountpoint-s3-csi-driver').health).toBe('Degraded');
    expect(r.health).toBe('Degraded');
  });

  it('Kubernetes 1.28 (ml-legacy-use1): readiness for 1.29 lists what must move first', () => {
    const c = cluster('ml-legacy-use1', PROD, 'us-east-1', '1.28');
    const addons = [
      ...coreAddons(c),
      eksAddon(c, 'metrics-server', defaultVersion('metrics-server', '1.28')),
    ];
    const r = buildClusterReport(observation(c, { addons }));
    expect(r.readiness?.targetVersion).toBe('1.29');
    const coredns = r.readiness!.addons.find((a) => a.addonName === 'coredns')!;
    // coredns v1.10.1-eksbuild.18 runs on 1.28 only, and no coredns version runs on both 1.28 and 1.29.
    expect(coredns).toMatchObject({
      installed: 'v1.10.1-eksbuild.18',
      verdict: 'upgrade-after',
      requiredVersion: expect.stringMatching(/^v1\.11\./),
    });
    const kubeProxy = r.readiness!.addons.find((a) => a.addonName === 'kube-proxy')!;
    expect(kubeProxy).toMatchObject({
      verdict: 'upgrade-after',
      requiredVersion: expect.stringMatching(/^v1\.29\./),
    });
    // metrics-server's installed version also runs on 1.29.
    expect(r.readiness!.addons.find((a) => a.addonName === 'metrics-server')!.verdict).toBe(
      'ready',
    );
    expect(r.readiness!.addons.map((a) => a.addonName)).toEqual(
      [...r.readiness!.addons.map((a) => a.addonName)].sort(),
    );
    expect(r.health).toBe('Healthy');

    // The same cluster asked about readiness for 1.34, which no add-on supports yet: every add-on blocks.
    const far = buildClusterReport(observation(c, { addons }), { targetKubernetesVersion: '1.34' });
    expect(far.readiness!.addons.every((a) => a.verdict === 'no-compatible-version')).toBe(true);
  });

  it('missing CSI driver prerequisite: the inference operator is Missing with the command that installs the driver', () => {
    const c = cluster('ml-prod-use1', PROD, 'us-east-1', '1.31');
    const values = { ...valuesFor(c), s3: { enabled: false } };
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [{ status: 'deployed', chartVersion: '2.2.2', values }],
      }),
    );
    const r = buildClusterReport(
      observation(c, { addons: coreAddons(c), helm: [release], objects }),
    );
    const op = byName(r, INFERENCE);
    expect(op.health).toBe('Missing');
    expect(op.findings).toContainEqual({
      code: 'csi-driver-missing',
      health: 'Missing',
      message: 'CSIDriver s3.csi.aws.com is missing: the inference operator needs it',
      fix: 'aws eks create-addon --cluster-name ml-prod-use1 --addon-name aws-mountpoint-s3-csi-driver --region us-east-1',
    });
    expect(r.addons.map((a) => a.name)).not.toContain('aws-mountpoint-s3-csi-driver');
    expect(r.health).toBe('Missing');
  });

  it('a cluster that failed DescribeCluster: Unknown, the error kept with its step, no invented add-ons', () => {
    const r = buildClusterReport({
      target: { name: 'ml-gone-use1', accountId: '111111111111', region: 'us-east-1' },
      addons: [],
      catalog: [],
      helmReleases: [],
      errors: [
        {
          kind: 'NotFound',
          message: 'No cluster found for name: ml-gone-use1.',
          service: 'eks',
          operation: 'DescribeCluster',
          code: 'ResourceNotFoundException',
          statusCode: 404,
          step: 'describe cluster',
        },
      ],
      startedAt: '2026-11-21T20:00:00.000Z',
      durationMs: 30,
    });
    expect(r).toMatchObject({
      health: 'Unknown',
      addons: [],
      cluster: { name: 'ml-gone-use1', accountId: '111111111111', region: 'us-east-1' },
    });
    expect(r.errors[0]).toMatchObject({ kind: 'NotFound', step: 'describe cluster' });
    expect(r.readiness).toBeUndefined();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('buildClusterReport rules', () => {
  const c = cluster('ml-x', PROD, 'us-east-1', '1.31');

  it('marks a component on both Helm and the add-on as `both` and Degraded', () => {
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({ revisions: [{ status: 'deployed', values: valuesFor(c) }] }),
    );
    const r = buildClusterReport(
      observation(c, {
        addons: [...coreAddons(c), eksAddon(c, INFERENCE, defaultVersion(INFERENCE, '1.31'))],
        helm: [release],
        objects,
      }),
    );
    expect(byName(r, INFERENCE)).toMatchObject({
      installedVia: 'both',
      health: 'Degraded',
      migrationCandidate: false,
    });
  });

  it('maps a failed Helm release to Degraded with helm history / rollback', () => {
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [
          { status: 'deployed', values: valuesFor(c) },
          { status: 'failed', values: valuesFor(c) },
        ],
      }),
    );
    const op = byName(
      buildClusterReport(observation(c, { addons: coreAddons(c), helm: [release], objects })),
      INFERENCE,
    );
    expect(op.health).toBe('Degraded');
    expect(op.findings.find((f) => f.code === 'helm-failed')?.fix).toContain(
      'helm history hyperpod-inference-operator -n kube-system',
    );
  });

  it('redacts secrets in configurationValues', () => {
    const addons = [
      eksAddon(c, 'coredns', defaultVersion('coredns', '1.31'), {
        configurationValues: JSON.stringify({ replicaCount: 2, auth: { token: 'abc' } }),
      }),
    ];
    const dns = byName(buildClusterReport(observation(c, { addons })), 'coredns');
    expect(dns.addon?.configurationValues).toEqual({
      replicaCount: 2,
      auth: { token: '<redacted>' },
    });
  });

  it('flags a dependency add-on older than the inference add-on requires', () => {
    const addons = [
      eksAddon(c, 'cert-manager', 'v1.17.2-eksbuild.1'),
      eksAddon(c, INFERENCE, defaultVersion(INFERENCE, '1.31')),
    ];
    const op = byName(buildClusterReport(observation(c, { addons })), INFERENCE);
    expect(op.findings).toContainEqual(
      expect.objectContaining({ code: 'dependency-too-old', health: 'Degraded' }),
    );
  });

  it('turns any scan error into an Unknown cluster even when the cluster was described', () => {
    const obs = observation(c, { addons: coreAddons(c) });
    obs.errors.push({
      kind: 'AccessDenied',
      message: 'forbidden',
      service: 'kubernetes',
      operation: 'list',
      step: 'list CRDs',
    });
    expect(buildClusterReport(obs).health).toBe('Unknown');
  });
});

describe('configDrift', () => {
  it('compares leaves as dotted paths, arrays as values', () => {
    expect(
      configDrift({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [2, 1] }, e: true }),
    ).toEqual({ changed: ['a.b', 'a.c'], missing: ['d'], extra: ['e'] });
    expect(configDrift(undefined, undefined)).toEqual({ changed: [], missing: [], extra: [] });
  });
});
