/** What every S3Gateway must do: run against InMemoryS3Gateway and AwsSdkS3Gateway on the sandbox. */
import type { S3Gateway } from '@hyperpod/core';
import { rejection } from './eventually';

export interface S3ContractFixture {
  gateway: S3Gateway;
  /** A bucket of ours with object `certs/tls.crt` tagged {purpose: tls}. */
  bucket: string;
  /** A bucket that exists but belongs to another account. */
  foreignBucket: string;
  throttled(): Promise<{ gateway: S3Gateway; restore(): Promise<void> }>;
  teardown(): Promise<void>;
}

export function s3GatewayContract(name: string, setup: () => Promise<S3ContractFixture>): void {
  describe(`S3Gateway contract: ${name}`, () => {
    let f: S3ContractFixture;
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('tells an existing bucket from a missing one and from someone else’s', async () => {
      expect((await f.gateway.headBucket(f.bucket)).access).toBe('exists');
      expect(await f.gateway.headBucket('no-such-bucket-hyperpod-contract')).toEqual({
        access: 'missing',
      });
      expect(await f.gateway.headBucket(f.foreignBucket)).toEqual({ access: 'forbidden' });
    });

    it('reads, replaces and deletes object tags', async () => {
      expect(await f.gateway.getObjectTagging(f.bucket, 'certs/tls.crt')).toEqual({
        purpose: 'tls',
      });
      await f.gateway.putObjectTagging(f.bucket, 'certs/tls.crt', {
        purpose: 'tls',
        'hyperpod.aws/owner': 'addon',
      });
      expect(await f.gateway.getObjectTagging(f.bucket, 'certs/tls.crt')).toEqual({
        purpose: 'tls',
        'hyperpod.aws/owner': 'addon',
      });
      await f.gateway.deleteObjectTagging(f.bucket, 'certs/tls.crt');
      expect(await f.gateway.getObjectTagging(f.bucket, 'certs/tls.crt')).toEqual({});
    });

    it('answers NotFound for a missing key or bucket, AccessDenied for someone else’s bucket', async () => {
      expect(
        (await rejection(f.gateway.getObjectTagging(f.bucket, 'certs/missing.crt'))).kind,
      ).toBe('NotFound');
      expect(
        (await rejection(f.gateway.getObjectTagging('no-such-bucket-hyperpod-contract', 'k'))).kind,
      ).toBe('NotFound');
      expect((await rejection(f.gateway.getObjectTagging(f.foreignBucket, 'k'))).kind).toBe(
        'AccessDenied',
      );
    });

    it('reports throttling as Throttled, retryable', async () => {
      const t = await f.throttled();
      try {
        const e = await rejection(t.gateway.getObjectTagging(f.bucket, 'certs/tls.crt'));
        expect(e.kind).toBe('Throttled');
        expect(e.retryable).toBe(true);
      } finally {
        await t.restore();
      }
    });
  });
}
