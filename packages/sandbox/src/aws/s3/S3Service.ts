/**
 * Amazon S3 (REST-XML, path-style addressing `/<bucket>/<key>`): buckets (global names, owned by
 * one account, in one region), objects and object tags — what the migration needs to find and
 * label the certificate objects of the inference operator's TLS setup.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { xmlEscape } from '../AwsServer';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { decodeAwsChunked } from '../protocols/awsChunked';
import { AwsError } from '../types';
import type { AwsProtocol, AwsRequest, AwsResponse, AwsService } from '../types';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_TAGS = 10;
const TAG_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

interface Tag {
  Key: string;
  Value: string;
}

interface S3Object {
  key: string;
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  tags: Tag[];
}

interface Bucket {
  name: string;
  accountId: string;
  region: string;
  createdAt: Date;
  objects: Map<string, S3Object>;
}

export interface SeedBucketInput {
  accountId: string;
  region: string;
  name: string;
}

interface Target {
  bucket?: string;
  key?: string;
}

const malformedXml = () =>
  new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
const invalidTag = (message: string) => new AwsError('InvalidTag', message, 400);

export class S3Service implements AwsService, Snapshottable {
  readonly signingName = 's3';
  readonly protocol: AwsProtocol = 'rest-xml';
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly ctx: ServiceContext) {}

  operationOf(req: AwsRequest): string | undefined {
    const { bucket, key } = target(req);
    const q = req.query;
    const m = req.method;
    if (!bucket) return m === 'GET' ? 'ListBuckets' : undefined;
    if (key === undefined) {
      if (m === 'HEAD') return 'HeadBucket';
      if (m === 'GET' && q.has('location')) return 'GetBucketLocation';
      if (m === 'GET' && q.get('list-type') === '2') return 'ListObjectsV2';
      return undefined;
    }
    if (q.has('tagging')) {
      if (m === 'GET') return 'GetObjectTagging';
      if (m === 'PUT') return 'PutObjectTagging';
      if (m === 'DELETE') return 'DeleteObjectTagging';
      return undefined;
    }
    if (m === 'HEAD') return 'HeadObject';
    if (m === 'GET') return 'GetObject';
    if (m === 'PUT' && !req.headers['x-amz-copy-source']) return 'PutObject';
    if (m === 'DELETE') return 'DeleteObject';
    return undefined;
  }

  handle(req: AwsRequest, operation: string): AwsResponse {
    const { bucket: bucketName, key } = target(req);
    if (operation === 'ListBuckets') return this.listBuckets(req);
    const bucket = this.bucket(req, bucketName!);
    switch (operation) {
      case 'HeadBucket':
        return {
          status: 200,
          headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' },
        };
      case 'GetBucketLocation':
        // us-east-1 buckets have an empty LocationConstraint, as S3 answers.
        return xml(
          `<LocationConstraint xmlns="${XMLNS}">${bucket.region === 'us-east-1' ? '' : bucket.region}</LocationConstraint>`,
        );
      case 'ListObjectsV2':
        return this.listObjects(req, bucket);
      case 'HeadObject':
      case 'GetObject': {
        const obj = this.object(bucket, key!);
        const headers: Record<string, string> = {
          'content-type': obj.contentType,
          'content-length': String(obj.body.length),
          etag: obj.etag,
          'last-modified': obj.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        };
        if (obj.tags.length > 0) headers['x-amz-tagging-count'] = String(obj.tags.length);
        return operation === 'HeadObject'
          ? { status: 200, headers }
          : { status: 200, headers, body: obj.body };
      }
      case 'PutObject': {
        const body = payload(req);
        const headerTags = req.headers['x-amz-tagging'];
        const tags = headerTags
          ? checkTags([...new URLSearchParams(headerTags)].map(([Key, Value]) => ({ Key, Value })))
          : [];
        const obj = this.putObject(
          bucket,
          key!,
          body,
          req.headers['content-type'] ?? 'binary/octet-stream',
          tags,
        );
        return { status: 200, headers: { etag: obj.etag } };
      }
      case 'DeleteObject':
        bucket.objects.delete(key!);
        return { status: 204 };
      case 'GetObjectTagging': {
        const obj = this.object(bucket, key!);
        const tagSet = obj.tags
          .map(
            (t) => `<Tag><Key>${xmlEscape(t.Key)}</Key><Value>${xmlEscape(t.Value)}</Value></Tag>`,
          )
          .join('');
        return xml(`<Tagging xmlns="${XMLNS}"><TagSet>${tagSet}</TagSet></Tagging>`);
      }
      case 'PutObjectTagging': {
        const obj = this.object(bucket, key!);
        obj.tags = checkTags(parseTagging(payload(req)));
        return { status: 200 };
      }
      case 'DeleteObjectTagging': {
        const obj = this.object(bucket, key!);
        obj.tags = [];
        return { status: 204 };
      }
      default:
        throw new AwsError(
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
          405,
        );
    }
  }

  seedBucket(input: SeedBucketInput): void {
    if (this.buckets.has(input.name))
      throw new Error(`s3.seedBucket: bucket ${input.name} already exists`);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(input.name))
      throw new Error(`s3.seedBucket: invalid bucket name ${input.name}`);
    this.buckets.set(input.name, { ...input, createdAt: new Date(), objects: new Map() });
  }

  /** Puts an object (default body: a small PEM-looking text) with tags. */
  seedObject(
    bucket: string,
    key: string,
    tags: Record<string, string> = {},
    body?: string | Buffer,
    contentType = 'application/x-pem-file',
  ): void {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`s3.seedObject: no bucket ${bucket}`);
    const content =
      body === undefined
        ? Buffer.from(`-----BEGIN CERTIFICATE-----\nsandbox ${key}\n-----END CERTIFICATE-----\n`)
        : Buffer.from(body);
    this.putObject(
      b,
      key,
      content,
      contentType,
      Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    );
  }

  /** The tags of an object ARN (`arn:aws:s3:::bucket/key`), for `s3:ExistingObjectTag/<key>`. */
  tagsOf(arn: string): Record<string, string> | undefined {
    const m = /^arn:aws:s3:::([^/]+)\/(.+)$/.exec(arn);
    const obj = m ? this.buckets.get(m[1]!)?.objects.get(m[2]!) : undefined;
    return obj ? Object.fromEntries(obj.tags.map((t) => [t.Key, t.Value])) : undefined;
  }

  snapshot(): unknown {
    return Object.fromEntries(
      [...this.buckets.values()].map((b) => [
        b.name,
        {
          accountId: b.accountId,
          region: b.region,
          objects: Object.fromEntries(
            [...b.objects.values()].map((o) => [
              o.key,
              {
                size: o.body.length,
                etag: o.etag,
                tags: Object.fromEntries(o.tags.map((t) => [t.Key, t.Value])),
              },
            ]),
          ),
        },
      ]),
    );
  }

  private putObject(
    bucket: Bucket,
    key: string,
    body: Buffer,
    contentType: string,
    tags: Tag[],
  ): S3Object {
    const obj: S3Object = {
      key,
      body,
      contentType,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(),
      tags,
    };
    bucket.objects.set(key, obj);
    return obj;
  }

  private bucket(req: AwsRequest, name: string): Bucket {
    const b = this.buckets.get(name);
    if (!b)
      throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, 'Sender', {
        BucketName: name,
      });
    // Buckets are private to their owner: another account is denied, not told it is missing.
    if (b.accountId !== req.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
    return b;
  }

  private object(bucket: Bucket, key: string): S3Object {
    const o = bucket.objects.get(key);
    if (!o)
      throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, 'Sender', {
        Key: key,
      });
    return o;
  }

  private listBuckets(req: AwsRequest): AwsResponse {
    const mine = [...this.buckets.values()]
      .filter((b) => b.accountId === req.accountId)
      .sort((a, b) => a.name.localeCompare(b.name));
    const items = mine
      .map(
        (b) =>
          `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${b.createdAt.toISOString()}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`,
      )
      .join('');
    return xml(
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>${createHash('sha256').update(req.accountId).digest('hex')}</ID></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`,
    );
  }

  private listObjects(req: AwsRequest, bucket: Bucket): AwsResponse {
    const q = req.query;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const startAfter = q.get('start-after') ?? '';
    const encodingType = q.get('encoding-type');
    if (encodingType !== null && encodingType !== 'url') {
      throw new AwsError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400);
    }
    const maxKeysRaw = q.get('max-keys');
    const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw new AwsError(
        'InvalidArgument',
        'Provided max-keys not an integer or within integer range',
        400,
      );
    const token = q.get('continuation-token');
    let after = startAfter;
    if (token !== null) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      if (!decoded.startsWith('k:'))
        throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400);
      after = decoded.slice(2);
    }
    const enc = (s: string) =>
      encodingType === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s;

    // Keys and common prefixes in key order, each counting once toward max-keys.
    const entries: ({ kind: 'key'; obj: S3Object } | { kind: 'prefix'; prefix: string })[] = [];
    const seenPrefixes = new Set<string>();
    for (const obj of [...bucket.objects.values()].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    )) {
      if (!obj.key.startsWith(prefix) || obj.key <= after) continue;
      if (delimiter) {
        const rest = obj.key.slice(prefix.length);
        const i = rest.indexOf(delimiter);
        if (i >= 0) {
          const cp = prefix + rest.slice(0, i + delimiter.length);
          if (cp <= after || seenPrefixes.has(cp)) continue;
          seenPrefixes.add(cp);
          entries.push({ kind: 'prefix', prefix: cp });
          continue;
        }
      }
      entries.push({ kind: 'key', obj });
    }
    const pageEntries = entries.slice(0, maxKeys);
    const truncated = entries.length > maxKeys;
    const last = pageEntries[pageEntries.length - 1];
    const lastKey = last ? (last.kind === 'key' ? last.obj.key : last.prefix + '\uffff') : '';
    const contents = pageEntries
      .filter((e): e is { kind: 'key'; obj: S3Object } => e.kind === 'key')
      .map(
        ({ obj }) =>
          `<Contents><Key>${xmlEscape(enc(obj.key))}</Key><LastModified>${obj.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(obj.etag)}</ETag>` +
          `<Size>${obj.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    const prefixes = pageEntries
      .filter((e): e is { kind: 'prefix'; prefix: string } => e.kind === 'prefix')
      .map((e) => `<CommonPrefixes><Prefix>${xmlEscape(enc(e.prefix))}</Prefix></CommonPrefixes>`)
      .join('');
    return xml(
      `<ListBucketResult xmlns="${XMLNS}"><Name>${xmlEscape(bucket.name)}</Name><Prefix>${xmlEscape(enc(prefix))}</Prefix>` +
        (delimiter ? `<Delimiter>${xmlEscape(enc(delimiter))}</Delimiter>` : '') +
        `<KeyCount>${pageEntries.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
        (encodingType ? `<EncodingType>url</EncodingType>` : '') +
        `<IsTruncated>${truncated}</IsTruncated>` +
        (token !== null ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '') +
        (truncated
          ? `<NextContinuationToken>${Buffer.from('k:' + lastKey, 'utf8').toString('base64')}</NextContinuationToken>`
          : '') +
        (startAfter ? `<StartAfter>${xmlEscape(enc(startAfter))}</StartAfter>` : '') +
        contents +
        prefixes +
        `</ListBucketResult>`,
    );
  }
}

function xml(body: string): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

/** `/<bucket>/<key...>` from the raw path, each part percent-decoded once. */
function target(req: AwsRequest): Target {
  const raw = req.rawPath.startsWith('/') ? req.rawPath.slice(1) : req.rawPath;
  if (raw === '') return {};
  const slash = raw.indexOf('/');
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
    }
  };
  if (slash < 0) return { bucket: dec(raw) };
  const key = raw.slice(slash + 1);
  return key === ''
    ? { bucket: dec(raw.slice(0, slash)) }
    : { bucket: dec(raw.slice(0, slash)), key: dec(key) };
}

/** The request payload, un-chunked if the client streamed it, checked against its CRC32 if it sent one. */
function payload(req: AwsRequest): Buffer {
  const streamed =
    (req.headers['content-encoding'] ?? '').includes('aws-chunked') ||
    (req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  let body = req.body;
  let trailers: Record<string, string> = {};
  if (streamed) {
    const decoded = decodeAwsChunked(req.body);
    if (!decoded)
      throw new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
    body = decoded.body;
    trailers = decoded.trailers;
  }
  const crc = req.headers['x-amz-checksum-crc32'] ?? trailers['x-amz-checksum-crc32'];
  const crc32 = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
  if (crc !== undefined && crc32) {
    const actual = Buffer.alloc(4);
    actual.writeUInt32BE(crc32(body) >>> 0);
    if (actual.toString('base64') !== crc) {
      throw new AwsError(
        'BadDigest',
        'The CRC32 you specified did not match the calculated checksum.',
        400,
      );
    }
  }
  return body;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'Tag',
});

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>` → tags; anything else is MalformedXML. */
function parseTagging(body: Buffer): Tag[] {
  const text = body.toString('utf8');
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformedXml();
  const doc = parser.parse(text) as { Tagging?: { TagSet?: { Tag?: unknown[] } | string } };
  const tagSet = doc.Tagging?.TagSet;
  if (doc.Tagging === undefined || tagSet === undefined) throw malformedXml();
  if (tagSet === '') return [];
  if (typeof tagSet !== 'object') throw malformedXml();
  return (tagSet.Tag ?? []).map((t) => {
    if (typeof t !== 'object' || t === null) throw malformedXml();
    const { Key, Value } = t as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || (Value !== undefined && typeof Value !== 'string'))
      throw malformedXml();
    if (Value === undefined) throw malformedXml();
    return { Key, Value };
  });
}

function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_TAGS) throw invalidTag('Object tags cannot be greater than 10');
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
    if (t.Key.length < 1 || t.Key.length > 128)
      throw invalidTag('The TagKey you have provided is invalid');
    if (t.Value.length > 256) throw invalidTag('The TagValue you have provided is invalid');
    if (!TAG_RE.test(t.Key)) throw invalidTag('The TagKey you have provided is invalid');
    if (!TAG_RE.test(t.Value)) throw invalidTag('The TagValue you have provided is invalid');
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw invalidTag('Your TagKey cannot be prefixed with aws:');
  }
  return tags.map((t) => ({ ...t }));
}
