/**
 * The sandbox's SageMaker HyperPod clusters through the aws CLI (`aws sagemaker`).
 */
import { SageMakerService } from '@hyperpod/sandbox/testing';
import { runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';

const EKS_ARN = 'arn:aws:eks:us-west-2:111111111111:cluster/hp-prod-eks';
let h: AwsHarness<{ sagemaker: SageMakerService }>;
let arn: string;
beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ sagemaker: new SageMakerService(ctx) }));
  arn = h.services.sagemaker.seedHyperPodCluster({
    accountId: '111111111111',
    region: 'us-west-2',
    name: 'hp-prod',
    eksClusterArn: EKS_ARN,
  });
});
afterAll(() => h.stop());

test('describe-cluster and list-clusters', async () => {
  const [described, listed, missing] = await Promise.all([
    runAws(h, ['sagemaker', 'describe-cluster', '--cluster-name', 'hp-prod'], {
      region: 'us-west-2',
    }),
    runAws(h, ['sagemaker', 'list-clusters'], { region: 'us-west-2' }),
    runAws(h, ['sagemaker', 'describe-cluster', '--cluster-name', 'hp-missing'], {
      region: 'us-west-2',
    }),
  ]);
  expect(described.json).toMatchObject({
    ClusterArn: arn,
    ClusterName: 'hp-prod',
    ClusterStatus: 'InService',
    Orchestrator: { Eks: { ClusterArn: EKS_ARN } },
  });
  expect(listed.json.ClusterSummaries).toEqual([
    {
      ClusterArn: arn,
      ClusterName: 'hp-prod',
      ClusterStatus: 'InService',
      CreationTime: expect.anything(),
    },
  ]);
  expect(missing.code).toBeGreaterThan(0);
  expect(missing.stderr).toContain('(ResourceNotFound)');
});
