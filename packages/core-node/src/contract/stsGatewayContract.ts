/** What every StsGateway must do: run against InMemoryStsGateway and AwsSdkStsGateway on the sandbox. */
import type { StsGateway } from '@hyperpod/core';
import { rejection } from './eventually';

export interface StsContractFixture {
  gateway: StsGateway;
  accountId: string;
  /** A role the caller's trust allows (cross-account is fine). */
  assumableRoleArn: string;
  /** A role whose trust policy does not name the caller. */
  refusedRoleArn: string;
  unauthenticated(): Promise<StsGateway>;
  teardown(): Promise<void>;
}

export function stsGatewayContract(name: string, setup: () => Promise<StsContractFixture>): void {
  describe(`StsGateway contract: ${name}`, () => {
    let f: StsContractFixture;
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('names the caller’s account', async () => {
      const id = await f.gateway.getCallerIdentity();
      expect(id.accountId).toBe(f.accountId);
      expect(id.arn).toMatch(new RegExp(`^arn:aws:(iam|sts)::${f.accountId}:`));
    });

    it('assumes a role: temporary credentials with an expiry in the future', async () => {
      const r = await f.gateway.assumeRole({
        roleArn: f.assumableRoleArn,
        sessionName: 'kubectl-hyperpod',
        durationSeconds: 900,
      });
      expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
      expect(r.credentials.sessionToken.length).toBeGreaterThan(0);
      expect(Date.parse(r.credentials.expiration)).toBeGreaterThan(Date.now());
      expect(r.assumedRoleArn).toMatch(/:assumed-role\/[^/]+\/kubectl-hyperpod$/);
    });

    it('refuses a role that does not trust the caller (AccessDenied) and a bad session name (InvalidParameter)', async () => {
      expect(
        (
          await rejection(
            f.gateway.assumeRole({ roleArn: f.refusedRoleArn, sessionName: 'kubectl-hyperpod' }),
          )
        ).kind,
      ).toBe('AccessDenied');
      expect(
        (
          await rejection(
            f.gateway.assumeRole({ roleArn: f.assumableRoleArn, sessionName: 'has spaces' }),
          )
        ).kind,
      ).toBe('InvalidParameter');
    });

    it('reports refused credentials as Unauthenticated', async () => {
      const e = await rejection((await f.unauthenticated()).getCallerIdentity());
      expect(e.kind).toBe('Unauthenticated');
      expect(e.retryable).toBe(false);
    });
  });
}
