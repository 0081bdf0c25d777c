/**
 * AWS Certificate Manager (JSON 1.1, target prefix `CertificateManager`): issued certificates the
 * inference operator's TLS setup references, their description, listing and tags.
 */
import { JsonProtocolService, type JsonOperation } from '../protocols/JsonProtocolService';
import { randomUUID } from 'node:crypto';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { hex } from '../protocols/ids';
import {
  epochSeconds,
  optArray,
  optInt,
  optString,
  reqString,
  tagArray,
  validationException,
  type JsonObject,
} from '../protocols/jsonProtocol';
import { decodeToken, page } from '../protocols/pagination';
import { AwsError, type AwsRequest } from '../types';

const ARN_RE = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/([0-9a-f-]{36})$/;
const TAG_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;
const STATUSES = new Set([
  'PENDING_VALIDATION',
  'ISSUED',
  'INACTIVE',
  'EXPIRED',
  'VALIDATION_TIMED_OUT',
  'REVOKED',
  'FAILED',
]);

interface Tag {
  Key: string;
  Value?: string;
}

interface Certificate {
  accountId: string;
  region: string;
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  status: string;
  serial: string;
  createdAt: Date;
  notBefore: Date;
  notAfter: Date;
  inUseBy: string[];
  tags: Tag[];
}

export interface SeedCertificateInput {
  accountId: string;
  region: string;
  domainName: string;
  subjectAlternativeNames?: string[];
  status?: string;
  /** Resources using the certificate (e.g. a load balancer ARN). */
  inUseBy?: string[];
  tags?: Record<string, string>;
}

const invalidArn = (arn: string) =>
  new AwsError('InvalidArnException', `String '${arn}' is not a valid ARN.`, 400);
const tooManyTags = () =>
  new AwsError(
    'TooManyTagsException',
    `the certificate would have more than ${MAX_TAGS} tags`,
    400,
  );

export class AcmService extends JsonProtocolService implements Snapshottable {
  readonly signingName = 'acm';
  protected readonly targetPrefix = 'CertificateManager';
  private readonly certs = new Map<string, Certificate>();

  constructor(private readonly ctx: ServiceContext) {
    super();
  }

  protected readonly operations: Record<string, JsonOperation> = {
    DescribeCertificate: (req, body) => {
      const cert = this.cert(req, body);
      return { body: { Certificate: describe(cert) } };
    },
    ListCertificates: (req, body) => {
      const statuses = (optArray(body, 'CertificateStatuses') ?? []).map((s) => {
        if (typeof s !== 'string' || !STATUSES.has(s)) {
          throw validationException(
            `1 validation error detected: Value '[${String(s)}]' at 'certificateStatuses' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${[...STATUSES].join(', ')}]]`,
          );
        }
        return s;
      });
      const max = optInt(body, 'MaxItems', 1, 1000) ?? 1000;
      const start = decodeToken(optString(body, 'NextToken'));
      if (start === undefined) throw validationException('The nextToken provided is invalid.');
      const mine = [...this.certs.values()]
        .filter((c) => c.accountId === req.accountId && c.region === req.region)
        .filter((c) => (statuses.length > 0 ? statuses.includes(c.status) : true))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const pg = page(mine, start, max);
      return {
        body: {
          CertificateSummaryList: pg.items.map(summary),
          ...(pg.next ? { NextToken: pg.next } : {}),
        },
      };
    },
    ListTagsForCertificate: (req, body) => {
      const cert = this.cert(req, body);
      return { body: { Tags: cert.tags.map((t) => ({ ...t })) } };
    },
    AddTagsToCertificate: (req, body) => {
      const cert = this.cert(req, body);
      const tags = tagArray(body, 'Tags', false);
      checkTags(tags);
      const merged = cert.tags.map((t) => ({ ...t }));
      for (const t of tags) {
        const i = merged.findIndex((x) => x.Key === t.Key);
        if (i >= 0) merged[i] = { ...t };
        else merged.push({ ...t });
      }
      if (merged.length > MAX_TAGS) throw tooManyTags();
      cert.tags = merged;
      return { body: {} };
    },
    RemoveTagsFromCertificate: (req, body) => {
      const cert = this.cert(req, body);
      const tags = tagArray(body, 'Tags', false);
      checkTags(tags);
      // A tag given with a value is removed only if the value matches; without one, by key.
      cert.tags = cert.tags.filter(
        (t) =>
          !tags.some(
            (r) => r.Key === t.Key && (r.Value === undefined || r.Value === (t.Value ?? '')),
          ),
      );
      return { body: {} };
    },
  };

