/** S3Gateway on the AWS SDK v3 S3 client. */
import type { S3Client } from '@aws-sdk/client-s3';
import { GatewayError, type BucketHead, type S3Gateway } from '@hyperpod/core';
import { lazyClient, recordToTags, tagsToRecord, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type S3Sdk = typeof import('@aws-sdk/client-s3');
let sdkModule: Promise<S3Sdk> | undefined;
const loadSdk = (): Promise<S3Sdk> => (sdkModule ??= import('@aws-sdk/client-s3'));

export class AwsSdkS3Gateway implements S3Gateway {
  readonly region: string;
  private readonly client: () => Promise<S3Client>;

  constructor(client: ClientSource<S3Client>, opts: { region: string }) {
    this.client = lazyClient(client);
    this.region = opts.region;
  }

  async headBucket(bucket: string): Promise<BucketHead> {
    try {
      return await this.call('HeadBucket', async (c, sdk) => {
        const out = await c.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
        return {
          access: 'exists' as const,
          ...(out.BucketRegion ? { region: out.BucketRegion } : {}),
        };
      });
    } catch (e) {
      // HEAD answers carry no body, so the SDK names them by status: NotFound (404), Forbidden (403).
      if (e instanceof GatewayError && e.kind === 'NotFound') return { access: 'missing' };
      if (e instanceof GatewayError && e.kind === 'AccessDenied') return { access: 'forbidden' };
      throw e;
    }
  }

  async getObjectTagging(bucket: string, key: string): Promise<Record<string, string>> {
    return this.call('GetObjectTagging', async (c, sdk) => {
      const out = await c.send(new sdk.GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return tagsToRecord(out.TagSet);
    });
  }

  async putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    await this.call('PutObjectTagging', (c, sdk) =>
      c.send(
        new sdk.PutObjectTaggingCommand({
          Bucket: bucket,
          Key: key,
          Tagging: { TagSet: recordToTags(tags) },
        }),
      ),
    );
  }

  async deleteObjectTagging(bucket: string, key: string): Promise<void> {
    await this.call('DeleteObjectTagging', (c, sdk) =>
      c.send(new sdk.DeleteObjectTaggingCommand({ Bucket: bucket, Key: key })),
    );
  }

  private async call<T>(
    operation: string,
    run: (client: S3Client, sdk: S3Sdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 's3', operation);
    }
  }
}
