/**
 * The sandbox's IAM behind its own endpoint for the iam*.test.ts suites (each starts its own), an
 * SDK v3 IAM client on it, and the policy documents they share. The bindings below are set by
 * `useIamSandbox`'s beforeAll.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { IamService } from '@hyperpod/sandbox/testing';
import { startAwsHarness, type AwsHarness } from '../support/awsHarness';

export const IRSA_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: {
        Federated:
          'arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/5C5E4B1D3A2F',
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'oidc.eks.us-west-2.amazonaws.com/id/5C5E4B1D3A2F:sub':
            'system:serviceaccount:hyperpod-inference-system:hyperpod-inference-operator-controller-manager',
        },
      },
    },
  ],
};
export const S3_READ = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::hyperpod-tls-certs', 'arn:aws:s3:::hyperpod-tls-certs/*'],
    },
  ],
};

type Services = { iam: IamService };
export let h: AwsHarness<Services>;
export let iam: IAMClient;

/** Starts the sandbox's IAM before the suite, and stops it after. */
export function useIamSandbox(): void {
  beforeAll(async () => {
    h = await startAwsHarness((ctx) => ({ iam: new IamService(ctx) }));
    iam = new IAMClient({ ...h.clientConfig('us-east-1'), maxAttempts: 1 });
  });
  afterAll(async () => {
    iam.destroy();
    await h.stop();
  });
}
