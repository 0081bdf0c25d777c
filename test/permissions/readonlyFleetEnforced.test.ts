import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CachingAddonCatalog, observeCluster } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { newRecorder, recordingGateways } from './recording';

/**
 * The whole demo fleet (two accounts, two regions, every add-on state) scanned with IAM
 * enforcement on in both accounts and exactly the shipped read-only policy attached to each
 * account's user, as a scenario setting: every cluster is observed without an error, and a write
 * is still refused.
 */
const readonly = JSON.parse(
  readFileSync(path.join(__dirname, '../../permissions/iam/hyperpod-readonly.json'), 'utf8'),
) as object;

describe('the shipped read-only policy over the demo fleet under enforcement', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    const account = { enforce: true, userPolicies: { 'hyperpod-readonly': readonly } };
    sb = await Sandbox.start({
      scenario: 'demo',
      addonTransitionMs: 20,
      scenarioOptions: { authorization: { prod: account, dev: account } },
    });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('observes every cluster without an error', async () => {
    expect(sb.authorization.enforcedAccounts()).toEqual(sb.accounts.map((a) => a.accountId).sort());
    const catalog = new CachingAddonCatalog();
    const errors: Record<string, unknown[]> = {};
    for (const c of sb.clusters) {
      const g = recordingGateways(sb, c.name, newRecorder);
      const obs = await observeCluster(
        { name: c.name, accountId: c.accountId, region: c.region, context: c.context },
        { eks: g.eks, kube: g.kube, catalog },
      );
      errors[c.name] = obs.errors;
      expect(await g.sagemaker.listHyperPodClusters()).toBeDefined();
    }
    expect(errors).toEqual(Object.fromEntries(sb.clusters.map((c) => [c.name, []])));
  });

  it('still refuses a write', async () => {
    const c = sb.clusters[0]!;
    const g = recordingGateways(sb, c.name, newRecorder);
    await expect(g.eks.deleteAddon(c.name, 'vpc-cni', { preserve: true })).rejects.toMatchObject({
      kind: 'AccessDenied',
    });
  });
});
