/**
 * The SageMaker operations the product uses: the HyperPod clusters of an account and region and
 * the EKS cluster each is orchestrated by (how a HyperPod cluster is told from a plain EKS one).
 * Adapters: AwsSdkSageMakerGateway (core-node), InMemorySageMakerGateway (tests).
 */

export interface HyperPodClusterSummary {
  name: string;
  arn: string;
  status: string;
  /** ISO-8601. */
  createdAt?: string;
}

export interface HyperPodCluster extends HyperPodClusterSummary {
  /** Undefined for a Slurm-orchestrated cluster. */
  eksClusterArn?: string;
}

export interface SageMakerGateway {
  readonly region: string;
  listHyperPodClusters(): Promise<HyperPodClusterSummary[]>;
  /** By name or ARN; NotFound when there is none. */
  describeHyperPodCluster(nameOrArn: string): Promise<HyperPodCluster>;
}
