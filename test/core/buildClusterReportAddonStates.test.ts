/**
 * buildClusterReport on the demo states installed as EKS add-ons: newest, outdated with config
 * drift, DEGRADED with a conflict, a Kubernetes version to upgrade from, and a cluster that could
 * not be described.
 */
import { buildClusterReport } from '@hyperpod/core';
import {
  defaultVersion,
  latestVersion,
  DEPENDENCY_ADDONS,
  INFERENCE,
  PROD,
  DEV,
  cluster,
  eksAddon,
  coreAddons,
  observation,
  byName,
} from './clusterObservation';

describe('buildClusterReport on every demo state', () => {
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
