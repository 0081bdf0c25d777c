/** S3Gateway in memory: buckets (ours or someone else's) and object tags. */
import { GatewayError } from '../ports/GatewayError';
import type { BucketHead, S3Gateway } from '../ports/S3Gateway';
import { FakeFaults } from './FakeFaults';

interface Bucket {
  region: string;
  /** Another account's bucket: HeadBucket says forbidden, object calls are denied. */
  foreign: boolean;
  objects: Map<string, Record<string, string>>;
}

export class InMemoryS3Gateway implements S3Gateway {
  readonly region: string;
  readonly faults = new FakeFaults();
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: { region?: string } = {}) {
    this.region = opts.region ?? 'us-east-1';
  }

  seedBucket(name: string, opts: { region?: string; foreign?: boolean } = {}): void {
    this.buckets.set(name, {
      region: opts.region ?? this.region,
      foreign: opts.foreign ?? false,
      objects: new Map(),
    });
  }

  seedObject(bucket: string, key: string, tags: Record<string, string> = {}): void {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`InMemoryS3Gateway: no bucket ${bucket}`);
    b.objects.set(key, { ...tags });
  }

  async headBucket(bucket: string): Promise<BucketHead> {
    this.faults.check('s3', 'HeadBucket');
    const b = this.buckets.get(bucket);
    if (!b) return { access: 'missing' };
    if (b.foreign) return { access: 'forbidden' };
    return { access: 'exists', region: b.region };
  }

  async getObjectTagging(bucket: string, key: string): Promise<Record<string, string>> {
    this.faults.check('s3', 'GetObjectTagging');
    return { ...this.object(bucket, key, 'GetObjectTagging') };
  }

  async putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    this.faults.check('s3', 'PutObjectTagging');
    this.object(bucket, key, 'PutObjectTagging');
    if (Object.keys(tags).length > 10)
      throw new GatewayError(
        'InvalidParameter',
        'Object tags cannot be greater than 10',
        's3',
        'PutObjectTagging',
        'InvalidTag',
        400,
      );
    this.buckets.get(bucket)!.objects.set(key, { ...tags });
  }

  async deleteObjectTagging(bucket: string, key: string): Promise<void> {
    this.faults.check('s3', 'DeleteObjectTagging');
    this.object(bucket, key, 'DeleteObjectTagging');
    this.buckets.get(bucket)!.objects.set(key, {});
  }

  private object(bucket: string, key: string, operation: string): Record<string, string> {
    const b = this.buckets.get(bucket);
    if (!b)
      throw new GatewayError(
        'NotFound',
        'The specified bucket does not exist',
        's3',
        operation,
        'NoSuchBucket',
        404,
      );
    if (b.foreign)
      throw new GatewayError('AccessDenied', 'Access Denied', 's3', operation, 'AccessDenied', 403);
    const o = b.objects.get(key);
    if (!o)
      throw new GatewayError(
        'NotFound',
        'The specified key does not exist.',
        's3',
        operation,
        'NoSuchKey',
        404,
      );
    return o;
  }
}
