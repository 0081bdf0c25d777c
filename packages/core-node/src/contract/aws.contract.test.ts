/**
 * The IAM, S3, STS, ELBv2, ACM and SageMaker gateway contracts, each run against its in-memory
 * fake and against its AwsSdk adapter on the sandbox.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  InMemoryAcmGateway,
  InMemoryElbv2Gateway,
  InMemoryIamGateway,
  InMemoryS3Gateway,
  InMemorySageMakerGateway,
  InMemoryStsGateway,
} from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { createAwsGateways, type AwsGatewayOptions } from '../aws/AwsClients';
import { AwsSdkAcmGateway } from '../aws/AwsSdkAcmGateway';
import { AwsSdkElbv2Gateway } from '../aws/AwsSdkElbv2Gateway';
import { AwsSdkSageMakerGateway } from '../aws/AwsSdkSageMakerGateway';
import { iamGatewayContract } from './iamGatewayContract';
import { s3GatewayContract } from './s3GatewayContract';
import { stsGatewayContract } from './stsGatewayContract';
import {
  acmGatewayContract,
  elbv2GatewayContract,
  sageMakerGatewayContract,
} from './taggedResourcesContract';

const PROD = '111111111111';
const DEV = '222222222222';

/** A sandbox per adapter suite (they start in well under a second). */
async function sandbox(): Promise<{
  sb: Sandbox;
  opts: (extra?: Partial<AwsGatewayOptions>) => AwsGatewayOptions;
  release(): Promise<void>;
}> {
  const sb = await Sandbox.start({ scenario: 'empty' });
  const c = sb.sdkConfig('prod', 'us-east-1');
  return {
    sb,
    opts: (extra = {}) => ({
      region: 'us-east-1',
      accountId: PROD,
      endpoint: c.endpoint,
      credentials: c.credentials,
      maxAttempts: 1,
      ...extra,
    }),
    release: () => sb.stop(),
  };
}

const wrongSecret = (sb: Sandbox) => ({
  accessKeyId: sb.account('prod').accessKeyId,
  secretAccessKey: 'x'.repeat(40),
});

iamGatewayContract('InMemoryIamGateway', async () => {
  const gateway = new InMemoryIamGateway({ accountId: PROD });
  return {
    gateway,
    accountId: PROD,
    unauthenticated: async () => {
      const g = new InMemoryIamGateway();
      g.faults.fail({ kind: 'Unauthenticated' });
      return g;
    },
    teardown: async () => {},
  };
});

iamGatewayContract('AwsSdkIamGateway on the sandbox', async () => {
  const { sb, opts, release } = await sandbox();
  return {
    gateway: createAwsGateways(opts()).iam,
    accountId: PROD,
    unauthenticated: async () => createAwsGateways(opts({ credentials: wrongSecret(sb) })).iam,
    teardown: release,
  };
});

s3GatewayContract('InMemoryS3Gateway', async () => {
  const gateway = new InMemoryS3Gateway();
  gateway.seedBucket('hyperpod-tls-certs-prod');
  gateway.seedObject('hyperpod-tls-certs-prod', 'certs/tls.crt', { purpose: 'tls' });
  gateway.seedBucket('hyperpod-tls-certs-dev', { foreign: true });
  return {
    gateway,
    bucket: 'hyperpod-tls-certs-prod',
    foreignBucket: 'hyperpod-tls-certs-dev',
    throttled: async () => {
      gateway.faults.fail({ kind: 'Throttled', code: 'SlowDown' });
      return { gateway, restore: async () => gateway.faults.clear() };
    },
    teardown: async () => {},
  };
});

s3GatewayContract('AwsSdkS3Gateway on the sandbox', async () => {
  const { sb, opts, release } = await sandbox();
  sb.services.s3.seedBucket({
    accountId: PROD,
    region: 'us-east-1',
    name: 'hyperpod-tls-certs-prod',
  });
  sb.services.s3.seedObject('hyperpod-tls-certs-prod', 'certs/tls.crt', { purpose: 'tls' });
  sb.services.s3.seedBucket({
    accountId: DEV,
    region: 'us-east-1',
    name: 'hyperpod-tls-certs-dev',
  });
  return {
    gateway: createAwsGateways(opts()).s3,
    bucket: 'hyperpod-tls-certs-prod',
    foreignBucket: 'hyperpod-tls-certs-dev',
    throttled: async () => {
      sb.faults.set({ throttleRate: 1 });
      return {
        gateway: createAwsGateways(opts()).s3,
        restore: async () => sb.faults.set({ throttleRate: 0 }),
      };
    },
    teardown: release,
  };
});

