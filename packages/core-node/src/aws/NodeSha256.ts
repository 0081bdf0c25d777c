/**
 * SHA-256 and HMAC-SHA-256 from node:crypto, in the Checksum shape the AWS SigV4 signer takes
 * (used to presign EKS tokens without pulling in another hash package).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** SHA-256 / HMAC-SHA-256 from node:crypto in the Checksum shape the SigV4 signer takes. */
export class NodeSha256 {
  private readonly h: Hash | Hmac;
  /** SHA-256 of what is fed in; with a secret, HMAC-SHA-256 keyed with it. */
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  /** Feeds in more data. */
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  /** The hash (or HMAC) of everything fed in. */
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}
