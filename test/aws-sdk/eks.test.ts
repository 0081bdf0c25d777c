/**
 * The sandbox's EKS, driven by the real @aws-sdk/client-eks: every emulated operation, the add-on
 * life cycle with its workloads in the cluster's Kubernetes API, and the errors EKS gives.
 */
import {
  CreateAddonCommand,
  DeleteAddonCommand,
  DescribeAddonCommand,
  DescribeAddonConfigurationCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  ListUpdatesCommand,
  UpdateAddonCommand,
  waitUntilAddonActive,
  type AddonInfo,
} from '@aws-sdk/client-eks';
import { EksService } from '@hyperpod/sandbox/testing';
import { KubeCluster } from '@hyperpod/sandbox';
import { startAwsHarness, type AwsHarness } from '../support/awsHarness';
import { signedFetch } from '../support/signedFetch';

const REGION = 'us-east-1';
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

let h: AwsHarness<{ eks: EksService }>;
let eks: EksService;
let client: EKSClient;
let strict: EKSClient;
const kubes = new Map<string, KubeCluster>();
let acct: string;

function inferenceConfig(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    executionRoleArn: `arn:aws:iam::${acct}:role/SageMakerHyperPodInference-abcd1234-execution-role`,
    tlsCertificateS3Bucket: `hyperpod-tls-${acct}`,
    hyperpodClusterArn: `arn:aws:sagemaker:${REGION}:${acct}:cluster/abcd1234efgh`,
    ...extra,
  });
}

function addCluster(
  name: string,
  version: string,
  opts: { kube?: boolean; region?: string; account?: number; status?: 'ACTIVE' | 'UPDATING' } = {},
) {
  const accountId = h.accounts[opts.account ?? 0]!.accountId;
  const region = opts.region ?? REGION;
  eks.addCluster({
    accountId,
    region,
    name,
    version,
    endpoint: `http://127.0.0.1:6443/${name}`,
    status: opts.status,
    tags: { team: 'ml-platform' },
  });
  if (opts.kube !== false)
    kubes.set(`${accountId}/${region}/${name}`, new KubeCluster({ name, version }));
}

const kubeOf = (name: string) => kubes.get(`${acct}/${REGION}/${name}`)!;
const settle = (clusterName: string, addonName: string) =>
  eks.settled({ accountId: acct, region: REGION, clusterName, addonName });
const managers = (o: { metadata: { managedFields?: { manager: string }[] } } | undefined) =>
  (o?.metadata.managedFields ?? []).map((m) => m.manager);

async function rejection(p: Promise<unknown>): Promise<{
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
  [k: string]: unknown;
}> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ eks: new EksService(ctx) }));
  eks = h.services.eks;
  acct = h.accounts[0]!.accountId;
  h.ctx.kubeFor = (a, r, n) => kubes.get(`${a}/${r}/${n}`);
  client = new EKSClient(h.clientConfig(REGION));
  strict = new EKSClient({ ...h.clientConfig(REGION), maxAttempts: 1 });
  addCluster('ml-prod', '1.31');
  addCluster('ml-legacy', '1.28');
  addCluster('ml-edge', '1.33');
  addCluster('ml-batch', '1.30');
  addCluster('ml-upgrading', '1.31', { status: 'UPDATING' });
  addCluster('ml-west', '1.31', { region: 'us-west-2' });
  addCluster('other-account', '1.31', { account: 1 });
});

afterAll(async () => {
  eks?.close();
  client?.destroy();
  strict?.destroy();
  await h?.stop();
});

