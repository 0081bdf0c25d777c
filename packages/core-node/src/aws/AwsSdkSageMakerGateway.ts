/** SageMakerGateway on the AWS SDK v3 SageMaker client (HyperPod clusters only). */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { HyperPodCluster, HyperPodClusterSummary, SageMakerGateway } from '@hyperpod/core';
import { isoDate, lazyClient, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type SageMakerSdk = typeof import('@aws-sdk/client-sagemaker');
let sdkModule: Promise<SageMakerSdk> | undefined;
const loadSdk = (): Promise<SageMakerSdk> => (sdkModule ??= import('@aws-sdk/client-sagemaker'));

export class AwsSdkSageMakerGateway implements SageMakerGateway {
  readonly region: string;
  private readonly client: () => Promise<SageMakerClient>;
  private readonly pageSize: number;

  /** `pageSize`: MaxResults of ListClusters (1..100, default 100, the fewest calls). */
  constructor(client: ClientSource<SageMakerClient>, opts: { region: string; pageSize?: number }) {
    this.client = lazyClient(client);
    this.pageSize = opts.pageSize ?? 100;
    this.region = opts.region;
  }

  async listHyperPodClusters(): Promise<HyperPodClusterSummary[]> {
    return this.call('ListClusters', async (c, sdk) => {
      const out: HyperPodClusterSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await c.send(
          new sdk.ListClustersCommand({
            NextToken: nextToken,
            MaxResults: this.pageSize,
            SortBy: 'NAME',
            SortOrder: 'Ascending',
          }),
        );
        for (const s of page.ClusterSummaries ?? []) {
          out.push({
            name: s.ClusterName ?? '',
            arn: s.ClusterArn ?? '',
            status: s.ClusterStatus ?? 'Unknown',
            ...(s.CreationTime ? { createdAt: isoDate(s.CreationTime) } : {}),
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return out;
    });
  }

  async describeHyperPodCluster(nameOrArn: string): Promise<HyperPodCluster> {
    return this.call('DescribeCluster', async (c, sdk) => {
      const out = await c.send(new sdk.DescribeClusterCommand({ ClusterName: nameOrArn }));
      return {
        name: out.ClusterName ?? nameOrArn,
        arn: out.ClusterArn ?? '',
        status: out.ClusterStatus ?? 'Unknown',
        ...(out.CreationTime ? { createdAt: isoDate(out.CreationTime) } : {}),
        ...(out.Orchestrator?.Eks?.ClusterArn
          ? { eksClusterArn: out.Orchestrator.Eks.ClusterArn }
          : {}),
      };
    });
  }

  private async call<T>(
    operation: string,
    run: (client: SageMakerClient, sdk: SageMakerSdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 'sagemaker', operation);
    }
  }
}
