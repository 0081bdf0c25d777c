/**
 * The sandbox's ACM through the aws CLI (`aws acm`).
 */
import { AcmService } from '@hyperpod/sandbox/testing';
import { runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';

let h: AwsHarness<{ acm: AcmService }>;
let arn: string;
beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ acm: new AcmService(ctx) }));
  arn = h.services.acm.seedCertificate({
    accountId: '111111111111',
    region: 'us-west-2',
    domainName: 'inference.hp-prod.example.com',
    tags: { 'managed-by': 'helm' },
  });
});
afterAll(() => h.stop());

const aws = (...args: string[]) => runAws(h, args, { region: 'us-west-2' });

test('describe-certificate, list-certificates, add/remove/list tags', async () => {
  const [described, listed, added, missing] = await Promise.all([
    aws('acm', 'describe-certificate', '--certificate-arn', arn),
    aws('acm', 'list-certificates'),
    aws(
      'acm',
      'add-tags-to-certificate',
      '--certificate-arn',
      arn,
      '--tags',
      'Key=hyperpod.aws/migrated,Value=true',
      'Key=owner,Value=platform',
    ),
    aws(
      'acm',
      'describe-certificate',
      '--certificate-arn',
      arn.replace(/[0-9a-f]{12}$/, '000000000000'),
    ),
  ]);
  expect(described.json.Certificate).toMatchObject({
    CertificateArn: arn,
    DomainName: 'inference.hp-prod.example.com',
    Status: 'ISSUED',
  });
  expect(
    listed.json.CertificateSummaryList.map((c: { CertificateArn: string }) => c.CertificateArn),
  ).toEqual([arn]);
  expect(added.code).toBe(0);
  expect(missing.code).toBeGreaterThan(0);
  expect(missing.stderr).toContain('(ResourceNotFoundException)');
  expect(
    (
      await aws(
        'acm',
        'remove-tags-from-certificate',
        '--certificate-arn',
        arn,
        '--tags',
        'Key=owner',
      )
    ).code,
  ).toBe(0);
  const tags = await aws('acm', 'list-tags-for-certificate', '--certificate-arn', arn);
  expect(tags.json.Tags).toEqual([
    { Key: 'managed-by', Value: 'helm' },
    { Key: 'hyperpod.aws/migrated', Value: 'true' },
  ]);
});
