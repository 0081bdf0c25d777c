/**
 * The sandbox's S3 through the real AWS SDK v3 S3 client (REST-XML, path-style for an IP endpoint).
 */
import {
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { S3Service } from '@hyperpod/sandbox/testing';
import { signedFetch } from '../support/signedFetch';
import { startAwsHarness, type AwsHarness, errorOf } from '../support/awsHarness';

type Services = { s3: S3Service };
let h: AwsHarness<Services>;
let s3: S3Client;
const BUCKET = 'hyperpod-tls-certs-111111111111';

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ s3: new S3Service(ctx) }));
  s3 = new S3Client({ ...h.clientConfig('us-west-2'), forcePathStyle: true, maxAttempts: 1 });
  h.services.s3.seedBucket({ accountId: '111111111111', region: 'us-west-2', name: BUCKET });
  h.services.s3.seedBucket({
    accountId: '222222222222',
    region: 'us-west-2',
    name: 'dev-private-bucket',
  });
  h.services.s3.seedObject(BUCKET, 'inference/tls/tls.crt', { 'managed-by': 'helm' });
  h.services.s3.seedObject(BUCKET, 'inference/tls/tls.key');
  h.services.s3.seedObject(BUCKET, 'inference/ca/ca.crt');
  h.services.s3.seedObject(BUCKET, 'README.md', {}, '# certs\n', 'text/markdown');
});
afterAll(async () => {
  s3.destroy();
  await h.stop();
});

const tagsOf = async (key: string): Promise<Tag[] | undefined> =>
  (await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }))).TagSet;
const putTags = (key: string, TagSet: Tag[]) =>
  s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: key, Tagging: { TagSet } }));

test('HeadBucket: 200 with the region for an own bucket, 404 for a missing one, 403 for another account', async () => {
  const own = await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
  expect(own.$metadata.httpStatusCode).toBe(200);
  expect(own.BucketRegion).toBe('us-west-2');
  expect(
    await errorOf(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-anywhere' }))),
  ).toMatchObject({ name: 'NotFound', status: 404 });
  expect(
    await errorOf(s3.send(new HeadBucketCommand({ Bucket: 'dev-private-bucket' }))),
  ).toMatchObject({ status: 403 });
});

test('PutObjectTagging replaces the tag set; GetObjectTagging reads it; DeleteObjectTagging clears it', async () => {
  const key = 'inference/tls/tls.crt';
  expect(await tagsOf(key)).toEqual([{ Key: 'managed-by', Value: 'helm' }]);
  const migrated = [
    { Key: 'managed-by', Value: 'eks-addon' },
    { Key: 'migrated-from', Value: 'hyperpod-inference-operator 2.2.2' },
  ];
  await putTags(key, migrated);
  expect(await tagsOf(key)).toEqual(migrated);
  const del = await s3.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
  expect(del.$metadata.httpStatusCode).toBe(204);
  expect(await tagsOf(key)).toEqual([]);
});

test('tagging refuses more than 10 tags and duplicate keys with InvalidTag', async () => {
  const key = 'inference/tls/tls.key';
  const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  expect(await errorOf(putTags(key, eleven))).toMatchObject({
    name: 'InvalidTag',
    status: 400,
    message: 'Object tags cannot be greater than 10',
  });
  const dup = await errorOf(
    putTags(key, [
      { Key: 'a', Value: '1' },
      { Key: 'a', Value: '2' },
    ]),
  );
  expect(dup).toMatchObject({
    name: 'InvalidTag',
    message: 'Cannot provide multiple Tags with the same key',
  });
  expect(await tagsOf(key)).toEqual([]);
});

test('missing buckets and keys are NoSuchBucket / NoSuchKey; another account is AccessDenied', async () => {
  expect(
    await errorOf(
      s3.send(new GetObjectTaggingCommand({ Bucket: 'no-such-bucket-anywhere', Key: 'x' })),
    ),
  ).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  expect(
    await errorOf(s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'nope.crt' }))),
  ).toMatchObject({ name: 'NoSuchKey', status: 404 });
  expect(
    await errorOf(
      s3.send(
        new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'nope.crt', Tagging: { TagSet: [] } }),
      ),
    ),
  ).toMatchObject({ name: 'NoSuchKey' });
  expect(
    await errorOf(s3.send(new GetObjectTaggingCommand({ Bucket: 'dev-private-bucket', Key: 'x' }))),
  ).toMatchObject({ name: 'AccessDenied', status: 403 });
});

