/** What every IamGateway must do: run against InMemoryIamGateway and AwsSdkIamGateway on the sandbox. */
import type { IamGateway } from '@hyperpod/core';
import { rejection } from './eventually';

export interface IamContractFixture {
  gateway: IamGateway;
  accountId: string;
  unauthenticated(): Promise<IamGateway>;
  teardown(): Promise<void>;
}

const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: {
        Federated:
          'arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub':
            'system:serviceaccount:hyperpod-inference-system:hyperpod-inference-operator-controller-manager',
        },
      },
    },
  ],
};
const S3_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::hyperpod-tls-certs/*' },
  ],
};
const MANAGED = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

export function iamGatewayContract(name: string, setup: () => Promise<IamContractFixture>): void {
  describe(`IamGateway contract: ${name}`, () => {
    let f: IamContractFixture;
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('creates a role and reads it back with its parsed trust policy, tags and no policies', async () => {
      const created = await f.gateway.createRole({
        name: 'hyperpod-inference-operator',
        trustPolicy: TRUST,
        tags: { team: 'ml-platform' },
      });
      expect(created.arn).toBe(`arn:aws:iam::${f.accountId}:role/hyperpod-inference-operator`);
      const role = await f.gateway.getRole('hyperpod-inference-operator');
      expect(role).toMatchObject({
        name: 'hyperpod-inference-operator',
        path: '/',
        trustPolicy: TRUST,
        attachedPolicyArns: [],
        inlinePolicyNames: [],
        tags: { team: 'ml-platform' },
      });
    });

    it('answers undefined for a role that does not exist and Conflict for a duplicate name', async () => {
      expect(await f.gateway.getRole('no-such-role')).toBeUndefined();
      const e = await rejection(
        f.gateway.createRole({ name: 'hyperpod-inference-operator', trustPolicy: TRUST }),
      );
      expect(e.kind).toBe('Conflict');
    });

    it('attaches, puts, tags and untags, and shows it all on the role', async () => {
      await f.gateway.attachRolePolicy('hyperpod-inference-operator', MANAGED);
      await f.gateway.putRolePolicy('hyperpod-inference-operator', 'tls-bucket', S3_POLICY);
      await f.gateway.tagRole('hyperpod-inference-operator', {
        'hyperpod.aws/migrated-from': 'helm',
      });
      await f.gateway.untagRole('hyperpod-inference-operator', ['team']);
      const role = await f.gateway.getRole('hyperpod-inference-operator');
      expect(role).toMatchObject({
        attachedPolicyArns: [MANAGED],
        inlinePolicyNames: ['tls-bucket'],
        tags: { 'hyperpod.aws/migrated-from': 'helm' },
      });
      expect(await f.gateway.getRolePolicy('hyperpod-inference-operator', 'tls-bucket')).toEqual(
        S3_POLICY,
      );
      expect(await f.gateway.getRolePolicy('hyperpod-inference-operator', 'nope')).toBeUndefined();
    });

    it('refuses to delete a role with policies (InUse), then deletes it once they are gone', async () => {
      expect((await rejection(f.gateway.deleteRole('hyperpod-inference-operator'))).kind).toBe(
        'InUse',
      );
      await f.gateway.detachRolePolicy('hyperpod-inference-operator', MANAGED);
      await f.gateway.deleteRolePolicy('hyperpod-inference-operator', 'tls-bucket');
      await f.gateway.deleteRole('hyperpod-inference-operator');
      expect(await f.gateway.getRole('hyperpod-inference-operator')).toBeUndefined();
    });

    it('answers NotFound for changes to a role that does not exist, InvalidParameter for a bad name', async () => {
      expect((await rejection(f.gateway.tagRole('no-such-role', { a: 'b' }))).kind).toBe(
        'NotFound',
      );
      expect((await rejection(f.gateway.deleteRolePolicy('no-such-role', 'x'))).kind).toBe(
        'NotFound',
      );
      expect(
        (
          await rejection(
            f.gateway.createRole({ name: 'bad name with spaces', trustPolicy: TRUST }),
          )
        ).kind,
      ).toBe('InvalidParameter');
    });

    it('reports refused credentials as Unauthenticated', async () => {
      const e = await rejection((await f.unauthenticated()).getRole('anything'));
      expect(e.kind).toBe('Unauthenticated');
      expect(e.service).toBe('iam');
    });
  });
}
