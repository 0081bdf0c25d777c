/**
 * `Content-Encoding: aws-chunked` bodies (SigV4 streaming and trailing checksums), as S3 receives
 * them from SDKs that stream uploads: `<hex size>[;chunk-signature=..]\r\n<data>\r\n` ... a
 * zero-size chunk, then optional trailer headers.
 */
export function decodeAwsChunked(
  raw: Buffer,
): { body: Buffer; trailers: Record<string, string> } | undefined {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    if (eol < 0) return undefined;
    const header = raw.subarray(pos, eol).toString('latin1');
    const size = parseInt(header.split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return undefined;
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > raw.length) return undefined;
    parts.push(raw.subarray(pos, pos + size));
    pos += size;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') return undefined;
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.subarray(pos).toString('latin1').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}
