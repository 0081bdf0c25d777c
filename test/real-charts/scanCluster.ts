/**
 * What `status` / drift sees on a real-chart sandbox's cluster: the scan through the real AWS SDK
 * and @kubernetes/client-node gateways, and the report built from it.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { buildClusterReport, CachingAddonCatalog, observeCluster } from '@hyperpod/core';
import { AwsClients, ClientNodeKubeGateway } from '@hyperpod/core-node';
import type { RealChartSandbox } from '../support/realChartSandbox';

export async function scanCluster(s: RealChartSandbox, clusterName: string) {
  const c = s.sb.cluster(clusterName);
  const aws = new AwsClients({ maxAttempts: 1 }).gateways({
    ...s.sb.sdkConfig('prod', c.region),
    accountId: c.accountId,
  });
  const kc = new KubeConfig();
  kc.loadFromString(s.sb.kubeconfig(c.name));
  const obs = await observeCluster(
    { name: c.name, accountId: c.accountId, region: c.region, context: c.name },
    { eks: aws.eks, kube: new ClientNodeKubeGateway(kc), catalog: new CachingAddonCatalog() },
  );
  expect(obs.errors).toEqual([]);
  return buildClusterReport(obs);
}
