/**
 * The demo fleet grown to 200 clusters: the seven demo clusters (every state the product must
 * show) plus generated ones spread over the same two accounts and two regions. It is what the
 * portal looks like for an organisation with a real fleet, and what `npm run bench:pages`
 * measures (`npm start -- --scenario large`).
 *
 * Generated clusters (`fleet-<region>-<nnn>`) run the core add-ons at their default versions for
 * Kubernetes 1.30 / 1.31 / 1.32 in turn, and deterministically vary: every 4th has
 * metrics-server, every 6th runs an older coredns (version drift), every 9th has a DEGRADED
 * kube-proxy (too few replicas).
 */
import type { AddonSeed } from '../aws/eks/EksService';
import { oldestAddonVersion } from '../catalog/findAddon';
import { demoScenario } from './demo';
import type { Scenario } from './index';
import {
  CORE_ADDONS,
  defaultVersion as version,
  insufficientReplicas,
  seedClusterAddon,
} from './seedClusterAddons';

export const LARGE_FLEET_CLUSTERS = 200;
const VERSIONS = ['1.30', '1.31', '1.32'];
const REGIONS = ['us-east-1', 'us-west-2'];
const REGION_CODE: Record<string, string> = { 'us-east-1': 'use1', 'us-west-2': 'usw2' };

export const largeScenario: Scenario = {
  name: 'large',
  description: `the demo fleet plus generated clusters, ${LARGE_FLEET_CLUSTERS} in all (prod and dev, us-east-1 and us-west-2)`,
  async seed(sb, options) {
    await demoScenario.seed(sb, options);
    const accounts = sb.accounts.map((a) => a.accountId);
    for (let i = sb.clusters.length; i < LARGE_FLEET_CLUSTERS; i++) {
      const region = REGIONS[i % REGIONS.length]!;
      const kubernetesVersion = VERSIONS[i % VERSIONS.length]!;
      const c = await sb.addCluster({
        account: accounts[Math.floor(i / REGIONS.length) % accounts.length]!,
        region,
        name: `fleet-${REGION_CODE[region]}-${String(i).padStart(3, '0')}`,
        version: kubernetesVersion,
      });
      const seed = (addonName: string, extra: Partial<AddonSeed> = {}) =>
        seedClusterAddon(sb, c, addonName, version(addonName, kubernetesVersion), extra);
      for (const addonName of CORE_ADDONS) {
        if (addonName === 'coredns' && i % 6 === 0)
          seed(addonName, {
            addonVersion:
              oldestAddonVersion(addonName, kubernetesVersion) ??
              version(addonName, kubernetesVersion),
          });
        else if (addonName === 'kube-proxy' && i % 9 === 0)
          seed(addonName, {
            status: 'DEGRADED',
            health: [insufficientReplicas('kube-system/kube-proxy')],
          });
        else seed(addonName);
      }
      if (i % 4 === 0) seed('metrics-server');
    }
  },
};
