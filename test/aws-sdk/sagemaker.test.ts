/**
 * The sandbox's SageMaker HyperPod clusters through the real AWS SDK v3 SageMaker client (JSON 1.1).
 */
import {
  DescribeClusterCommand,
  ListClustersCommand,
  SageMakerClient,
  paginateListClusters,
} from '@aws-sdk/client-sagemaker';
import { SageMakerService } from '@hyperpod/sandbox/testing';
import { signedFetch } from '../support/signedFetch';
import { startAwsHarness, type AwsHarness, errorOf } from '../support/awsHarness';

type Services = { sagemaker: SageMakerService };
let h: AwsHarness<Services>;
let sm: SageMakerClient;
let prodArn: string;
const EKS_ARN = 'arn:aws:eks:us-west-2:111111111111:cluster/hp-prod-eks';

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ sagemaker: new SageMakerService(ctx) }));
  sm = new SageMakerClient({ ...h.clientConfig('us-west-2'), maxAttempts: 1 });
  prodArn = h.services.sagemaker.seedHyperPodCluster({
    accountId: '111111111111',
    region: 'us-west-2',
    name: 'hp-prod',
    eksClusterArn: EKS_ARN,
  });
  h.services.sagemaker.seedHyperPodCluster({
    accountId: '111111111111',
    region: 'us-west-2',
    name: 'hp-research',
    eksClusterArn: 'arn:aws:eks:us-west-2:111111111111:cluster/hp-research-eks',
  });
  h.services.sagemaker.seedHyperPodCluster({
    accountId: '111111111111',
    region: 'us-west-2',
    name: 'hp-staging',
    eksClusterArn: 'arn:aws:eks:us-west-2:111111111111:cluster/hp-staging-eks',
    status: 'Updating',
  });
});
afterAll(async () => {
  sm.destroy();
  await h.stop();
});

test('DescribeCluster by name and by ARN shows the EKS orchestrator', async () => {
  const byName = await sm.send(new DescribeClusterCommand({ ClusterName: 'hp-prod' }));
  expect(byName.ClusterArn).toBe(prodArn);
  expect(prodArn).toMatch(/^arn:aws:sagemaker:us-west-2:111111111111:cluster\/[a-z0-9]{12}$/);
  expect(byName).toMatchObject({
    ClusterName: 'hp-prod',
    ClusterStatus: 'InService',
    Orchestrator: { Eks: { ClusterArn: EKS_ARN } },
  });
  expect(byName.CreationTime).toBeInstanceOf(Date);
  expect(
    byName.InstanceGroups?.map((g) => [g.InstanceGroupName, g.InstanceType, g.CurrentCount]),
  ).toEqual([
    ['controller-group', 'ml.m5.2xlarge', 1],
    ['gpu-workers', 'ml.g5.8xlarge', 2],
  ]);
  const byArn = await sm.send(new DescribeClusterCommand({ ClusterName: prodArn }));
  expect(byArn.ClusterName).toBe('hp-prod');
});

test('DescribeCluster of a missing cluster is ResourceNotFound; a bad name ValidationException', async () => {
  expect(
    await errorOf(sm.send(new DescribeClusterCommand({ ClusterName: 'hp-missing' }))),
  ).toMatchObject({ name: 'ResourceNotFound', status: 400 });
  const other = new SageMakerClient({ ...h.clientConfig('us-west-2', 1), maxAttempts: 1 });
  expect(
    (await errorOf(other.send(new DescribeClusterCommand({ ClusterName: 'hp-prod' })))).name,
  ).toBe('ResourceNotFound');
  other.destroy();
  expect(
    await errorOf(sm.send(new DescribeClusterCommand({ ClusterName: 'bad_name!' }))),
  ).toMatchObject({ name: 'ValidationException', status: 400 });
});

test('ListClusters sorts, filters and pages with NextToken / MaxResults', async () => {
  const all = await sm.send(new ListClustersCommand({ SortBy: 'NAME', SortOrder: 'Ascending' }));
  expect(all.ClusterSummaries?.map((c) => [c.ClusterName, c.ClusterStatus])).toEqual([
    ['hp-prod', 'InService'],
    ['hp-research', 'InService'],
    ['hp-staging', 'Updating'],
  ]);
  expect(all.ClusterSummaries?.[0]?.CreationTime).toBeInstanceOf(Date);
  const filtered = await sm.send(new ListClustersCommand({ NameContains: 'research' }));
  expect(filtered.ClusterSummaries?.map((c) => c.ClusterName)).toEqual(['hp-research']);
  const names: string[] = [];
  for await (const pg of paginateListClusters(
    { client: sm, pageSize: 1 },
    { SortBy: 'NAME', SortOrder: 'Descending' },
  ))
    names.push(...(pg.ClusterSummaries ?? []).map((c) => c.ClusterName!));
  expect(names).toEqual(['hp-staging', 'hp-research', 'hp-prod']);
  expect(await errorOf(sm.send(new ListClustersCommand({ MaxResults: 101 })))).toMatchObject({
    name: 'ValidationException',
  });
  const eu = new SageMakerClient({ ...h.clientConfig('eu-west-1'), maxAttempts: 1 });
  expect((await eu.send(new ListClustersCommand({}))).ClusterSummaries).toEqual([]);
  eu.destroy();
});

test('bad input on the wire: malformed JSON, missing member, unsigned', async () => {
  const call = (body: string) =>
    signedFetch({
      endpoint: h.endpoint,
      service: 'sagemaker',
      region: 'us-west-2',
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'SageMaker.DescribeCluster',
      },
      body,
      credentials: h.credentials(),
    });
  const bad = await call('not json');
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.text).__type).toBe('SerializationException');
  const missing = await call('{}');
  expect(JSON.parse(missing.text).__type).toBe('ValidationException');
  const unsigned = await fetch(h.endpoint + '/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'SageMaker.ListClusters',
    },
    body: '{}',
  });
  expect(unsigned.status).toBe(400);
  expect(((await unsigned.json()) as { __type: string }).__type).toBe(
    'MissingAuthenticationTokenException',
  );
});