describe('clusters', () => {
  it('lists the clusters of the caller account and region, page by page', async () => {
    const first = await client.send(new ListClustersCommand({ maxResults: 2 }));
    expect(first.clusters).toEqual(['ml-batch', 'ml-edge']);
    expect(first.nextToken).toBeDefined();
    const rest = await client.send(
      new ListClustersCommand({ maxResults: 10, nextToken: first.nextToken }),
    );
    expect(rest.clusters).toEqual(['ml-legacy', 'ml-prod', 'ml-upgrading']);
    expect(rest.nextToken).toBeUndefined();
    const west = await new EKSClient(h.clientConfig('us-west-2')).send(new ListClustersCommand({}));
    expect(west.clusters).toEqual(['ml-west']);
    const other = await new EKSClient(h.clientConfig(REGION, 1)).send(new ListClustersCommand({}));
    expect(other.clusters).toEqual(['other-account']);
  });

  it('describes a cluster with its ARN, endpoint, OIDC issuer, CA and creation time', async () => {
    const { cluster } = await client.send(new DescribeClusterCommand({ name: 'ml-prod' }));
    expect(cluster).toMatchObject({
      name: 'ml-prod',
      arn: `arn:aws:eks:${REGION}:${acct}:cluster/ml-prod`,
      version: '1.31',
      status: 'ACTIVE',
      endpoint: 'http://127.0.0.1:6443/ml-prod',
      tags: { team: 'ml-platform' },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      kubernetesNetworkConfig: { ipFamily: 'ipv4', serviceIpv4Cidr: '10.100.0.0/16' },
    });
    expect(cluster?.identity?.oidc?.issuer).toMatch(
      new RegExp(`^https://oidc\\.eks\\.${REGION}\\.amazonaws\\.com/id/[0-9A-F]{32}$`),
    );
    expect(Buffer.from(cluster!.certificateAuthority!.data!, 'base64').toString()).toMatch(
      /^-----BEGIN CERTIFICATE-----\n/,
    );
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(cluster!.createdAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(cluster?.platformVersion).toMatch(/^eks\.\d+$/);
  });

  it('answers ResourceNotFoundException (404) for an unknown cluster', async () => {
    const e = await rejection(strict.send(new DescribeClusterCommand({ name: 'nope' })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.message).toBe('No cluster found for name: nope.');
    expect(e['clusterName']).toBe('nope');
  });
});

describe('add-on catalog operations', () => {
  it('filters add-on versions by name and Kubernetes version, with one default version', async () => {
    const { addons } = await client.send(
      new DescribeAddonVersionsCommand({ addonName: INFERENCE, kubernetesVersion: '1.31' }),
    );
    expect(addons).toHaveLength(1);
    const info = addons![0]!;
    expect(info).toMatchObject({
      addonName: INFERENCE,
      type: 'machine-learning',
      owner: 'aws',
      publisher: 'eks',
    });
    const versions = info.addonVersions!.map((v) => v.addonVersion);
    expect(versions).toEqual([
      'v1.2.0-eksbuild.1',
      'v1.1.0-eksbuild.1',
      'v1.0.1-eksbuild.1',
      'v1.0.0-eksbuild.1',
    ]);
    for (const v of info.addonVersions!) {
      expect(v.compatibilities).toEqual([
        { clusterVersion: '1.31', platformVersions: ['*'], defaultVersion: expect.any(Boolean) },
      ]);
      expect(v.requiresConfiguration).toBe(true);
      expect(v.requiresIamPermissions).toBe(true);
    }
    expect(
      info
        .addonVersions!.filter((v) => v.compatibilities![0]!.defaultVersion)
        .map((v) => v.addonVersion),
    ).toEqual(['v1.1.0-eksbuild.1']);
  });

  it('pages through every add-on and filters by type, owner and publisher', async () => {
    const all: AddonInfo[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new DescribeAddonVersionsCommand({ maxResults: 5, nextToken }),
      );
      all.push(...(page.addons ?? []));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.map((a) => a.addonName)).size).toBe(all.length);
    const storage = await client.send(new DescribeAddonVersionsCommand({ types: ['storage'] }));
    expect(storage.addons!.map((a) => a.addonName)).toEqual(
      expect.arrayContaining([
        'aws-mountpoint-s3-csi-driver',
        'aws-fsx-csi-driver',
        'aws-ebs-csi-driver',
      ]),
    );
    expect(storage.addons!.every((a) => a.type === 'storage')).toBe(true);
    const community = await client.send(
      new DescribeAddonVersionsCommand({ owners: ['community'], publishers: ['eks'] }),
    );
    expect(community.addons!.map((a) => a.addonName).sort()).toEqual([
      'cert-manager',
      'metrics-server',
    ]);
  });

  it('omits add-ons with no version for a Kubernetes version', async () => {
    const on132 = await client.send(
      new DescribeAddonVersionsCommand({ addonName: 'adot', kubernetesVersion: '1.32' }),
    );
    expect(on132.addons).toHaveLength(1);
    const on133 = await client.send(
      new DescribeAddonVersionsCommand({ addonName: 'adot', kubernetesVersion: '1.33' }),
    );
    expect(on133.addons).toEqual([]);
  });

  it('returns the configuration schema of a version as a JSON Schema string', async () => {
    const out = await client.send(
      new DescribeAddonConfigurationCommand({
        addonName: INFERENCE,
        addonVersion: 'v1.0.0-eksbuild.1',
      }),
    );
    const schema = JSON.parse(out.configurationSchema!) as {
      $schema: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'executionRoleArn',
        'tlsCertificateS3Bucket',
        'hyperpodClusterArn',
        'jumpstartGatedModelDownloadRoleArn',
        'alb',
        'keda',
      ]),
    );
    expect(schema.properties).not.toHaveProperty('inferenceGateway');
    expect(schema.required).toEqual([
      'executionRoleArn',
      'tlsCertificateS3Bucket',
      'hyperpodClusterArn',
    ]);
    expect(out.podIdentityConfiguration).toEqual([
      {
        serviceAccount: 'hyperpod-inference-controller-manager',
        recommendedManagedPolicies: [expect.stringMatching(/^arn:aws:iam::aws:policy\//)],
      },
    ]);
    const later = await client.send(
      new DescribeAddonConfigurationCommand({
        addonName: INFERENCE,
        addonVersion: 'v1.2.0-eksbuild.1',
      }),
    );
    expect(Object.keys(JSON.parse(later.configurationSchema!).properties)).toEqual(
      expect.arrayContaining(['inferenceOperator', 'inferenceGateway']),
    );
  });

  it('refuses a configuration request for an unknown version', async () => {
    const e = await rejection(
      strict.send(
        new DescribeAddonConfigurationCommand({
          addonName: INFERENCE,
          addonVersion: 'v9.9.9-eksbuild.1',
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterException');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });
});

describe('add-on life cycle', () => {
  it('creates an add-on CREATING, becomes ACTIVE (waiter) and applies its workloads with field manager eks', async () => {
    const created = await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-prod',
        addonName: INFERENCE,
        addonVersion: 'v1.0.0-eksbuild.1',
        configurationValues: inferenceConfig(),
        resolveConflicts: 'OVERWRITE',
        tags: { owner: 'platform' },
      }),
    );
    expect(created.addon).toMatchObject({
      addonName: INFERENCE,
      clusterName: 'ml-prod',
      status: 'CREATING',
      addonVersion: 'v1.0.0-eksbuild.1',
      tags: { owner: 'platform' },
    });
    expect(created.addon?.addonArn).toMatch(
      new RegExp(`^arn:aws:eks:${REGION}:${acct}:addon/ml-prod/${INFERENCE}/[0-9a-f-]{36}$`),
    );
    const waited = await waitUntilAddonActive(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { clusterName: 'ml-prod', addonName: INFERENCE },
    );
    expect(waited.state).toBe('SUCCESS');
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: INFERENCE }),
    );
    expect(addon).toMatchObject({
      status: 'ACTIVE',
      health: { issues: [] },
      configurationValues: inferenceConfig(),
      owner: 'aws',
      publisher: 'eks',
    });
    expect(addon?.createdAt).toBeInstanceOf(Date);
    const dep = kubeOf('ml-prod').get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'hyperpod-inference-system',
      name: 'hyperpod-inference-controller-manager',
    });
    expect(managers(dep)).toContain('eks');
    const sa = kubeOf('ml-prod').get({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespace: 'hyperpod-inference-system',
      name: 'hyperpod-inference-controller-manager',
    });
    expect(sa?.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      `arn:aws:iam::${acct}:role/SageMakerHyperPodInference-abcd1234-execution-role`,
    );
    expect(
      kubeOf('ml-prod').get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'jumpstartmodels.inference.sagemaker.aws.amazon.com',
      }),
    ).toBeDefined();
    const listed = await client.send(new ListAddonsCommand({ clusterName: 'ml-prod' }));
    expect(listed.addons).toEqual([INFERENCE]);
  });

  it('installs the default version for the cluster when none is given, and pages ListAddons', async () => {
    for (const name of ['metrics-server', 'cert-manager', 'coredns']) {
      await client.send(new CreateAddonCommand({ clusterName: 'ml-batch', addonName: name }));
    }
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'metrics-server' }),
    );
    expect(addon?.addonVersion).toBe('v0.7.2-eksbuild.4');
    const coredns = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'coredns' }),
    );
    expect(coredns.addon?.addonVersion).toBe('v1.11.3-eksbuild.2');
    const p1 = await client.send(new ListAddonsCommand({ clusterName: 'ml-batch', maxResults: 2 }));
    const p2 = await client.send(
      new ListAddonsCommand({ clusterName: 'ml-batch', maxResults: 2, nextToken: p1.nextToken }),
    );
    expect([...p1.addons!, ...p2.addons!]).toEqual(['cert-manager', 'coredns', 'metrics-server']);
    expect(p2.nextToken).toBeUndefined();
    await eks.settled();
    expect(
      kubeOf('ml-batch').get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'certificates.cert-manager.io',
      }),
    ).toBeDefined();
  });

  it('updates an add-on: UPDATING with an AddonUpdate, then ACTIVE and the update Successful', async () => {
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-prod',
        addonName: INFERENCE,
        addonVersion: 'v1.2.0-eksbuild.1',
        configurationValues: inferenceConfig({ inferenceGateway: { enabled: true } }),
        resolveConflicts: 'OVERWRITE',
      }),
    );
    expect(update).toMatchObject({ status: 'InProgress', type: 'AddonUpdate', errors: [] });
    expect(update?.params).toEqual(
      expect.arrayContaining([
        { type: 'AddonVersion', value: 'v1.2.0-eksbuild.1' },
        { type: 'ResolveConflicts', value: 'OVERWRITE' },
      ]),
    );
    expect(update?.createdAt).toBeInstanceOf(Date);
    const during = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: INFERENCE }),
    );
    expect(during.addon?.status).toBe('UPDATING');
    const e = await rejection(
      strict.send(
        new UpdateAddonCommand({
          clusterName: 'ml-prod',
          addonName: INFERENCE,
          addonVersion: 'v1.1.0-eksbuild.1',
        }),
      ),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
    await settle('ml-prod', INFERENCE);
    const done = await client.send(
      new DescribeUpdateCommand({ name: 'ml-prod', updateId: update!.id!, addonName: INFERENCE }),
    );
    expect(done.update).toMatchObject({ id: update!.id, status: 'Successful', errors: [] });
    const after = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: INFERENCE }),
    );
    expect(after.addon).toMatchObject({ status: 'ACTIVE', addonVersion: 'v1.2.0-eksbuild.1' });
    expect(
      kubeOf('ml-prod').get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'hyperpod-inference-system',
        name: 'hyperpod-inference-gateway',
      }),
    ).toBeDefined();
    const list = await client.send(
      new ListUpdatesCommand({ name: 'ml-prod', addonName: INFERENCE }),
    );
    expect(list.updateIds).toEqual([update!.id]);
  });

  it('does not roll back a failed update: the new version stays, the add-on is DEGRADED, the update Failed', async () => {
    eks.failOn({
      addonName: 'metrics-server',
      addonVersion: 'v0.8.0-eksbuild.1',
      kind: 'update',
      outcome: 'DEGRADED',
      issue: {
        code: 'InsufficientNumberOfReplicas',
        message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
        resourceIds: ['metrics-server'],
      },
      times: 1,
    });
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-batch',
        addonName: 'metrics-server',
        addonVersion: 'v0.8.0-eksbuild.1',
      }),
    );
    await settle('ml-batch', 'metrics-server');
    const described = await client.send(
      new DescribeUpdateCommand({
        name: 'ml-batch',
        updateId: update!.id!,
        addonName: 'metrics-server',
      }),
    );
    expect(described.update).toMatchObject({
      status: 'Failed',
      errors: [{ errorCode: 'InsufficientNumberOfReplicas', resourceIds: ['metrics-server'] }],
    });
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'metrics-server' }),
    );
    expect(addon).toMatchObject({
      status: 'DEGRADED',
      addonVersion: 'v0.8.0-eksbuild.1',
      health: { issues: [{ code: 'InsufficientNumberOfReplicas' }] },
    });
    const waited = await waitUntilAddonActive(
      { client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { clusterName: 'ml-batch', addonName: 'metrics-server' },
    ).catch((e: Error) => e);
    expect(String(waited)).toMatch(/FAILURE/);
  });

  it("fails a create with NONE when another manager owns a field, with EKS's conflict message; OVERWRITE takes it over", async () => {
    const kube = kubeOf('ml-legacy');
    kube.apply(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'metrics-server', namespace: 'kube-system' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { 'app.kubernetes.io/name': 'metrics-server' } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'metrics-server' } },
            spec: {
              containers: [
                {
                  name: 'metrics-server',
                  image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.1',
                },
              ],
            },
          },
        },
      },
      { fieldManager: 'helm', force: true },
    );
    await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'metrics-server',
        addonVersion: 'v0.7.2-eksbuild.4',
      }),
    );
    await settle('ml-legacy', 'metrics-server');
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-legacy', addonName: 'metrics-server' }),
    );
    expect(addon?.status).toBe('CREATE_FAILED');
    const issue = addon!.health!.issues![0]!;
    expect(issue.code).toBe('ConfigurationConflict');
    expect(issue.message).toMatch(
      /^Conflicts found when trying to apply\. Will not continue due to resolve conflicts mode\. Conflicts:\n/,
    );
    expect(issue.message).toContain('Deployment.apps metrics-server - .spec.replicas');
    expect(issue.resourceIds).toEqual(['metrics-server']);

    await client.send(
      new DeleteAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'metrics-server',
        preserve: true,
      }),
    );
    await settle('ml-legacy', 'metrics-server');
    await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'metrics-server',
        addonVersion: 'v0.7.2-eksbuild.4',
        resolveConflicts: 'OVERWRITE',
      }),
    );
    await settle('ml-legacy', 'metrics-server');
    const again = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-legacy', addonName: 'metrics-server' }),
    );
    expect(again.addon?.status).toBe('ACTIVE');
    const dep = kube.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'kube-system',
      name: 'metrics-server',
    });
    expect((dep?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(managers(dep)).toContain('eks');
  });

  it('fails an update with NONE on a conflict: update Failed with ConfigurationConflict, add-on DEGRADED', async () => {
    const kube = kubeOf('ml-batch');
    kube.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' },
      'merge',
      { spec: { replicas: 5 } },
      'kubectl-edit',
    );
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-batch',
        addonName: 'coredns',
        addonVersion: 'v1.11.1-eksbuild.13',
        resolveConflicts: 'NONE',
      }),
    );
    await settle('ml-batch', 'coredns');
    const d = await client.send(
      new DescribeUpdateCommand({ name: 'ml-batch', updateId: update!.id!, addonName: 'coredns' }),
    );
    expect(d.update?.status).toBe('Failed');
    expect(d.update?.errors?.[0]).toMatchObject({
      errorCode: 'ConfigurationConflict',
      errorMessage: expect.stringContaining('Deployment.apps coredns - .spec.replicas'),
    });
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'coredns' }),
    );
    expect(addon).toMatchObject({ status: 'DEGRADED', addonVersion: 'v1.11.1-eksbuild.13' });
  });

  it('deletes an add-on and its workloads; with preserve the workloads stay', async () => {
    await client.send(
      new CreateAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
    );
    await client.send(
      new CreateAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-mountpoint-s3-csi-driver' }),
    );
    await eks.settled();
    const kube = kubeOf('ml-edge');
    const fsx = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: 'fsx.csi.aws.com' };
    const s3 = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: 's3.csi.aws.com' };
    expect(kube.get(fsx)).toBeDefined();
    expect(kube.get(s3)).toBeDefined();
    const deleting = await client.send(
      new DeleteAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
    );
    expect(deleting.addon?.status).toBe('DELETING');
    const inUse = await rejection(
      strict.send(
        new DeleteAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
      ),
    );
    expect(inUse.name).toBe('ResourceInUseException');
    await client.send(
      new DeleteAddonCommand({
        clusterName: 'ml-edge',
        addonName: 'aws-mountpoint-s3-csi-driver',
        preserve: true,
      }),
    );
    await eks.settled();
    const gone = await rejection(
      strict.send(
        new DescribeAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
      ),
    );
    expect([gone.name, gone.$metadata.httpStatusCode, gone.message]).toEqual([
      'ResourceNotFoundException',
      404,
      'No addon: aws-fsx-csi-driver found in cluster: ml-edge',
    ]);
    expect(kube.get(fsx)).toBeUndefined();
    expect(
      kube.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'fsx-csi-node',
      }),
    ).toBeUndefined();
    expect(kube.get(s3)).toBeDefined();
    expect(
      kube.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 's3-csi-node',
      }),
    ).toBeDefined();
    expect((await client.send(new ListAddonsCommand({ clusterName: 'ml-edge' }))).addons).toEqual(
      [],
    );
  });

  it('ends a create CREATE_FAILED when a failure is scripted for that version', async () => {
    eks.failOn({
      addonName: 'vpc-cni',
      addonVersion: 'v1.19.2-eksbuild.1',
      kind: 'create',
      outcome: 'CREATE_FAILED',
      issue: { code: 'AccessDenied', message: 'The role given is not authorized' },
      times: 1,
    });
    await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-edge',
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.2-eksbuild.1',
      }),
    );
    const waited = await waitUntilAddonActive(
      { client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { clusterName: 'ml-edge', addonName: 'vpc-cni' },
    ).catch((e: Error) => e);
    expect(String(waited)).toMatch(/FAILURE/);
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-edge', addonName: 'vpc-cni' }),
    );
    expect(addon).toMatchObject({
      status: 'CREATE_FAILED',
      health: { issues: [{ code: 'AccessDenied', message: 'The role given is not authorized' }] },
    });
  });
});

