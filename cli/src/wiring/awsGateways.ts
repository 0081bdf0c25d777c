import type { EksGateway } from '@hyperpod/core';
import type { AwsGatewayOptions, AwsGateways } from '@hyperpod/core-node';
import { coreNode } from './loadModules';

/** Where AWS calls for a cluster (or a fleet file's discovery entry) go, and as whom. */
export interface AwsScope {
  region?: string;
  accountId?: string;
  profile?: string;
  roleArn?: string;
}

/** EKS gateways by scope, from one AwsClients (one SDK client per account, region and identity). */
export interface EksGateways {
  eksFor(scope: AwsScope): EksGateway;
  /** Loads the SDK behind `eksFor(scope)` without calling AWS. */
  prepareEksFor(scope: AwsScope): Promise<void>;
}

/** A resolved target always has a region (resolveTargets refuses one without). */
const gatewayOptions = (s: AwsScope): AwsGatewayOptions => ({
  region: s.region!,
  accountId: s.accountId,
  profile: s.profile,
  roleArn: s.roleArn,
});

/**
 * EKS gateways, by default without the SDK's retries: the scan's one retry layer is core's
 * (scanClusters), which retries a throttled call at the pacer's next token.
 */
export async function eksGateways(timeoutMs: number, sdkRetries = false): Promise<EksGateways> {
  const { AwsClients } = await coreNode();
  const clients = new AwsClients({
    requestTimeoutMs: timeoutMs,
    ...(sdkRetries ? {} : { maxAttempts: 1 }),
  });
  return {
    eksFor: (s) => clients.gateways(gatewayOptions(s)).eks,
    prepareEksFor: (s) => clients.prepareEks(gatewayOptions(s)),
  };
}

/**
 * Every AWS gateway (EKS, IAM, S3, ELBv2, ACM, STS...) of one target, with the SDK's retries: what
 * a migration or an upgrade of that one cluster calls.
 */
export async function awsGateways(scope: AwsScope, timeoutMs: number): Promise<AwsGateways> {
  const { AwsClients } = await coreNode();
  return new AwsClients({ requestTimeoutMs: timeoutMs }).gateways(gatewayOptions(scope));
}
