import { executeUpgrade, planUpgrade, type EksGateway, type UpgradeEvent } from '@hyperpod/core';
import { AwsClients } from '@hyperpod/core-node';
import { Sandbox } from '@hyperpod/sandbox';
import { seedAddon } from '../support/seedAddon';

/**
 * executeUpgrade through the real AWS SDK (AwsSdkEksGateway) on sandbox clusters: vpc-cni from
 * v1.18.6 to the newest for 1.31, one minor version at a time, once clean and once with the last
 * hop scripted to go DEGRADED (EKS keeps the new version; executeUpgrade must put the old back).
 */
describe('executeUpgrade on the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 50 });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  const CONFIG = JSON.stringify({ env: { WARM_IP_TARGET: '5', ENABLE_PREFIX_DELEGATION: 'true' } });

  async function cluster(name: string) {
    const c = await sb.addCluster({ account: 'prod', region: 'us-east-1', name, version: '1.31' });
    const roleArn = `arn:aws:iam::${c.accountId}:role/AmazonEKSVPCCNIRole-${name}`;
    seedAddon(sb, c, 'vpc-cni', 'v1.18.6-eksbuild.1', {
      configurationValues: CONFIG,
      serviceAccountRoleArn: roleArn,
    });
    const eks: EksGateway = new AwsClients({ maxAttempts: 1 }).gateways({
      ...sb.sdkConfig('prod', 'us-east-1'),
      accountId: c.accountId,
    }).eks;
    const addon = (await eks.describeAddon(c.name, 'vpc-cni'))!;
    const [catalog] = await eks.describeAddonVersions({
      addonName: 'vpc-cni',
      kubernetesVersion: '1.31',
    });
    const target = 'v1.20.0-eksbuild.1';
    const schema = await eks.describeAddonConfiguration('vpc-cni', target);
    const plan = planUpgrade({
      clusterName: c.name,
      kubernetesVersion: '1.31',
      addon,
      target: 'latest',
      catalog: catalog!,
      schemas: { [target]: schema.configurationSchema },
    });
    return { c, eks, plan, roleArn };
  }

  it('upgrades hop by hop to ACTIVE at the newest version', async () => {
    const { c, eks, plan } = await cluster('ml-upgrade-ok-use1');
    expect(plan.refusals).toEqual([]);
    expect(plan.hops).toEqual(['v1.19.5-eksbuild.3', 'v1.20.0-eksbuild.1']);
    const events: UpgradeEvent[] = [];

    const out = await executeUpgrade(plan, {
      eks,
      pollMs: 10,
      timeoutMs: 10_000,
      onEvent: (e) => events.push(e),
    });

    expect(out.status).toBe('succeeded');
    expect(out.hopsDone).toEqual(plan.hops);
    expect(out.updateIds).toHaveLength(2);
    for (const id of out.updateIds)
      expect((await eks.describeUpdate(c.name, id, 'vpc-cni')).status).toBe('Successful');
    expect(await eks.describeAddon(c.name, 'vpc-cni')).toMatchObject({
      status: 'ACTIVE',
      addonVersion: 'v1.20.0-eksbuild.1',
      configurationValues: CONFIG,
    });
    expect(events.map((e) => e.type)).toContain('succeeded');
  });

  it('rolls a hop that goes DEGRADED back to the captured version, configuration and role', async () => {
    const { c, eks, plan, roleArn } = await cluster('ml-upgrade-degraded-use1');
    sb.services.eks.failOn({
      addonName: 'vpc-cni',
      addonVersion: 'v1.20.0-eksbuild.1',
      kind: 'update',
      outcome: 'DEGRADED',
      issue: {
        code: 'InsufficientNumberOfReplicas',
        message: 'The add-on is unhealthy because it does not have the desired number of replicas.',
        resourceIds: ['kube-system/aws-node'],
      },
      times: 1,
    });

    const out = await executeUpgrade(plan, {
      eks,
      pollMs: 10,
      timeoutMs: 10_000,
      degradedGraceMs: 200,
    });

    expect(out.status).toBe('rolled-back');
    expect(out.failedHop).toBe('v1.20.0-eksbuild.1');
    expect(out.hopsDone).toEqual(['v1.19.5-eksbuild.3']);
    expect(out.issueCodes).toContain('InsufficientNumberOfReplicas');
    expect(out.rollback).toEqual({ method: 'update', succeeded: true });
    expect((await eks.describeUpdate(c.name, out.updateIds[1]!, 'vpc-cni')).status).toBe('Failed');
    expect(await eks.describeAddon(c.name, 'vpc-cni')).toMatchObject({
      status: 'ACTIVE',
      addonVersion: 'v1.18.6-eksbuild.1',
      configurationValues: CONFIG,
      serviceAccountRoleArn: roleArn,
      issues: [],
    });
  });
});
