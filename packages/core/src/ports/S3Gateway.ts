/**
 * The S3 operations the product uses: whether a bucket is there for us, and the tags of the
 * objects (certificates) the inference operator's TLS setup keeps in it.
 * Adapters: AwsSdkS3Gateway (core-node), InMemoryS3Gateway (tests).
 */

/** `forbidden`: the bucket exists but belongs to someone else or we may not read it. */
export type BucketAccess = 'exists' | 'forbidden' | 'missing';

export interface BucketHead {
  access: BucketAccess;
  /** Known when the bucket exists (S3's x-amz-bucket-region). */
  region?: string;
}

export interface S3Gateway {
  readonly region: string;
  headBucket(bucket: string): Promise<BucketHead>;
  /** NotFound when the bucket or key does not exist. */
  getObjectTagging(bucket: string, key: string): Promise<Record<string, string>>;
  /** Replaces the whole tag set, as S3 does. */
  putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void>;
  deleteObjectTagging(bucket: string, key: string): Promise<void>;
}