test('HeadObject returns size, ETag and content type; a missing key is NotFound', async () => {
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'README.md' }));
  expect(head.ContentLength).toBe(8);
  expect(head.ContentType).toBe('text/markdown');
  expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(head.LastModified).toBeInstanceOf(Date);
  expect(
    await errorOf(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' }))),
  ).toMatchObject({ name: 'NotFound', status: 404 });
});

test('ListObjectsV2 lists by prefix, groups by delimiter and pages with continuation tokens', async () => {
  const tls = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'inference/tls/' }));
  expect(tls.Contents?.map((c) => c.Key)).toEqual([
    'inference/tls/tls.crt',
    'inference/tls/tls.key',
  ]);
  expect(tls.KeyCount).toBe(2);
  expect(tls.IsTruncated).toBe(false);
  const top = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
  expect(top.Contents?.map((c) => c.Key)).toEqual(['README.md']);
  expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['inference/']);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const pg = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 3, ContinuationToken: token }),
    );
    keys.push(...(pg.Contents ?? []).map((c) => c.Key!));
    token = pg.NextContinuationToken;
  } while (token);
  expect(keys).toEqual([
    'README.md',
    'inference/ca/ca.crt',
    'inference/tls/tls.crt',
    'inference/tls/tls.key',
  ]);
});

test('PutObject with a tagging header and GetObject round-trip', async () => {
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'backup/plan.json',
      Body: '{"steps":[]}',
      ContentType: 'application/json',
      Tagging: 'kind=backup&run=42',
    }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'backup/plan.json' }));
  expect(await got.Body!.transformToString()).toBe('{"steps":[]}');
  expect(got.TagCount).toBe(2);
  expect(await tagsOf('backup/plan.json')).toEqual([
    { Key: 'kind', Value: 'backup' },
    { Key: 'run', Value: '42' },
  ]);
});

describe('bad input on the wire', () => {
  const put = (body: string, headers: Record<string, string> = {}) =>
    signedFetch({
      endpoint: h.endpoint,
      service: 's3',
      region: 'us-west-2',
      method: 'PUT',
      path: `/${BUCKET}/README.md`,
      query: { tagging: '' },
      headers: { 'content-type': 'application/xml', ...headers },
      body,
      credentials: h.credentials(),
    });

  test('malformed tagging XML is MalformedXML', async () => {
    for (const body of [
      '<Tagging><TagSet><Tag><Key>a</Key>',
      '{"TagSet":[]}',
      '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>',
      '',
    ]) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(res.text).toContain('<Code>MalformedXML</Code>');
    }
  });

  test('an aws-chunked body with a trailing CRC32 is decoded', async () => {
    const xml =
      '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>chunked</Key><Value>yes</Value></Tag></TagSet></Tagging>';
    const { crc32 } = (await import('node:zlib')) as unknown as { crc32: (b: Buffer) => number };
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc32(Buffer.from(xml)) >>> 0);
    const body = `${Buffer.byteLength(xml).toString(16)}\r\n${xml}\r\n0\r\nx-amz-checksum-crc32:${sum.toString('base64')}\r\n\r\n`;
    const res = await put(body, {
      'content-encoding': 'aws-chunked',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': String(Buffer.byteLength(xml)),
    });
    expect(res.status).toBe(200);
    expect(await tagsOf('README.md')).toEqual([{ Key: 'chunked', Value: 'yes' }]);
  });

  test('a CRC32 that does not match the body is BadDigest', async () => {
    const res = await put('<Tagging><TagSet></TagSet></Tagging>', {
      'x-amz-checksum-crc32': 'AAAAAA==',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>BadDigest</Code>');
  });

  test('an unsigned request is AccessDenied (403)', async () => {
    const res = await fetch(`${h.endpoint}/${BUCKET}/README.md?tagging`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });
});
