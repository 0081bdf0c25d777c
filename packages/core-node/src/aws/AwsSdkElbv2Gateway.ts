/** Elbv2Gateway on the AWS SDK v3 Elastic Load Balancing v2 client. */
import type {
  ElasticLoadBalancingV2Client,
  LoadBalancer as SdkLoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Elbv2Gateway, LoadBalancer, LoadBalancerQuery } from '@hyperpod/core';
import { isoDate, lazyClient, recordToTags, tagsToRecord, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type Elbv2Sdk = typeof import('@aws-sdk/client-elastic-load-balancing-v2');
let sdkModule: Promise<Elbv2Sdk> | undefined;
const loadSdk = (): Promise<Elbv2Sdk> =>
  (sdkModule ??= import('@aws-sdk/client-elastic-load-balancing-v2'));

/** DescribeTags and ARN lookups take at most 20 ARNs per call. */
const ARNS_PER_CALL = 20;

export class AwsSdkElbv2Gateway implements Elbv2Gateway {
  readonly region: string;
  private readonly client: () => Promise<ElasticLoadBalancingV2Client>;

  constructor(client: ClientSource<ElasticLoadBalancingV2Client>, opts: { region: string }) {
    this.client = lazyClient(client);
    this.region = opts.region;
  }

  async describeLoadBalancers(query: LoadBalancerQuery = {}): Promise<LoadBalancer[]> {
    return this.call('DescribeLoadBalancers', async (c, sdk) => {
      const batches: LoadBalancerQuery[] = query.arns?.length
        ? chunks(query.arns, ARNS_PER_CALL).map((arns) => ({ arns }))
        : query.names?.length
          ? chunks(query.names, ARNS_PER_CALL).map((names) => ({ names }))
          : [{}];
      const out: LoadBalancer[] = [];
      for (const b of batches) {
        let marker: string | undefined;
        do {
          const page = await c.send(
            new sdk.DescribeLoadBalancersCommand({
              Names: b.names,
              LoadBalancerArns: b.arns,
              Marker: marker,
            }),
          );
          out.push(...(page.LoadBalancers ?? []).map(toLoadBalancer));
          marker = page.NextMarker;
        } while (marker);
      }
      return out;
    });
  }

  async getTags(arns: string[]): Promise<Record<string, Record<string, string>>> {
    return this.call('DescribeTags', async (c, sdk) => {
      const out: Record<string, Record<string, string>> = {};
      for (const batch of chunks(arns, ARNS_PER_CALL)) {
        const res = await c.send(new sdk.DescribeTagsCommand({ ResourceArns: batch }));
        for (const d of res.TagDescriptions ?? [])
          if (d.ResourceArn) out[d.ResourceArn] = tagsToRecord(d.Tags);
      }
      return out;
    });
  }

  async addTags(arns: string[], tags: Record<string, string>): Promise<void> {
    await this.call('AddTags', async (c, sdk) => {
      for (const batch of chunks(arns, ARNS_PER_CALL))
        await c.send(new sdk.AddTagsCommand({ ResourceArns: batch, Tags: recordToTags(tags) }));
    });
  }

  async removeTags(arns: string[], keys: string[]): Promise<void> {
    await this.call('RemoveTags', async (c, sdk) => {
      for (const batch of chunks(arns, ARNS_PER_CALL))
        await c.send(new sdk.RemoveTagsCommand({ ResourceArns: batch, TagKeys: keys }));
    });
  }

  private async call<T>(
    operation: string,
    run: (client: ElasticLoadBalancingV2Client, sdk: Elbv2Sdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 'elasticloadbalancing', operation);
    }
  }
}

function toLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    name: lb.LoadBalancerName ?? '',
    arn: lb.LoadBalancerArn ?? '',
    dnsName: lb.DNSName ?? '',
    ...(lb.Type ? { type: lb.Type } : {}),
    ...(lb.Scheme ? { scheme: lb.Scheme } : {}),
    ...(lb.State?.Code ? { state: lb.State.Code } : {}),
    ...(lb.VpcId ? { vpcId: lb.VpcId } : {}),
    ...(lb.CreatedTime ? { createdAt: isoDate(lb.CreatedTime) } : {}),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
