/**
 * Gateways for one sandbox cluster that record every AWS operation (SDK middleware on each
 * client) and every Kubernetes request (the kube gateway's onRequest hook) they send.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { KubeConfig } from '@kubernetes/client-node';
import type { MigrationGateways, SageMakerGateway } from '@hyperpod/core';
import {
  AwsSdkAcmGateway,
  AwsSdkEksGateway,
  AwsSdkElbv2Gateway,
  AwsSdkIamGateway,
  AwsSdkS3Gateway,
  AwsSdkSageMakerGateway,
  ClientNodeKubeGateway,
  awsOperationKey,
  kubeRequestAttributes,
  type KubeRequestAttributes,
} from '@hyperpod/core-node';
import type { Sandbox } from '@hyperpod/sandbox';

export interface Recorder {
  aws: Set<string>;
  kube: KubeRequestAttributes[];
}

export const newRecorder = (): Recorder => ({ aws: new Set(), kube: [] });

interface MiddlewareClient {
  middlewareStack: {
    add(
      mw: (
        next: (a: unknown) => Promise<unknown>,
        ctx: { clientName?: string; commandName?: string },
      ) => (a: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; name: string },
    ): void;
  };
}

function recorded<C>(client: C, rec: () => Recorder): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, ctx) => async (args) => {
      const key = awsOperationKey(ctx.clientName ?? '', ctx.commandName ?? '');
      rec().aws.add(key ?? `${ctx.clientName}:${ctx.commandName}`);
      return next(args);
    },
    { step: 'initialize', name: 'recordPermission' },
  );
  return client;
}

export interface RecordingGateways extends MigrationGateways {
  sagemaker: SageMakerGateway;
}

/**
 * Real SDK and client-node gateways for `clusterName`; `rec()` is read at each call so a test can
 * swap recorders between actions.
 */
export function recordingGateways(
  sb: Sandbox,
  clusterName: string,
  rec: () => Recorder,
): RecordingGateways {
  const c = sb.cluster(clusterName);
  const config = { ...sb.sdkConfig(c.accountId, c.region), maxAttempts: 1 };
  const info = { region: c.region, accountId: c.accountId };
  const kc = new KubeConfig();
  kc.loadFromString(sb.kubeconfig(c.name));
  return {
    eks: new AwsSdkEksGateway(recorded(new EKSClient(config), rec), info),
    iam: new AwsSdkIamGateway(recorded(new IAMClient(config), rec), info),
    s3: new AwsSdkS3Gateway(recorded(new S3Client({ ...config, forcePathStyle: true }), rec), info),
    elbv2: new AwsSdkElbv2Gateway(recorded(new ElasticLoadBalancingV2Client(config), rec), info),
    acm: new AwsSdkAcmGateway(recorded(new ACMClient(config), rec), info),
    sagemaker: new AwsSdkSageMakerGateway(recorded(new SageMakerClient(config), rec), info),
    kube: new ClientNodeKubeGateway(kc, {
      onRequest: (method, path) => rec().kube.push(kubeRequestAttributes(method, path)),
    }),
  };
}
