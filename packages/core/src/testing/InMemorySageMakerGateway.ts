/** SageMakerGateway in memory: HyperPod clusters and the EKS clusters orchestrating them. */
import { GatewayError } from '../ports/GatewayError';
import type {
  HyperPodCluster,
  HyperPodClusterSummary,
  SageMakerGateway,
} from '../ports/SageMakerGateway';
import { FakeFaults } from './FakeFaults';
import { clone } from './clone';
import { compareText } from '../text/compareText';

export class InMemorySageMakerGateway implements SageMakerGateway {
  readonly region: string;
  readonly accountId: string;
  readonly faults = new FakeFaults();
  private readonly clusters: HyperPodCluster[] = [];
  private seq = 0;

  constructor(opts: { region?: string; accountId?: string } = {}) {
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '111111111111';
  }

  seedHyperPodCluster(input: { name: string; eksClusterArn?: string; status?: string }): string {
    const arn = `arn:aws:sagemaker:${this.region}:${this.accountId}:cluster/${(++this.seq).toString(36).padStart(12, '0')}`;
    this.clusters.push({
      name: input.name,
      arn,
      status: input.status ?? 'InService',
      createdAt: new Date().toISOString(),
      ...(input.eksClusterArn ? { eksClusterArn: input.eksClusterArn } : {}),
    });
    return arn;
  }

  async listHyperPodClusters(): Promise<HyperPodClusterSummary[]> {
    this.faults.check('sagemaker', 'ListClusters');
    return [...this.clusters]
      .sort((a, b) => compareText(a.name, b.name))
      .map(({ name, arn, status, createdAt }) => ({
        name,
        arn,
        status,
        ...(createdAt ? { createdAt } : {}),
      }));
  }

  async describeHyperPodCluster(nameOrArn: string): Promise<HyperPodCluster> {
    this.faults.check('sagemaker', 'DescribeCluster');
    if (
      !/^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:\d{12}:cluster\/[a-z0-9]{12}|[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})$/.test(
        nameOrArn,
      )
    ) {
      throw new GatewayError(
        'InvalidParameter',
        `1 validation error detected: Value '${nameOrArn}' at 'clusterName' failed to satisfy constraint`,
        'sagemaker',
        'DescribeCluster',
        'ValidationException',
        400,
      );
    }
    const c = this.clusters.find((x) => x.name === nameOrArn || x.arn === nameOrArn);
    if (!c)
      throw new GatewayError(
        'NotFound',
        `Cluster ${nameOrArn} not found.`,
        'sagemaker',
        'DescribeCluster',
        'ResourceNotFound',
        400,
      );
    return clone(c);
  }
}
