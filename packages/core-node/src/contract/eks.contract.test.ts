/** The EksGateway contract, run against the in-memory fake and against AwsSdkEksGateway on the sandbox. */
import { EKSClient } from '@aws-sdk/client-eks';
import { InMemoryEksGateway } from '@hyperpod/core';
import { ADDON_CATALOG, Sandbox } from '@hyperpod/sandbox';
import { AwsSdkEksGateway } from '../aws/AwsSdkEksGateway';
import { createAwsGateways } from '../aws/AwsClients';
import { eksGatewayContract } from './eksGatewayContract';
import { toCatalogEntries, toConfigurationSchemas } from './sandboxCatalog';

const ADDONS = [
  'kube-proxy',
  'vpc-cni',
  'metrics-server',
  'coredns',
  'eks-pod-identity-agent',
  'snapshot-controller',
  'aws-efs-csi-driver',
];
const K8S = '1.31';
/** The cluster both gateways' contract runs on. */
const CLUSTER = { clusterName: 'contract', kubernetesVersion: K8S, addonNames: ADDONS };

eksGatewayContract('InMemoryEksGateway', async () => {
  const gateway = new InMemoryEksGateway({
    accountId: '111111111111',
    region: 'us-east-1',
    clusters: [{ name: 'contract', version: K8S }],
    catalog: toCatalogEntries(ADDON_CATALOG),
    configurationSchemas: toConfigurationSchemas(ADDON_CATALOG),
    transitionMs: 30,
  });
  return {
    gateway,
    ...CLUSTER,
    addClusters: async (names) => {
      for (const name of names) gateway.addCluster({ name, version: K8S });
    },
    seedAddon: async (a) => gateway.seedAddon(a),
    throttled: async () => {
      gateway.faults.fail({ kind: 'Throttled' });
      return { gateway, restore: async () => gateway.faults.clear() };
    },
    unauthenticated: async () => {
      const g = new InMemoryEksGateway({ clusters: [{ name: 'contract', version: K8S }] });
      g.faults.fail({ kind: 'Unauthenticated' });
      return g;
    },
    teardown: async () => {},
  };
});

eksGatewayContract('AwsSdkEksGateway on the sandbox', async () => {
  const sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 50 });
  const prod = sb.account('prod');
  await sb.addCluster({ account: 'prod', region: 'us-east-1', name: 'contract', version: K8S });
  const config = sb.sdkConfig('prod', 'us-east-1');
  // A small page size makes the add-on and catalog lists span several pages.
  const gateway = new AwsSdkEksGateway(new EKSClient({ ...config, maxAttempts: 1 }), {
    region: 'us-east-1',
    accountId: prod.accountId,
    pageSize: 3,
  });
  return {
    gateway,
    ...CLUSTER,
    addClusters: async (names) => {
      // Clusters without an API server: ListClusters only needs EKS to know them.
      for (const name of names)
        sb.services.eks.addCluster({
          accountId: prod.accountId,
          region: 'us-east-1',
          name,
          version: K8S,
          endpoint: 'https://127.0.0.1:9',
        });
    },
    seedAddon: async (a) =>
      sb.services.eks.seedAddon({
        accountId: prod.accountId,
        region: 'us-east-1',
        clusterName: a.clusterName,
        addonName: a.addonName,
        addonVersion: a.addonVersion,
        status: a.status as 'ACTIVE',
        health: a.issues?.map((i) => ({
          code: i.code,
          message: i.message ?? '',
          resourceIds: i.resourceIds,
        })),
      }),
    throttled: async () => {
      sb.faults.set({ throttleRate: 1 });
      const g = createAwsGateways({
        region: 'us-east-1',
        endpoint: config.endpoint,
        credentials: config.credentials,
        maxAttempts: 1,
      }).eks;
      return { gateway: g, restore: async () => sb.faults.set({ throttleRate: 0 }) };
    },
    unauthenticated: async () =>
      createAwsGateways({
        region: 'us-east-1',
        endpoint: config.endpoint,
        credentials: {
          accessKeyId: prod.accessKeyId,
          secretAccessKey: 'not-the-secret-0000000000000000000000000',
        },
        maxAttempts: 1,
      }).eks,
    teardown: () => sb.stop(),
  };
});
