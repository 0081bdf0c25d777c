/**
 * The sandbox's ACM through the real AWS SDK v3 ACM client (JSON 1.1 protocol).
 */
import {
  ACMClient,
  AddTagsToCertificateCommand,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  RemoveTagsFromCertificateCommand,
} from '@aws-sdk/client-acm';
import { AcmService } from '@hyperpod/sandbox/testing';
import { signedFetch } from '../support/signedFetch';
import { startAwsHarness, type AwsHarness, errorOf } from '../support/awsHarness';

type Services = { acm: AcmService };
let h: AwsHarness<Services>;
let acm: ACMClient;
let certArn: string;

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ acm: new AcmService(ctx) }));
  acm = new ACMClient({ ...h.clientConfig('us-west-2'), maxAttempts: 1 });
  certArn = h.services.acm.seedCertificate({
    accountId: '111111111111',
    region: 'us-west-2',
    domainName: 'inference.hp-prod.example.com',
    subjectAlternativeNames: ['inference.hp-prod.example.com', '*.inference.hp-prod.example.com'],
    tags: { 'managed-by': 'helm', team: 'ml-platform' },
  });
  h.services.acm.seedCertificate({
    accountId: '111111111111',
    region: 'us-west-2',
    domainName: 'old.example.com',
    status: 'EXPIRED',
  });
  h.services.acm.seedCertificate({
    accountId: '222222222222',
    region: 'us-west-2',
    domainName: 'dev.example.com',
  });
});
afterAll(async () => {
  acm.destroy();
  await h.stop();
});

test('DescribeCertificate returns an issued Amazon certificate with dates', async () => {
  const out = await acm.send(new DescribeCertificateCommand({ CertificateArn: certArn }));
  const c = out.Certificate!;
  expect(c.CertificateArn).toMatch(
    /^arn:aws:acm:us-west-2:111111111111:certificate\/[0-9a-f-]{36}$/,
  );
  expect(c).toMatchObject({
    DomainName: 'inference.hp-prod.example.com',
    Status: 'ISSUED',
    Type: 'AMAZON_ISSUED',
    Issuer: 'Amazon',
  });
  expect(c.SubjectAlternativeNames).toEqual([
    'inference.hp-prod.example.com',
    '*.inference.hp-prod.example.com',
  ]);
  expect(c.NotAfter).toBeInstanceOf(Date);
  expect(c.NotAfter!.getTime()).toBeGreaterThan(Date.now());
  expect(c.CreatedAt).toBeInstanceOf(Date);
});

test('ListCertificates lists the caller account and region, filters by status and pages', async () => {
  const all = await acm.send(new ListCertificatesCommand({}));
  expect(all.CertificateSummaryList?.map((c) => c.DomainName)).toEqual([
    'inference.hp-prod.example.com',
    'old.example.com',
  ]);
  const issued = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
  expect(issued.CertificateSummaryList?.map((c) => c.CertificateArn)).toEqual([certArn]);
  const first = await acm.send(new ListCertificatesCommand({ MaxItems: 1 }));
  expect(first.CertificateSummaryList).toHaveLength(1);
  const second = await acm.send(
    new ListCertificatesCommand({ MaxItems: 1, NextToken: first.NextToken }),
  );
  expect(second.CertificateSummaryList?.[0]?.DomainName).toBe('old.example.com');
  expect(second.NextToken).toBeUndefined();
  const east = new ACMClient({ ...h.clientConfig('us-east-1'), maxAttempts: 1 });
  expect((await east.send(new ListCertificatesCommand({}))).CertificateSummaryList).toEqual([]);
  east.destroy();
});