stsGatewayContract('InMemoryStsGateway', async () => {
  const gateway = new InMemoryStsGateway();
  gateway.allowAssumeRole(`arn:aws:iam::${DEV}:role/hyperpod-fleet-reader`);
  return {
    gateway,
    accountId: PROD,
    assumableRoleArn: `arn:aws:iam::${DEV}:role/hyperpod-fleet-reader`,
    refusedRoleArn: `arn:aws:iam::${DEV}:role/someone-else`,
    unauthenticated: async () => {
      const g = new InMemoryStsGateway();
      g.faults.fail({ kind: 'Unauthenticated', code: 'InvalidClientTokenId' });
      return g;
    },
    teardown: async () => {},
  };
});

stsGatewayContract('AwsSdkStsGateway on the sandbox', async () => {
  const { sb, opts, release } = await sandbox();
  const trust = (principal: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
  });
  sb.services.iam.seedRole({
    accountId: DEV,
    name: 'hyperpod-fleet-reader',
    trustPolicy: trust(`arn:aws:iam::${PROD}:root`),
  });
  sb.services.iam.seedRole({
    accountId: DEV,
    name: 'someone-else',
    trustPolicy: trust('arn:aws:iam::333333333333:root'),
  });
  return {
    gateway: createAwsGateways(opts()).sts,
    accountId: PROD,
    assumableRoleArn: `arn:aws:iam::${DEV}:role/hyperpod-fleet-reader`,
    refusedRoleArn: `arn:aws:iam::${DEV}:role/someone-else`,
    unauthenticated: async () => createAwsGateways(opts({ credentials: wrongSecret(sb) })).sts,
    teardown: release,
  };
});

elbv2GatewayContract('InMemoryElbv2Gateway', async () => {
  const gateway = new InMemoryElbv2Gateway();
  return {
    gateway,
    seed: async (lbs) => lbs.map((lb) => gateway.seedLoadBalancer(lb).arn),
    teardown: async () => {},
  };
});

elbv2GatewayContract('AwsSdkElbv2Gateway on the sandbox', async () => {
  const { sb, opts, release } = await sandbox();
  const o = opts();
  // DescribeLoadBalancers pages of 400 would hide pagination; the SDK client is the adapter's own.
  const gateway = new AwsSdkElbv2Gateway(
    new ElasticLoadBalancingV2Client({
      region: o.region,
      endpoint: o.endpoint,
      credentials: o.credentials as never,
      maxAttempts: 1,
    }),
    { region: o.region },
  );
  return {
    gateway,
    seed: async (lbs) =>
      lbs.map(
        (lb) =>
          sb.services.elbv2.seedLoadBalancer({
            accountId: PROD,
            region: 'us-east-1',
            name: lb.name,
            tags: lb.tags,
          }).arn,
      ),
    teardown: release,
  };
});

acmGatewayContract('InMemoryAcmGateway', async () => {
  const gateway = new InMemoryAcmGateway({ accountId: PROD });
  return {
    gateway,
    accountId: PROD,
    seed: async (domainName, tags) => gateway.seedCertificate({ domainName, tags }),
    teardown: async () => {},
  };
});

acmGatewayContract('AwsSdkAcmGateway on the sandbox', async () => {
  const { sb, opts, release } = await sandbox();
  const o = opts();
  return {
    gateway: new AwsSdkAcmGateway(
      new ACMClient({
        region: o.region,
        endpoint: o.endpoint,
        credentials: o.credentials as never,
        maxAttempts: 1,
      }),
      { region: o.region },
    ),
    accountId: PROD,
    seed: async (domainName, tags) =>
      sb.services.acm.seedCertificate({ accountId: PROD, region: 'us-east-1', domainName, tags }),
    teardown: release,
  };
});

sageMakerGatewayContract('InMemorySageMakerGateway', async () => {
  const gateway = new InMemorySageMakerGateway();
  return {
    gateway,
    seed: async (name, eksClusterArn) => gateway.seedHyperPodCluster({ name, eksClusterArn }),
    teardown: async () => {},
  };
});

sageMakerGatewayContract('AwsSdkSageMakerGateway on the sandbox', async () => {
  const { sb, opts, release } = await sandbox();
  const o = opts();
  return {
    // Pages of 5 so twelve clusters take three calls.
    gateway: new AwsSdkSageMakerGateway(
      new SageMakerClient({
        region: o.region,
        endpoint: o.endpoint,
        credentials: o.credentials as never,
        maxAttempts: 1,
      }),
      { region: o.region, pageSize: 5 },
    ),
    seed: async (name, eksClusterArn) =>
      sb.services.sagemaker.seedHyperPodCluster({
        accountId: PROD,
        region: 'us-east-1',
        name,
        eksClusterArn,
      }),
    teardown: release,
  };
});
