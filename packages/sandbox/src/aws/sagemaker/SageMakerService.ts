/**
 * SageMaker (JSON 1.1, target prefix `SageMaker`): HyperPod clusters orchestrated by EKS, as
 * DescribeCluster and ListClusters show them. That link (Orchestrator.Eks.ClusterArn) is how the
 * product tells a HyperPod cluster from a plain EKS cluster.
 */
import { JsonProtocolService, type JsonOperation } from '../protocols/JsonProtocolService';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { hex, lowerAlnum } from '../protocols/ids';
import {
  epochSeconds,
  optInt,
  optString,
  reqString,
  validationException,
  type JsonObject,
} from '../protocols/jsonProtocol';
import { decodeToken, page } from '../protocols/pagination';
import { AwsError, type AwsRequest } from '../types';

const NAME_OR_ARN_RE =
  /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:cluster\/[a-z0-9]{12})$|^([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})$/;
const CLUSTER_STATUSES = new Set([
  'Creating',
  'Deleting',
  'Failed',
  'InService',
  'RollingBack',
  'SystemUpdating',
  'Updating',
]);

export interface HyperPodInstanceGroup {
  name: string;
  instanceType: string;
  count: number;
}

interface Cluster {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  status: string;
  creationTime: Date;
  eksClusterArn: string;
  instanceGroups: HyperPodInstanceGroup[];
  executionRole: string;
  securityGroupId: string;
  subnetId: string;
}

export interface SeedHyperPodClusterInput {
  accountId: string;
  region: string;
  name: string;
  eksClusterArn: string;
  status?: string;
  instanceGroups?: HyperPodInstanceGroup[];
}

export class SageMakerService extends JsonProtocolService implements Snapshottable {
  readonly signingName = 'sagemaker';
  protected readonly targetPrefix = 'SageMaker';
  private readonly clusters = new Map<string, Cluster>();

  constructor(private readonly ctx: ServiceContext) {
    super();
  }

  protected readonly operations: Record<string, JsonOperation> = {
    DescribeCluster: (req, body) => {
      const nameOrArn = reqString(body, 'ClusterName');
      if (!NAME_OR_ARN_RE.test(nameOrArn)) {
        throw validationException(
          `1 validation error detected: Value '${nameOrArn}' at 'clusterName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:cluster/[a-z0-9]{12})|([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})`,
        );
      }
      const c = this.inScope(req).find((x) => x.name === nameOrArn || x.arn === nameOrArn);
      if (!c) throw new AwsError('ResourceNotFound', `Cluster ${nameOrArn} not found.`, 400);
      return { body: describe(c) };
    },
    ListClusters: (req, body) => {
      const max = optInt(body, 'MaxResults', 1, 100) ?? 10;
      const start = decodeToken(optString(body, 'NextToken'));
      if (start === undefined) throw validationException('The provided NextToken is not valid.');
      const nameContains = optString(body, 'NameContains');
      const sortBy = optString(body, 'SortBy') ?? 'CREATION_TIME';
      const sortOrder = optString(body, 'SortOrder') ?? 'Descending';
      if (sortBy !== 'CREATION_TIME' && sortBy !== 'NAME') {
        throw validationException(
          `1 validation error detected: Value '${sortBy}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [NAME, CREATION_TIME]`,
        );
      }
      if (sortOrder !== 'Ascending' && sortOrder !== 'Descending') {
        throw validationException(
          `1 validation error detected: Value '${sortOrder}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]`,
        );
      }
      const list = this.inScope(req)
        .filter((c) => (nameContains ? c.name.includes(nameContains) : true))
        .sort((a, b) =>
          sortBy === 'NAME'
            ? a.name.localeCompare(b.name)
            : a.creationTime.getTime() - b.creationTime.getTime() || a.name.localeCompare(b.name),
        );
      if (sortOrder === 'Descending') list.reverse();
      const pg = page(list, start, max);
      return {
        body: {
          ClusterSummaries: pg.items.map((c) => ({
            ClusterArn: c.arn,
            ClusterName: c.name,
            CreationTime: epochSeconds(c.creationTime),
            ClusterStatus: c.status,
          })),
          ...(pg.next ? { NextToken: pg.next } : {}),
        },
      };
    },
  };

  /** A HyperPod cluster orchestrated by the EKS cluster `eksClusterArn`; returns its ARN. */
  seedHyperPodCluster(input: SeedHyperPodClusterInput): string {
    const status = input.status ?? 'InService';
    if (!CLUSTER_STATUSES.has(status))
      throw new Error(`sagemaker.seedHyperPodCluster: unknown status ${status}`);
    if (
      [...this.clusters.values()].some(
        (c) =>
          c.accountId === input.accountId && c.region === input.region && c.name === input.name,
      )
    ) {
      throw new Error(
        `sagemaker.seedHyperPodCluster: ${input.name} already exists in ${input.accountId}/${input.region}`,
      );
    }
    const arn = `arn:aws:sagemaker:${input.region}:${input.accountId}:cluster/${lowerAlnum(12)}`;
    this.clusters.set(arn, {
      accountId: input.accountId,
      region: input.region,
      name: input.name,
      arn,
      status,
      creationTime: new Date(),
      eksClusterArn: input.eksClusterArn,
      instanceGroups: input.instanceGroups ?? [
        { name: 'controller-group', instanceType: 'ml.m5.2xlarge', count: 1 },
        { name: 'gpu-workers', instanceType: 'ml.g5.8xlarge', count: 2 },
      ],
      executionRole: `arn:aws:iam::${input.accountId}:role/sagemaker-hyperpod-${input.name}-exec`,
      securityGroupId: `sg-${hex(17)}`,
      subnetId: `subnet-${hex(17)}`,
    });
    return arn;
  }

  snapshot(): unknown {
    return Object.fromEntries(
      [...this.clusters.values()].map((c) => [
        c.arn,
        {
          name: c.name,
          accountId: c.accountId,
          region: c.region,
          status: c.status,
          eksClusterArn: c.eksClusterArn,
          instanceGroups: c.instanceGroups.map((g) => ({ ...g })),
        },
      ]),
    );
  }

  private inScope(req: AwsRequest): Cluster[] {
    return [...this.clusters.values()].filter(
      (c) => c.accountId === req.accountId && c.region === req.region,
    );
  }
}

function describe(c: Cluster): JsonObject {
  return {
    ClusterArn: c.arn,
    ClusterName: c.name,
    ClusterStatus: c.status,
    CreationTime: epochSeconds(c.creationTime),
    InstanceGroups: c.instanceGroups.map((g) => ({
      CurrentCount: c.status === 'InService' ? g.count : 0,
      TargetCount: g.count,
      InstanceGroupName: g.name,
      InstanceType: g.instanceType,
      LifeCycleConfig: {
        SourceS3Uri: `s3://sagemaker-hyperpod-lifecycle-${c.accountId}/${c.name}/`,
        OnCreate: 'on_create.sh',
      },
      ExecutionRole: c.executionRole,
      ThreadsPerCore: 1,
      InstanceStorageConfigs: [{ EbsVolumeConfig: { VolumeSizeInGB: 500 } }],
      Status: c.status === 'InService' ? 'InService' : 'Creating',
    })),
    VpcConfig: { SecurityGroupIds: [c.securityGroupId], Subnets: [c.subnetId] },
    Orchestrator: { Eks: { ClusterArn: c.eksClusterArn } },
    NodeRecovery: 'Automatic',
  };
}
