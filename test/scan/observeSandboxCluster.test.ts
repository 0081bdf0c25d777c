import { buildClusterReport, CachingAddonCatalog, observeCluster } from '@hyperpod/core';
import { AwsClients, ClientNodeKubeGateway } from '@hyperpod/core-node';
import { KubeConfig } from '@kubernetes/client-node';
import {
  defaultAddonVersion,
  latestAddonVersion,
  Sandbox,
  seedClusterAddon,
} from '@hyperpod/sandbox';

/**
 * observeCluster + buildClusterReport through the real AWS SDK and client-node, on a sandbox
 * cluster built here: the inference add-on without its CSI drivers, then with them.
 */
describe('scan of one sandbox cluster', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 50 });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('reads add-ons, catalog and in-cluster prerequisites, and judges them', async () => {
    const c = await sb.addCluster({
      account: 'prod',
      region: 'us-east-1',
      name: 'ml-one-use1',
      version: '1.31',
    });
    seedClusterAddon(sb, c, 'coredns', defaultAddonVersion('coredns', '1.31')!);
    seedClusterAddon(sb, c, 'cert-manager', latestAddonVersion('cert-manager', '1.31')!);
    seedClusterAddon(sb, c, 'amazon-sagemaker-hyperpod-inference', 'v1.0.0-eksbuild.1', {
      configurationValues: JSON.stringify({
        executionRoleArn: `arn:aws:iam::${c.accountId}:role/SageMakerHyperPodInference-k3z9x2ab-execution-role`,
        tlsCertificateS3Bucket: `hyperpod-tls-${c.accountId}-us-east-1`,
        hyperpodClusterArn: `arn:aws:sagemaker:us-east-1:${c.accountId}:cluster/k3z9x2abcd`,
      }),
    });

    const gateways = new AwsClients({ maxAttempts: 1 }).gateways({
      ...sb.sdkConfig('prod', 'us-east-1'),
      accountId: c.accountId,
    });
    const kc = new KubeConfig();
    kc.loadFromString(sb.kubeconfig(c.name));
    const catalog = new CachingAddonCatalog();
    const observe = () =>
      observeCluster(
        { name: c.name, accountId: c.accountId, region: c.region, context: c.name },
        { eks: gateways.eks, kube: new ClientNodeKubeGateway(kc), catalog },
      );

    const before = await observe();
    expect(before.errors).toEqual([]);
    expect(before.kube?.crds).toEqual(
      expect.arrayContaining([
        'certificates.cert-manager.io',
        'certificaterequests.cert-manager.io',
      ]),
    );
    expect(before.kube?.csiDrivers).not.toContain('s3.csi.aws.com');
    const r1 = buildClusterReport(before);
    const op = r1.addons.find((a) => a.name === 'amazon-sagemaker-hyperpod-inference')!;
    expect(op).toMatchObject({
      installedVia: 'addon',
      health: 'Missing',
      drift: { installed: 'v1.0.0-eksbuild.1', status: 'behind-default' },
    });
    expect(op.findings.filter((f) => f.code === 'csi-driver-missing').map((f) => f.fix)).toEqual([
      'aws eks create-addon --cluster-name ml-one-use1 --addon-name aws-mountpoint-s3-csi-driver --region us-east-1',
      'aws eks create-addon --cluster-name ml-one-use1 --addon-name aws-fsx-csi-driver --region us-east-1',
    ]);
    expect(r1.health).toBe('Missing');

    for (const driver of ['aws-mountpoint-s3-csi-driver', 'aws-fsx-csi-driver'])
      seedClusterAddon(sb, c, driver, latestAddonVersion(driver, '1.31')!);
    const r2 = buildClusterReport(await observe());
    expect(r2.addons.find((a) => a.name === 'amazon-sagemaker-hyperpod-inference')!.health).toBe(
      'Healthy',
    );
    expect(r2.health).toBe('Healthy');
    // Six add-ons (three installed, three inference dependencies) cost six DescribeAddonVersions calls over both scans.
    expect(catalog.calls).toBe(6);
  });
});
