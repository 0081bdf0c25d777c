/**
 * Sends hand-made (possibly malformed) requests to the sandbox's AWS endpoint, signed with SigV4
 * by the AWS SDK's own signer, for tests of how the sandbox answers input no SDK would send.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './nodeSha256';

export interface SignedRequestSpec {
  endpoint: string;
  service: string;
  region?: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export async function signedFetch(
  spec: SignedRequestSpec,
): Promise<{ status: number; headers: Headers; text: string }> {
  const url = new URL(spec.endpoint);
  const signer = new SignatureV4({
    service: spec.service,
    region: spec.region ?? 'us-east-1',
    credentials: spec.credentials,
    sha256: NodeSha256,
    uriEscapePath: spec.service !== 's3',
  });
  const signed = await signer.sign({
    method: spec.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: spec.path,
    query: spec.query ?? {},
    headers: { host: url.host, ...(spec.headers ?? {}) },
    body: spec.body,
  });
  const qs = new URLSearchParams(spec.query ?? {}).toString();
  const res = await fetch(`${spec.endpoint}${spec.path}${qs ? '?' + qs : ''}`, {
    method: spec.method,
    headers: signed.headers,
    body: spec.body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
