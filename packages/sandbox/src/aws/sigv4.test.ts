import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 as Sha256 } from '../../../../test/support/nodeSha256';
import { expectedSignature, parseAuthorization } from './sigv4';

const credentials = { accessKeyId: 'AKIASANDBOX111111111', secretAccessKey: 'secret/with+chars' };

async function sign(
  service: string,
  path: string,
  query: Record<string, string>,
  body: string,
  uriEscapePath = true,
) {
  const signer = new SignatureV4({
    service,
    region: 'us-west-2',
    credentials,
    sha256: Sha256,
    uriEscapePath,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path,
    query,
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/json' },
    body,
  });
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return { signed, qs };
}

describe('SigV4 verification', () => {
  it('agrees with the AWS SDK signer for a REST-JSON request with a query string', async () => {
    const { signed, qs } = await sign(
      'eks',
      '/clusters/ml-prod/addons',
      { maxResults: '10', nextToken: 'a b/c' },
      '{"x":1}',
    );
    const auth = parseAuthorization(signed.headers['authorization']);
    expect(auth).toMatchObject({
      accessKeyId: credentials.accessKeyId,
      region: 'us-west-2',
      service: 'eks',
    });
    const sig = expectedSignature(
      {
        method: 'POST',
        rawPath: '/clusters/ml-prod/addons',
        rawQuery: qs,
        headers: lower(signed.headers),
        body: Buffer.from('{"x":1}'),
      },
      auth!,
      credentials.secretAccessKey,
    );
    expect(sig).toBe(auth!.signature);
  });

  it('agrees for S3, whose path is signed as sent (not encoded twice)', async () => {
    const rawPath = '/bucket/certs/my%20cert.pem';
    const { signed } = await sign('s3', rawPath, { tagging: '' }, '<Tagging/>', false);
    const auth = parseAuthorization(signed.headers['authorization'])!;
    const sig = expectedSignature(
      {
        method: 'POST',
        rawPath,
        rawQuery: 'tagging',
        headers: lower(signed.headers),
        body: Buffer.from('<Tagging/>'),
      },
      auth,
      credentials.secretAccessKey,
    );
    expect(sig).toBe(auth.signature);
  });

  it('gives a different signature for a tampered body or a wrong secret', async () => {
    const { signed, qs } = await sign('eks', '/clusters', {}, '{"x":1}');
    const auth = parseAuthorization(signed.headers['authorization'])!;
    const req = {
      method: 'POST',
      rawPath: '/clusters',
      rawQuery: qs,
      headers: lower(signed.headers),
      body: Buffer.from('{"x":2}'),
    };
    expect(expectedSignature(req, auth, credentials.secretAccessKey)).not.toBe(auth.signature);
    expect(expectedSignature({ ...req, body: Buffer.from('{"x":1}') }, auth, 'other')).not.toBe(
      auth.signature,
    );
  });

  it('parses nothing from a malformed or missing header', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(
      parseAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKIA/2026/us-east-1/eks, SignedHeaders=host, Signature=zz',
      ),
    ).toBeUndefined();
  });
});

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
