/** AcmGateway on the AWS SDK v3 ACM client. */
import type { ACMClient } from '@aws-sdk/client-acm';
import type { AcmCertificate, AcmCertificateSummary, AcmGateway } from '@hyperpod/core';
import { isoDate, lazyClient, recordToTags, tagsToRecord, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type AcmSdk = typeof import('@aws-sdk/client-acm');
let sdkModule: Promise<AcmSdk> | undefined;
const loadSdk = (): Promise<AcmSdk> => (sdkModule ??= import('@aws-sdk/client-acm'));

export class AwsSdkAcmGateway implements AcmGateway {
  readonly region: string;
  private readonly client: () => Promise<ACMClient>;

  constructor(client: ClientSource<ACMClient>, opts: { region: string }) {
    this.client = lazyClient(client);
    this.region = opts.region;
  }

  async listCertificates(): Promise<AcmCertificateSummary[]> {
    return this.call('ListCertificates', async (c, sdk) => {
      const out: AcmCertificateSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await c.send(new sdk.ListCertificatesCommand({ NextToken: nextToken }));
        for (const s of page.CertificateSummaryList ?? []) {
          out.push({
            arn: s.CertificateArn ?? '',
            domainName: s.DomainName ?? '',
            status: s.Status ?? 'UNKNOWN',
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return out;
    });
  }

  async describeCertificate(arn: string): Promise<AcmCertificate> {
    return this.call('DescribeCertificate', async (c, sdk) => {
      const out = await c.send(new sdk.DescribeCertificateCommand({ CertificateArn: arn }));
      const cert = out.Certificate ?? {};
      return {
        arn: cert.CertificateArn ?? arn,
        domainName: cert.DomainName ?? '',
        status: cert.Status ?? 'UNKNOWN',
        subjectAlternativeNames: [...(cert.SubjectAlternativeNames ?? [])],
        inUseBy: [...(cert.InUseBy ?? [])],
        ...(cert.Type ? { type: cert.Type } : {}),
        ...(cert.NotAfter ? { notAfter: isoDate(cert.NotAfter) } : {}),
      };
    });
  }

  async listTags(arn: string): Promise<Record<string, string>> {
    return this.call('ListTagsForCertificate', async (c, sdk) => {
      const out = await c.send(new sdk.ListTagsForCertificateCommand({ CertificateArn: arn }));
      return tagsToRecord(out.Tags);
    });
  }

  async addTags(arn: string, tags: Record<string, string>): Promise<void> {
    await this.call('AddTagsToCertificate', (c, sdk) =>
      c.send(
        new sdk.AddTagsToCertificateCommand({ CertificateArn: arn, Tags: recordToTags(tags) }),
      ),
    );
  }

  async removeTags(arn: string, keys: string[]): Promise<void> {
    await this.call('RemoveTagsFromCertificate', (c, sdk) =>
      c.send(
        new sdk.RemoveTagsFromCertificateCommand({
          CertificateArn: arn,
          Tags: keys.map((Key) => ({ Key })),
        }),
      ),
    );
  }

  private async call<T>(
    operation: string,
    run: (client: ACMClient, sdk: AcmSdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 'acm', operation);
    }
  }
}
