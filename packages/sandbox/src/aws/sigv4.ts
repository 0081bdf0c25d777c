/**
 * AWS Signature Version 4, as AWS checks it: parse the Authorization header and recompute the
 * signature from the secret key we issued. Clients nobody here wrote (the aws CLI, the SDK) sign
 * requests; a request we cannot verify is refused as AWS refuses it.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  if (!header) return undefined;
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? '' : p.slice(i + 1);
      const dec = (x: string) => {
        try {
          return decodeURIComponent(x.replace(/\+/g, '%20'));
        } catch {
          return x;
        }
      };
      return [uriEncode(dec(k)), uriEncode(dec(v))] as const;
    })
    .filter(([k]) => k !== 'X-Amz-Signature');
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalUri(rawPath: string, service: string): string {
  const path = rawPath || '/';
  // S3 signs the path as sent; every other service signs it URI-encoded once more.
  if (service === 's3') return path;
  return path
    .split('/')
    .map((seg) => uriEncode(seg))
    .join('/');
}

const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data, 'utf8').digest();
const sha256hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The signature the request should carry if signed with `secretAccessKey`. */
export function expectedSignature(
  req: SignedRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
): string {
  const headerValue = (name: string): string => {
    const v = req.headers[name];
    const s = Array.isArray(v) ? v.join(',') : (v ?? '');
    return s.trim().replace(/\s+/g, ' ');
  };
  const canonicalHeaders = auth.signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join('');
  // The signed payload hash must be the body's: a declared hash that does not match the body
  // fails (S3's XAmzContentSHA256Mismatch); UNSIGNED-PAYLOAD / STREAMING-* are taken as declared.
  const bodyHash = sha256hex(req.body);
  const declared = headerValue('x-amz-content-sha256');
  if (/^[0-9a-f]{64}$/.test(declared) && declared !== bodyHash) return '';
  const payloadHash = declared || bodyHash;
  const canonicalRequest = [
    req.method,
    canonicalUri(req.rawPath, auth.service),
    canonicalQuery(req.rawQuery),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = headerValue('x-amz-date') || headerValue('date');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const kDate = hmac('AWS4' + secretAccessKey, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}
