/** AcmGateway in memory: certificates and their tags. */
import type { AcmCertificate, AcmCertificateSummary, AcmGateway } from '../ports/AcmGateway';
import { GatewayError } from '../ports/GatewayError';
import { FakeFaults } from './FakeFaults';
import { clone } from './clone';

export class InMemoryAcmGateway implements AcmGateway {
  readonly region: string;
  readonly accountId: string;
  readonly faults = new FakeFaults();
  private readonly certs = new Map<
    string,
    { cert: AcmCertificate; tags: Record<string, string> }
  >();
  private seq = 0;

  constructor(opts: { region?: string; accountId?: string } = {}) {
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '111111111111';
  }

  seedCertificate(input: {
    domainName: string;
    status?: string;
    inUseBy?: string[];
    tags?: Record<string, string>;
  }): string {
    const id = `00000000-0000-4000-8000-${(++this.seq).toString(16).padStart(12, '0')}`;
    const arn = `arn:aws:acm:${this.region}:${this.accountId}:certificate/${id}`;
    this.certs.set(arn, {
      cert: {
        arn,
        domainName: input.domainName,
        status: input.status ?? 'ISSUED',
        subjectAlternativeNames: [input.domainName],
        inUseBy: [...(input.inUseBy ?? [])],
        type: 'AMAZON_ISSUED',
      },
      tags: { ...(input.tags ?? {}) },
    });
    return arn;
  }

  async listCertificates(): Promise<AcmCertificateSummary[]> {
    this.faults.check('acm', 'ListCertificates');
    return [...this.certs.values()].map(({ cert }) => ({
      arn: cert.arn,
      domainName: cert.domainName,
      status: cert.status,
    }));
  }

  async describeCertificate(arn: string): Promise<AcmCertificate> {
    this.faults.check('acm', 'DescribeCertificate');
    return clone(this.must(arn, 'DescribeCertificate').cert);
  }

  async listTags(arn: string): Promise<Record<string, string>> {
    this.faults.check('acm', 'ListTagsForCertificate');
    return { ...this.must(arn, 'ListTagsForCertificate').tags };
  }

  async addTags(arn: string, tags: Record<string, string>): Promise<void> {
    this.faults.check('acm', 'AddTagsToCertificate');
    const c = this.must(arn, 'AddTagsToCertificate');
    if (Object.keys(tags).some((k) => k.toLowerCase().startsWith('aws:'))) {
      throw new GatewayError(
        'InvalidParameter',
        "Tags with the prefix 'aws:' are reserved for AWS use.",
        'acm',
        'AddTagsToCertificate',
        'InvalidTagException',
        400,
      );
    }
    Object.assign(c.tags, tags);
  }

  async removeTags(arn: string, keys: string[]): Promise<void> {
    this.faults.check('acm', 'RemoveTagsFromCertificate');
    const c = this.must(arn, 'RemoveTagsFromCertificate');
    for (const k of keys) delete c.tags[k];
  }

  private must(arn: string, operation: string) {
    if (!/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/.test(arn)) {
      throw new GatewayError(
        'InvalidParameter',
        `String '${arn}' is not a valid ARN.`,
        'acm',
        operation,
        'InvalidArnException',
        400,
      );
    }
    const c = this.certs.get(arn);
    if (!c)
      throw new GatewayError(
        'NotFound',
        `Could not find certificate ${arn}.`,
        'acm',
        operation,
        'ResourceNotFoundException',
        400,
      );
    return c;
  }
}