  /** An ISSUED Amazon-issued certificate; returns its ARN. */
  seedCertificate(input: SeedCertificateInput): string {
    const arn = `arn:aws:acm:${input.region}:${input.accountId}:certificate/${randomUUID()}`;
    const now = new Date();
    this.certs.set(arn, {
      accountId: input.accountId,
      region: input.region,
      arn,
      domainName: input.domainName,
      subjectAlternativeNames: input.subjectAlternativeNames ?? [input.domainName],
      status: input.status ?? 'ISSUED',
      serial: hex(32).match(/../g)!.join(':'),
      createdAt: now,
      notBefore: now,
      notAfter: new Date(now.getTime() + 395 * 24 * 3600 * 1000),
      inUseBy: [...(input.inUseBy ?? [])],
      tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    });
    return arn;
  }

  /** The tags of a certificate ARN, for `aws:ResourceTag/<key>`. */
  tagsOf(arn: string): Record<string, string> | undefined {
    const c = this.certs.get(arn);
    return c ? Object.fromEntries(c.tags.map((t) => [t.Key, t.Value ?? ''])) : undefined;
  }

  snapshot(): unknown {
    return Object.fromEntries(
      [...this.certs.values()].map((c) => [
        c.arn,
        {
          accountId: c.accountId,
          region: c.region,
          domainName: c.domainName,
          status: c.status,
          inUseBy: [...c.inUseBy],
          tags: Object.fromEntries(c.tags.map((t) => [t.Key, t.Value ?? ''])),
        },
      ]),
    );
  }

  private cert(req: AwsRequest, body: JsonObject): Certificate {
    const arn = reqString(body, 'CertificateArn');
    if (arn.length < 20 || arn.length > 2048) {
      throw validationException(
        `1 validation error detected: Value '${arn}' at 'certificateArn' failed to satisfy constraint: Member must have length ${arn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`,
      );
    }
    if (!ARN_RE.test(arn)) throw invalidArn(arn);
    const cert = this.certs.get(arn);
    if (!cert || cert.accountId !== req.accountId || cert.region !== req.region) {
      throw new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`, 400);
    }
    return cert;
  }
}

function checkTags(tags: Tag[]): void {
  if (tags.length < 1)
    throw validationException(
      "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  if (tags.length > MAX_TAGS) throw tooManyTags();
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_RE.test(t.Key))
      throw new AwsError('InvalidTagException', `Tag key '${t.Key}' is invalid.`, 400);
    if (t.Value !== undefined && (t.Value.length > 256 || !TAG_RE.test(t.Value)))
      throw new AwsError('InvalidTagException', `Tag value '${t.Value}' is invalid.`, 400);
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw new AwsError(
        'InvalidTagException',
        "Tags with the prefix 'aws:' are reserved for AWS use.",
        400,
      );
    if (seen.has(t.Key))
      throw new AwsError('InvalidParameterException', `Duplicate tag key '${t.Key}'.`, 400);
    seen.add(t.Key);
  }
}

function describe(c: Certificate): JsonObject {
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNames: [...c.subjectAlternativeNames],
    DomainValidationOptions: c.subjectAlternativeNames.map((d) => ({
      DomainName: d,
      ValidationDomain: d,
      ValidationStatus: 'SUCCESS',
      ValidationMethod: 'DNS',
    })),
    Serial: c.serial,
    Subject: `CN=${c.domainName}`,
    Issuer: 'Amazon',
    CreatedAt: epochSeconds(c.createdAt),
    IssuedAt: c.status === 'ISSUED' ? epochSeconds(c.createdAt) : undefined,
    Status: c.status,
    NotBefore: epochSeconds(c.notBefore),
    NotAfter: epochSeconds(c.notAfter),
    KeyAlgorithm: 'RSA-2048',
    SignatureAlgorithm: 'SHA256WITHRSA',
    InUseBy: [...c.inUseBy],
    Type: 'AMAZON_ISSUED',
    KeyUsages: [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }],
    ExtendedKeyUsages: [
      { Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' },
      { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' },
    ],
    RenewalEligibility: c.inUseBy.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE',
    Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
  };
}

function summary(c: Certificate): JsonObject {
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNameSummaries: [...c.subjectAlternativeNames],
    HasAdditionalSubjectAlternativeNames: false,
    Status: c.status,
    Type: 'AMAZON_ISSUED',
    KeyAlgorithm: 'RSA-2048',
    KeyUsages: ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'],
    ExtendedKeyUsages: ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION'],
    InUse: c.inUseBy.length > 0,
    RenewalEligibility: c.inUseBy.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE',
    NotBefore: epochSeconds(c.notBefore),
    NotAfter: epochSeconds(c.notAfter),
    CreatedAt: epochSeconds(c.createdAt),
    IssuedAt: c.status === 'ISSUED' ? epochSeconds(c.createdAt) : undefined,
  };
}
