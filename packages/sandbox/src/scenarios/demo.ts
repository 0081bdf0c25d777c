/**
 * The demo fleet: every state the product must show, over two accounts and two regions.
 *
 * | cluster          | account | region    | Kubernetes | state                                                       |
 * |------------------|---------|-----------|------------|-------------------------------------------------------------|
 * | ml-prod-use1     | prod    | us-east-1 | 1.31       | inference operator by Helm, chart 2.2.2 (upgraded from 2.1.0) |
 * | ml-dev-use1      | dev     | us-east-1 | 1.30       | inference operator as a sub-chart of `hyperpod-dependencies`, chart 2.1.0 |
 * | ml-research-usw2 | prod    | us-west-2 | 1.32       | add-on, newest version, dependencies as add-ons              |
 * | ml-staging-usw2  | dev     | us-west-2 | 1.31       | add-on, outdated version                                    |
 * | ml-batch-use1    | dev     | us-east-1 | 1.31       | add-on DEGRADED (replicas), coredns ConfigurationConflict   |
 * | ml-canary-usw2   | prod    | us-west-2 | 1.31       | Helm release stuck in pending-upgrade                       |
 * | ml-legacy-use1   | prod    | us-east-1 | 1.28       | oldest Kubernetes; snapshot-controller must move before 1.29 |
 */
import type { HelmValues } from '@hyperpod/core';
import { INFERENCE_NS } from '../catalog/workloads/inferenceWorkloads';
import { defaultAddonVersion, latestAddonVersion } from '../catalog/findAddon';
import type { HelmReleaseSeed } from '../helm/buildHelmRelease';
import {
  dependenciesReleaseSeed,
  inferenceOperatorReleaseSeed,
  type InferenceOperatorRevision,
} from '../helm/inferenceOperatorRelease';
import { addonCluster, INFERENCE_ADDON } from './addonCluster';
import { handEditCoreDns } from './handEditCoreDns';
import { helmCluster } from './helmCluster';
import type { Scenario } from './index';
import {
  defaultVersion,
  insufficientReplicas,
  seedClusterAddon,
  seedCoreAddons,
} from './seedClusterAddons';

export { INFERENCE_ADDON } from './addonCluster';

/** Revision 1 of the demo's Helm releases: chart 2.1.0, installed. */
const installed210 = (values: HelmValues): InferenceOperatorRevision => ({
  status: 'superseded',
  chartVersion: '2.1.0',
  values,
  description: 'Install complete',
});

/** ml-prod-use1's release: chart 2.1.0 installed, then upgraded to 2.2.2. */
const installedThenUpgraded = (values: HelmValues): HelmReleaseSeed =>
  inferenceOperatorReleaseSeed({
    revisions: [
      installed210(values),
      { status: 'deployed', chartVersion: '2.2.2', values, description: 'Upgrade complete' },
    ],
  });

/**
 * One account, one cluster running the inference operator from Helm (chart 2.2.2 after 2.1.0, in
 * kube-system), as ml-prod-use1 of the demo: the subject of migration tests and benchmarks.
 */
export function helmInferenceScenario(clusterName: string, kubernetesVersion = '1.31'): Scenario {
  return {
    name: 'one-helm-cluster',
    description: `${clusterName}: the inference operator from Helm`,
    async seed(sb) {
      sb.addAccount('prod', '111111111111');
      await helmCluster(
        sb,
        { account: 'prod', region: 'us-east-1', name: clusterName, version: kubernetesVersion },
        installedThenUpgraded,
      );
    },
  };
}

export const demoScenario: Scenario = {
  name: 'demo',
  description:
    '7 clusters, 2 accounts, 2 regions: Helm installs, add-ons current / outdated / degraded, a stuck Helm release, an old Kubernetes version',
  async seed(sb) {
    sb.addAccount('prod', '111111111111');
    sb.addAccount('dev', '222222222222');

    await helmCluster(
      sb,
      { account: 'prod', region: 'us-east-1', name: 'ml-prod-use1', version: '1.31' },
      installedThenUpgraded,
    );

    await helmCluster(
      sb,
      { account: 'dev', region: 'us-east-1', name: 'ml-dev-use1', version: '1.30' },
      (values) => dependenciesReleaseSeed({ inferenceOperatorChartVersion: '2.1.0', values }),
    );

    await addonCluster(
      sb,
      { account: 'prod', region: 'us-west-2', name: 'ml-research-usw2', version: '1.32' },
      {
        version: latestAddonVersion(INFERENCE_ADDON, '1.32')!,
      },
    );

    await addonCluster(
      sb,
      { account: 'dev', region: 'us-west-2', name: 'ml-staging-usw2', version: '1.31' },
      {
        version: 'v1.0.0-eksbuild.1',
      },
    );

    const batch = await addonCluster(
      sb,
      { account: 'dev', region: 'us-east-1', name: 'ml-batch-use1', version: '1.31' },
      {
        version: defaultAddonVersion(INFERENCE_ADDON, '1.31')!,
        status: 'DEGRADED',
        issues: [insufficientReplicas(`${INFERENCE_NS}/hyperpod-inference-controller-manager`)],
      },
    );
    // Someone edited CoreDNS by hand: EKS reports the conflict on the add-on.
    seedClusterAddon(sb, batch, 'coredns', defaultVersion('coredns', '1.31'), {
      status: 'DEGRADED',
      applyWorkloads: false,
      health: [
        {
          code: 'ConfigurationConflict',
          message:
            'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile\nDeployment.apps coredns - .spec.template.spec.containers[name="coredns"].image',
          resourceIds: ['kube-system/coredns'],
        },
      ],
    });
    handEditCoreDns(sb, batch);

    await helmCluster(
      sb,
      { account: 'prod', region: 'us-west-2', name: 'ml-canary-usw2', version: '1.31' },
      (values) =>
        inferenceOperatorReleaseSeed({
          revisions: [
            installed210(values),
            {
              status: 'deployed',
              chartVersion: '2.1.0',
              values: { ...values, metrics: { enabled: true } },
              description: 'Upgrade complete',
            },
            {
              status: 'pending-upgrade',
              chartVersion: '2.2.2',
              values: { ...values, metrics: { enabled: true } },
              description: 'Preparing upgrade',
            },
          ],
        }),
    );

    const legacy = await sb.addCluster({
      account: 'prod',
      region: 'us-east-1',
      name: 'ml-legacy-use1',
      version: '1.28',
    });
    seedCoreAddons(sb, legacy);
    seedClusterAddon(sb, legacy, 'metrics-server', defaultVersion('metrics-server', '1.28'));
    // Offered on 1.28 only: blocks the move to 1.29 until it is upgraded.
    seedClusterAddon(sb, legacy, 'snapshot-controller', 'v6.3.2-eksbuild.1');
  },
};