describe('add-on errors', () => {
  it('refuses creating an add-on that exists (409)', async () => {
    const e = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: INFERENCE,
          configurationValues: inferenceConfig(),
        }),
      ),
    );
    expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual([
      'ResourceInUseException',
      409,
      'Addon already exists.',
    ]);
    expect(e['addonName']).toBe(INFERENCE);
  });

  it("refuses a version not compatible with the cluster's Kubernetes version, an unknown version and an unknown add-on", async () => {
    const old = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-edge',
          addonName: INFERENCE,
          addonVersion: 'v1.0.0-eksbuild.1',
          configurationValues: inferenceConfig(),
        }),
      ),
    );
    expect(old.name).toBe('InvalidParameterException');
    expect(old.message).toContain('1.33');
    const unknownVersion = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'coredns',
          addonVersion: 'v0.0.1-eksbuild.1',
        }),
      ),
    );
    expect(unknownVersion.name).toBe('InvalidParameterException');
    const unknown = await rejection(
      strict.send(new CreateAddonCommand({ clusterName: 'ml-prod', addonName: 'not-an-addon' })),
    );
    expect([unknown.name, unknown.message]).toEqual([
      'InvalidParameterException',
      'Addon not-an-addon specified is not supported in 1.31 kubernetes version',
    ]);
    const noVersionFor133 = await rejection(
      strict.send(new CreateAddonCommand({ clusterName: 'ml-edge', addonName: 'adot' })),
    );
    expect(noVersionFor133.name).toBe('InvalidParameterException');
  });

  it('refuses resolveConflicts PRESERVE on create', async () => {
    const e = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'kube-proxy',
          resolveConflicts: 'PRESERVE',
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterException');
    expect(e.message).toMatch(/PRESERVE/);
  });

  it("refuses configurationValues that do not parse or do not match the version's schema", async () => {
    const notYaml = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'kube-proxy',
          configurationValues: '{"mode": ',
        }),
      ),
    );
    expect(notYaml.name).toBe('InvalidParameterException');
    expect(notYaml.message).toMatch(/^ConfigurationValue provided in request is not supported: /);
    const wrongType = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'metrics-server',
          configurationValues: 'replicas: "three"\n',
        }),
      ),
    );
    expect(wrongType.message).toContain(
      'Json schema validation failed with error: [$.replicas: string found, integer expected]',
    );
    const unknownKey = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-prod',
          addonName: 'metrics-server',
          configurationValues: '{"replicaCount": 3}',
        }),
      ),
    );
    expect(unknownKey.message).toContain(
      '$.replicaCount: is not defined in the schema and the schema does not allow additional properties',
    );
    const missing = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-batch',
          addonName: INFERENCE,
          addonVersion: 'v1.1.0-eksbuild.1',
        }),
      ),
    );
    expect(missing.message).toContain("$: required property 'executionRoleArn' not found");
    const badRole = await rejection(
      strict.send(
        new UpdateAddonCommand({
          clusterName: 'ml-prod',
          addonName: INFERENCE,
          configurationValues: inferenceConfig({
            executionRoleArn: `arn:aws:iam::${acct}:role/my-inference-role`,
          }),
        }),
      ),
    );
    expect(badRole.name).toBe('InvalidParameterException');
    expect(badRole.message).toContain('$.executionRoleArn: does not match the regex pattern');
  });

  it('refuses add-on changes on a cluster that is not ACTIVE', async () => {
    const e = await rejection(
      strict.send(new CreateAddonCommand({ clusterName: 'ml-upgrading', addonName: 'kube-proxy' })),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['InvalidRequestException', 400]);
  });

  it('answers ResourceNotFoundException for unknown add-ons and updates', async () => {
    for (const cmd of [
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: 'vpc-cni' }),
      new UpdateAddonCommand({
        clusterName: 'ml-prod',
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.2-eksbuild.1',
      }),
      new DeleteAddonCommand({ clusterName: 'ml-prod', addonName: 'vpc-cni' }),
      new ListUpdatesCommand({ name: 'ml-prod', addonName: 'vpc-cni' }),
      new ListAddonsCommand({ clusterName: 'nope' }),
    ]) {
      const e = await rejection(strict.send(cmd as never));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    }
    const u = await rejection(
      strict.send(
        new DescribeUpdateCommand({
          name: 'ml-prod',
          updateId: '00000000-0000-0000-0000-000000000000',
          addonName: INFERENCE,
        }),
      ),
    );
    expect([u.name, u.message]).toEqual([
      'ResourceNotFoundException',
      'No update found for ID: 00000000-0000-0000-0000-000000000000',
    ]);
  });

  it('treats a repeated clientRequestToken with the same request as the same call, and refuses it with other parameters', async () => {
    const token = 'retry-token-0001';
    const first = await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.15-eksbuild.4',
        clientRequestToken: token,
      }),
    );
    await settle('ml-legacy', 'kube-proxy');
    const second = await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.15-eksbuild.4',
        clientRequestToken: token,
      }),
    );
    expect(second.addon?.addonArn).toBe(first.addon?.addonArn);
    expect(second.addon?.status).toBe('CREATING');
    const other = await rejection(
      strict.send(
        new CreateAddonCommand({
          clusterName: 'ml-legacy',
          addonName: 'kube-proxy',
          addonVersion: 'v1.28.17-eksbuild.2',
          clientRequestToken: token,
        }),
      ),
    );
    expect(other.name).toBe('InvalidParameterException');
    const u1 = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.17-eksbuild.2',
        clientRequestToken: 'upd-1',
      }),
    );
    const u2 = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'kube-proxy',
        addonVersion: 'v1.28.17-eksbuild.2',
        clientRequestToken: 'upd-1',
      }),
    );
    expect(u2.update?.id).toBe(u1.update?.id);
    await settle('ml-legacy', 'kube-proxy');
    expect(
      (await client.send(new ListUpdatesCommand({ name: 'ml-legacy', addonName: 'kube-proxy' })))
        .updateIds,
    ).toEqual([u1.update?.id]);
  });

  it('passes throttling from the fault knobs through as ThrottlingException (429)', async () => {
    h.faults.set({ throttleRate: 1 });
    try {
      const e = await rejection(strict.send(new ListClustersCommand({})));
      expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ThrottlingException', 429]);
    } finally {
      h.faults.set({ throttleRate: 0 });
    }
  });

  it('refuses an unsigned request (403 MissingAuthenticationTokenException) and a wrong secret (InvalidSignatureException)', async () => {
    const res = await fetch(`${h.endpoint}/clusters`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const wrong = new EKSClient({
      ...h.clientConfig(REGION),
      credentials: { accessKeyId: h.accounts[0]!.accessKeyId, secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    const e = await rejection(wrong.send(new ListClustersCommand({})));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['InvalidSignatureException', 403]);
  });

  it('answers malformed bodies, wrong member types and bad paging input with 400s, never a crash', async () => {
    const base = {
      endpoint: h.endpoint,
      service: 'eks',
      region: REGION,
      credentials: h.credentials(),
    };
    const badJson = await signedFetch({
      ...base,
      method: 'POST',
      path: '/clusters/ml-prod/addons',
      headers: { 'content-type': 'application/json' },
      body: '{"addonName": ',
    });
    expect([badJson.status, badJson.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'BadRequestException',
    ]);
    expect(JSON.parse(badJson.text)).toHaveProperty('message');
    const wrongType = await signedFetch({
      ...base,
      method: 'POST',
      path: '/clusters/ml-prod/addons',
      headers: { 'content-type': 'application/json' },
      body: '{"addonName": 42}',
    });
    expect([wrongType.status, wrongType.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const noName = await signedFetch({
      ...base,
      method: 'POST',
      path: '/clusters/ml-prod/addons',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([noName.status, noName.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const badMax = await signedFetch({
      ...base,
      method: 'GET',
      path: '/clusters',
      query: { maxResults: '500' },
    });
    expect([badMax.status, badMax.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const badToken = await signedFetch({
      ...base,
      method: 'GET',
      path: '/clusters',
      query: { nextToken: 'garbage' },
    });
    expect([badToken.status, badToken.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const badPreserve = await signedFetch({
      ...base,
      method: 'DELETE',
      path: `/clusters/ml-prod/addons/${INFERENCE}`,
      query: { preserve: 'maybe' },
    });
    expect([badPreserve.status, badPreserve.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
    const unknownRoute = await signedFetch({
      ...base,
      method: 'GET',
      path: '/clusters/ml-prod/nodegroups-nope',
    });
    expect(unknownRoute.status).toBe(404);
    const noSchemaParams = await signedFetch({
      ...base,
      method: 'GET',
      path: '/addons/configuration-schemas',
    });
    expect([noSchemaParams.status, noSchemaParams.headers.get('x-amzn-errortype')]).toEqual([
      400,
      'InvalidParameterException',
    ]);
  });
});

describe('seeding and snapshots', () => {
  it('seeds an add-on with its workloads and health, and shows it in the snapshot', async () => {
    addCluster('seeded', '1.32');
    eks.seedAddon({
      accountId: acct,
      region: REGION,
      clusterName: 'seeded',
      addonName: 'cert-manager',
      addonVersion: 'v1.18.2-eksbuild.2',
      status: 'DEGRADED',
      health: [
        {
          code: 'InsufficientNumberOfReplicas',
          message:
            "The add-on is unhealthy because it doesn't have the desired number of replicas.",
        },
      ],
    });
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'seeded', addonName: 'cert-manager' }),
    );
    expect(addon).toMatchObject({
      status: 'DEGRADED',
      addonVersion: 'v1.18.2-eksbuild.2',
      health: { issues: [{ code: 'InsufficientNumberOfReplicas' }] },
    });
    expect(
      kubeOf('seeded').get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'cert-manager',
        name: 'cert-manager-webhook',
      }),
    ).toBeDefined();
    const snap = JSON.parse(JSON.stringify(eks.snapshot())) as {
      clusters: { name: string; addons: { addonName: string; status: string }[] }[];
    };
    expect(snap.clusters.find((c) => c.name === 'seeded')?.addons).toEqual([
      expect.objectContaining({ addonName: 'cert-manager', status: 'DEGRADED' }),
    ]);
  });
});
