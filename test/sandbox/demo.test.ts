import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeClusterCommand as DescribeHyperPodCommand,
  ListClustersCommand as ListHyperPodsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { decodeHelmReleaseSecret } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';

/**
 * The demo scenario, cluster by cluster, read through the real AWS SDK and client-node: every
 * state the product must show is really there.
 */
describe('demo scenario', () => {
  let sb: Sandbox;
  const eks = (account: string, region: string) =>
    new EKSClient({ ...sb.sdkConfig(account, region), maxAttempts: 1 });
  const kube = (context: string) => {
    const kc = new KubeConfig();
    kc.loadFromString(sb.kubeconfig(context));
    return {
      core: kc.makeApiClient(CoreV1Api),
      apps: kc.makeApiClient(AppsV1Api),
      custom: kc.makeApiClient(CustomObjectsApi),
    };
  };
  const releases = async (context: string, name: string) => {
    const secrets = await kube(context).core.listSecretForAllNamespaces({
      labelSelector: `owner=helm,name=${name}`,
    });
    return secrets.items
      .map((s) =>
        decodeHelmReleaseSecret({
          metadata: { name: s.metadata!.name!, namespace: s.metadata!.namespace },
          data: s.data,
        }),
      )
      .sort((a, b) => a.revision - b.revision);
  };
  const addon = async (name: string, addonName: string) => {
    const c = sb.cluster(name);
    return (
      await eks(c.accountId, c.region).send(
        new DescribeAddonCommand({ clusterName: name, addonName }),
      )
    ).addon!;
  };

  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('spreads 7 clusters over 2 accounts and 2 regions, each listed by EKS in its own account and region', async () => {
    expect(sb.clusters).toHaveLength(7);
    for (const account of ['111111111111', '222222222222']) {
      for (const region of ['us-east-1', 'us-west-2']) {
        const listed =
          (await eks(account, region).send(new ListClustersCommand({}))).clusters ?? [];
        const expected = sb.clusters
          .filter((c) => c.accountId === account && c.region === region)
          .map((c) => c.name);
        expect(listed.sort()).toEqual(expected.sort());
        expect(expected.length).toBeGreaterThan(0);
      }
    }
  });

  it('ml-prod-use1: inference operator by Helm, chart 2.2.2 after 2.1.0, no add-on', async () => {
    const history = await releases('ml-prod-use1', 'hyperpod-inference-operator');
    expect(history.map((r) => [r.revision, r.status, r.chart.version])).toEqual([
      [1, 'superseded', '2.1.0'],
      [2, 'deployed', '2.2.2'],
    ]);
    expect(history[1]!.namespace).toBe('kube-system');
    expect(history[1]!.values).toMatchObject({
      tlsCertificateS3Bucket: expect.stringMatching(/^s3:\/\//),
    });
    const dep = await kube('ml-prod-use1').apps.readNamespacedDeployment({
      name: 'hyperpod-inference-operator-controller-manager',
      namespace: 'hyperpod-inference-system',
    });
    expect(dep.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    const c = sb.cluster('ml-prod-use1');
    const addons =
      (await eks(c.accountId, c.region).send(new ListAddonsCommand({ clusterName: c.name })))
        .addons ?? [];
    expect(addons).not.toContain('amazon-sagemaker-hyperpod-inference');
    const models = (await kube('ml-prod-use1').custom.listNamespacedCustomObject({
      group: 'inference.sagemaker.aws.amazon.com',
      version: 'v1',
      namespace: 'default',
      plural: 'jumpstartmodels',
    })) as { items: { status: { tlsCertificate: { certificateARN: string } } }[] };
    expect(models.items[0]!.status.tlsCertificate.certificateARN).toMatch(
      /^arn:aws:acm:us-east-1:111111111111:certificate\//,
    );
  });

  it('ml-dev-use1: inference operator as a sub-chart of hyperpod-dependencies', async () => {
    const history = await releases('ml-dev-use1', 'hyperpod-dependencies');
    const live = history[history.length - 1]!;
    expect(live.status).toBe('deployed');
    expect(live.chart.name).toBe('hyperpod-dependencies');
    expect(live.chart.dependencies.map((d) => d.name)).toContain('hyperpod-inference-operator');
    await expect(
      kube('ml-dev-use1').apps.readNamespacedDeployment({
        name: 'hyperpod-inference-operator-controller-manager',
        namespace: 'hyperpod-inference-system',
      }),
    ).resolves.toBeTruthy();
  });

  it('ml-research-usw2: the add-on at the newest compatible version, dependencies as add-ons, workloads applied by eks', async () => {
    const a = await addon('ml-research-usw2', 'amazon-sagemaker-hyperpod-inference');
    expect(a.status).toBe('ACTIVE');
    const versions = await eks('111111111111', 'us-west-2').send(
      new DescribeAddonVersionsCommand({
        addonName: 'amazon-sagemaker-hyperpod-inference',
        kubernetesVersion: '1.32',
      }),
    );
    const newest = versions.addons![0]!.addonVersions!.map((v) => v.addonVersion!);
    expect(newest).toContain(a.addonVersion);
    const addons =
      (
        await eks('111111111111', 'us-west-2').send(
          new ListAddonsCommand({ clusterName: 'ml-research-usw2' }),
        )
      ).addons ?? [];
    expect(addons).toEqual(
      expect.arrayContaining([
        'aws-mountpoint-s3-csi-driver',
        'aws-fsx-csi-driver',
        'cert-manager',
        'metrics-server',
      ]),
    );
    const dep = await kube('ml-research-usw2').apps.readNamespacedDeployment({
      name: 'hyperpod-inference-controller-manager',
      namespace: 'hyperpod-inference-system',
    });
    expect(dep.metadata?.managedFields?.map((m) => m.manager)).toContain('eks');
  });

  it('ml-staging-usw2: the add-on at v1.0.0-eksbuild.1 while newer versions exist for its Kubernetes version', async () => {
    const a = await addon('ml-staging-usw2', 'amazon-sagemaker-hyperpod-inference');
    expect(a.addonVersion).toBe('v1.0.0-eksbuild.1');
    const versions = await eks('222222222222', 'us-west-2').send(
      new DescribeAddonVersionsCommand({
        addonName: 'amazon-sagemaker-hyperpod-inference',
        kubernetesVersion: '1.31',
      }),
    );
    const offered = versions.addons![0]!.addonVersions!.map((v) => v.addonVersion!);
    expect(offered.length).toBeGreaterThan(1);
    expect(offered[0]).not.toBe('v1.0.0-eksbuild.1');
  });

  it('ml-batch-use1: the add-on DEGRADED with a replicas issue, coredns with a configuration conflict', async () => {
    const a = await addon('ml-batch-use1', 'amazon-sagemaker-hyperpod-inference');
    expect(a.status).toBe('DEGRADED');
    expect(a.health?.issues?.[0]?.code).toBe('InsufficientNumberOfReplicas');
    const dns = await addon('ml-batch-use1', 'coredns');
    expect(dns.health?.issues?.[0]).toMatchObject({
      code: 'ConfigurationConflict',
      message: expect.stringContaining('Deployment.apps coredns - '),
    });
  });

  it('ml-canary-usw2: a Helm release stuck in pending-upgrade', async () => {
    const history = await releases('ml-canary-usw2', 'hyperpod-inference-operator');
    expect(history.map((r) => r.status)).toEqual(['superseded', 'deployed', 'pending-upgrade']);
  });

  it('ml-legacy-use1: Kubernetes 1.28, the oldest version the sandbox offers', async () => {
    const c = sb.cluster('ml-legacy-use1');
    const d = await eks(c.accountId, c.region).send(new DescribeClusterCommand({ name: c.name }));
    expect(d.cluster?.version).toBe('1.28');
    expect(d.cluster?.endpoint).toBe(c.server);
  });

  it('maps every HyperPod cluster to its EKS cluster through SageMaker', async () => {
    const sm = new SageMakerClient({ ...sb.sdkConfig('prod', 'us-east-1'), maxAttempts: 1 });
    const list = await sm.send(new ListHyperPodsCommand({}));
    const prod = list.ClusterSummaries!.find((s) => s.ClusterName === 'hp-ml-prod-use1')!;
    const d = await sm.send(new DescribeHyperPodCommand({ ClusterName: prod.ClusterArn }));
    expect(d.Orchestrator?.Eks?.ClusterArn).toBe(sb.cluster('ml-prod-use1').arn);
  });
});
