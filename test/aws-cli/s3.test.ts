/**
 * The sandbox's S3 through the aws CLI (`aws s3api`, path-style for an IP --endpoint-url).
 */
import { S3Service } from '@hyperpod/sandbox/testing';
import { runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';

const BUCKET = 'hyperpod-tls-certs-111111111111';
let h: AwsHarness<{ s3: S3Service }>;
beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ s3: new S3Service(ctx) }));
  h.services.s3.seedBucket({ accountId: '111111111111', region: 'us-west-2', name: BUCKET });
  h.services.s3.seedObject(BUCKET, 'inference/tls/tls.crt', { 'managed-by': 'helm' });
  h.services.s3.seedObject(BUCKET, 'inference/tls/tls.key');
});
afterAll(() => h.stop());

const aws = (...args: string[]) => runAws(h, args, { region: 'us-west-2' });

test('head-bucket, head-object, list-objects-v2 and get-object-tagging', async () => {
  const [bucket, missingBucket, head, list, tags] = await Promise.all([
    aws('s3api', 'head-bucket', '--bucket', BUCKET),
    aws('s3api', 'head-bucket', '--bucket', 'no-such-bucket-here'),
    aws('s3api', 'head-object', '--bucket', BUCKET, '--key', 'inference/tls/tls.crt'),
    aws('s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'inference/'),
    aws('s3api', 'get-object-tagging', '--bucket', BUCKET, '--key', 'inference/tls/tls.crt'),
  ]);
  expect(bucket.code).toBe(0);
  expect(bucket.json).toMatchObject({ BucketRegion: 'us-west-2' });
  expect(missingBucket.code).toBeGreaterThan(0);
  expect(missingBucket.stderr).toContain('(404)');
  expect(head.json).toMatchObject({
    ContentType: 'application/x-pem-file',
    ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
  });
  expect(list.json.Contents.map((c: { Key: string }) => c.Key)).toEqual([
    'inference/tls/tls.crt',
    'inference/tls/tls.key',
  ]);
  expect(tags.json).toEqual({ TagSet: [{ Key: 'managed-by', Value: 'helm' }] });
});

test('put-object-tagging then delete-object-tagging', async () => {
  const putTagging = (key: string, tagSet: string) =>
    aws('s3api', 'put-object-tagging', '--bucket', BUCKET, '--key', key, '--tagging', tagSet);
  const put = await putTagging(
    'inference/tls/tls.key',
    'TagSet=[{Key=managed-by,Value=eks-addon},{Key=migrated,Value=true}]',
  );
  expect(put.code).toBe(0);
  expect(
    (h.services.s3.snapshot() as Record<string, { objects: Record<string, { tags: unknown }> }>)[
      BUCKET
    ]!.objects['inference/tls/tls.key']!.tags,
  ).toEqual({
    'managed-by': 'eks-addon',
    migrated: 'true',
  });
  const [del, tooMany] = await Promise.all([
    aws('s3api', 'delete-object-tagging', '--bucket', BUCKET, '--key', 'inference/tls/tls.crt'),
    putTagging(
      'inference/tls/tls.key',
      `TagSet=[${Array.from({ length: 11 }, (_, i) => `{Key=k${i},Value=v}`).join(',')}]`,
    ),
  ]);
  expect(del.code).toBe(0);
  expect(tooMany.code).toBeGreaterThan(0);
  expect(tooMany.stderr).toContain('(InvalidTag)');
  expect(
    (await aws('s3api', 'get-object-tagging', '--bucket', BUCKET, '--key', 'inference/tls/tls.crt'))
      .json,
  ).toEqual({ TagSet: [] });
});
