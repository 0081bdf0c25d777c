/**
 * The one place the backend meets the adapters: AWS SDK v3 gateways per cluster (the default
 * credential chain, a profile or an assumed role; the sandbox's endpoint when configured) and a
 * client-node gateway per kubeconfig context.
 */
import type { ClusterTarget, EksGateway, KubeGateway, MigrationGateways } from '@hyperpod/core';
import {
  AwsClients,
  kubeGatewayForContext,
  loadKubeconfig,
  type GatewaysFor,
  type LoadedKubeconfig,
} from '@hyperpod/core-node';
import type { HyperpodConfig } from './config';

export class FleetGateways {
  private readonly clients: AwsClients;
  /** For scans: no SDK retries, the scan loop's retry layer is the only one (docs/adr/0009). */
  private readonly scanClients: AwsClients;
  private kubeconfig: Promise<LoadedKubeconfig> | undefined;
  private readonly kubes = new Map<string, Promise<KubeGateway>>();

  constructor(private readonly config: HyperpodConfig) {
    this.clients = new AwsClients({
      requestTimeoutMs: config.requestTimeoutMs,
      ...(config.awsEndpoint ? { endpoint: config.awsEndpoint } : {}),
    });
    this.scanClients = new AwsClients({
      requestTimeoutMs: config.requestTimeoutMs,
      maxAttempts: 1,
      ...(config.awsEndpoint ? { endpoint: config.awsEndpoint } : {}),
    });
  }

  aws(t: Pick<ClusterTarget, 'region' | 'accountId' | 'profile' | 'roleArn'>) {
    return this.clients.gateways({
      region: t.region!,
      ...(t.accountId ? { accountId: t.accountId } : {}),
      ...(t.profile ? { profile: t.profile } : {}),
      ...(t.roleArn ? { roleArn: t.roleArn } : {}),
    });
  }

  eks(t: ClusterTarget): EksGateway {
    return this.aws(t).eks;
  }

  /** The EKS gateway a scan paces and retries itself. */
  scanEks(t: ClusterTarget): EksGateway {
    return this.scanClients.gateways({
      region: t.region!,
      ...(t.accountId ? { accountId: t.accountId } : {}),
      ...(t.profile ? { profile: t.profile } : {}),
      ...(t.roleArn ? { roleArn: t.roleArn } : {}),
    }).eks;
  }

  /** Undefined when the cluster has no kubeconfig context configured. */
  async kube(t: ClusterTarget): Promise<KubeGateway | undefined> {
    if (!t.context) return undefined;
    const context = t.context;
    let g = this.kubes.get(context);
    if (!g) {
      this.kubeconfig ??= loadKubeconfig({
        ...(this.config.kubeconfig ? { kubeconfig: this.config.kubeconfig } : {}),
      });
      g = this.kubeconfig.then((loaded) =>
        kubeGatewayForContext(loaded, context, { requestTimeoutMs: this.config.requestTimeoutMs }),
      );
      // A failure (missing kubeconfig, unknown context) is retried on the next call.
      g.catch(() => this.kubes.delete(context));
      this.kubes.set(context, g);
    }
    return g;
  }

  async migration(t: ClusterTarget): Promise<MigrationGateways | undefined> {
    const kube = await this.kube(t);
    if (!kube) return undefined;
    const a = this.aws(t);
    return { eks: a.eks, iam: a.iam, s3: a.s3, elbv2: a.elbv2, acm: a.acm, sts: a.sts, kube };
  }

  readonly gatewaysFor: GatewaysFor = async (scope) => {
    const a = this.aws(scope);
    return { eks: a.eks, sagemaker: a.sagemaker };
  };
}
