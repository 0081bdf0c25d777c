/**
 * The sandbox's EKS clusters, driven by the real @aws-sdk/client-eks: listing and describing them,
 * and add-ons seeded straight into a cluster with their workloads, as scenarios build them.
 */
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import {
  acct,
  addCluster,
  client,
  eks,
  h,
  kubeOf,
  REGION,
  rejection,
  strict,
  useEksSandbox,
} from './eksSandbox';

useEksSandbox();

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