test('AddTagsToCertificate adds alongside existing tags; RemoveTagsFromCertificate removes only the given keys / pairs', async () => {
  await acm.send(
    new AddTagsToCertificateCommand({
      CertificateArn: certArn,
      Tags: [
        { Key: 'hyperpod.aws/migrated', Value: 'true' },
        { Key: 'team', Value: 'inference' },
      ],
    }),
  );
  expect(
    (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: certArn }))).Tags,
  ).toEqual([
    { Key: 'managed-by', Value: 'helm' },
    { Key: 'team', Value: 'inference' },
    { Key: 'hyperpod.aws/migrated', Value: 'true' },
  ]);
  // Key=value pair that does not match the current value: nothing is removed.
  await acm.send(
    new RemoveTagsFromCertificateCommand({
      CertificateArn: certArn,
      Tags: [{ Key: 'team', Value: 'ml-platform' }],
    }),
  );
  await acm.send(
    new RemoveTagsFromCertificateCommand({
      CertificateArn: certArn,
      Tags: [{ Key: 'managed-by' }, { Key: 'hyperpod.aws/migrated', Value: 'true' }],
    }),
  );
  expect(
    (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: certArn }))).Tags,
  ).toEqual([{ Key: 'team', Value: 'inference' }]);
});

test('errors: ResourceNotFound, InvalidArn, InvalidTag, TooManyTags, Validation', async () => {
  const missing = certArn.replace(/[0-9a-f]{12}$/, '000000000000');
  expect(
    await errorOf(acm.send(new DescribeCertificateCommand({ CertificateArn: missing }))),
  ).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
  expect(
    await errorOf(
      acm.send(
        new DescribeCertificateCommand({ CertificateArn: 'arn:aws:s3:::not-a-certificate-arn' }),
      ),
    ),
  ).toMatchObject({ name: 'InvalidArnException', status: 400 });
  expect(
    await errorOf(
      acm.send(
        new AddTagsToCertificateCommand({
          CertificateArn: certArn,
          Tags: [{ Key: 'aws:reserved', Value: 'x' }],
        }),
      ),
    ),
  ).toMatchObject({ name: 'InvalidTagException' });
  const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  expect(
    await errorOf(
      acm.send(new AddTagsToCertificateCommand({ CertificateArn: certArn, Tags: fifty })),
    ),
  ).toMatchObject({ name: 'TooManyTagsException' });
  expect(await errorOf(acm.send(new ListCertificatesCommand({ MaxItems: 0 })))).toMatchObject({
    name: 'ValidationException',
    status: 400,
  });
  // Another account's certificate does not exist for the caller.
  const devArn = Object.keys(h.services.acm.snapshot() as Record<string, unknown>).find((a) =>
    a.includes(':222222222222:'),
  )!;
  expect(
    (await errorOf(acm.send(new ListTagsForCertificateCommand({ CertificateArn: devArn })))).name,
  ).toBe('ResourceNotFoundException');
});

describe('bad input on the wire', () => {
  const call = (target: string | undefined, body: string) =>
    signedFetch({
      endpoint: h.endpoint,
      service: 'acm',
      region: 'us-west-2',
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        ...(target ? { 'x-amz-target': target } : {}),
      },
      body,
      credentials: h.credentials(),
    });

  test('malformed JSON and wrong types are SerializationException', async () => {
    const bad = await call('CertificateManager.DescribeCertificate', '{"CertificateArn": ');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).__type).toBe('SerializationException');
    const wrongType = await call(
      'CertificateManager.AddTagsToCertificate',
      JSON.stringify({ CertificateArn: certArn, Tags: { Key: 'a' } }),
    );
    expect(JSON.parse(wrongType.text).__type).toBe('SerializationException');
  });

  test('a missing required member is ValidationException; an unknown target UnknownOperationException', async () => {
    const missing = await call('CertificateManager.DescribeCertificate', '{}');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text)).toMatchObject({
      __type: 'ValidationException',
      message: expect.stringContaining("Value null at 'certificateArn'"),
    });
    const unknown = await call('CertificateManager.DeleteEverything', '{}');
    expect(JSON.parse(unknown.text).__type).toBe('UnknownOperationException');
  });

  test('an unsigned request is MissingAuthenticationTokenException', async () => {
    const res = await fetch(h.endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'CertificateManager.ListCertificates',
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
  });
});
