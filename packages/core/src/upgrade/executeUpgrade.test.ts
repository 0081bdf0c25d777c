import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { AddonIssue } from '../health/addonIssues';
import type {
  CreateAddonInput,
  EksAddon,
  EksGateway,
  EksUpdate,
  UpdateAddonInput,
} from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import { InMemoryEksGateway } from '../testing/InMemoryEksGateway';
import { executeUpgrade } from './executeUpgrade';
import type { UpgradeEvent } from './UpgradeOutcome';
import { planUpgrade, type UpgradePlan } from './planUpgrade';

const CLUSTER = 'ml-staging-usw2';
const compat = (versions: string[], def?: string) =>
  versions.map((clusterVersion) => ({ clusterVersion, defaultVersion: clusterVersion === def }));
const vpcCni: AddonCatalogEntry = {
  addonName: 'vpc-cni',
  versions: [
    { addonVersion: 'v1.20.0-eksbuild.1', compatibilities: compat(['1.31']) },
    { addonVersion: 'v1.19.5-eksbuild.3', compatibilities: compat(['1.31'], '1.31') },
    { addonVersion: 'v1.18.6-eksbuild.1', compatibilities: compat(['1.31']) },
  ],
};
const CONFIG = JSON.stringify({ env: { WARM_IP_TARGET: '5', ENABLE_PREFIX_DELEGATION: 'true' } });
// DescribeAddonConfiguration's schema text (draft-07, open like vpc-cni's).
const SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { env: { type: 'object', additionalProperties: { type: 'string' } } },
});
const ROLE = 'arn:aws:iam::111111111111:role/AmazonEKSVPCCNIRole';

/**
 * InMemoryEksGateway plus what it cannot do: count calls, script a failed update (EKS keeps the
 * new version, the Update goes Failed, the add-on DEGRADED / UPDATE_FAILED) and refuse an update.
 */
class ScriptedEksGateway implements EksGateway {
  readonly region = 'us-east-1';
  readonly calls: string[] = [];
  private failNext: { version: string; status: string; issue: AddonIssue } | undefined;
  private failed: { updateId: string; status: string; issue: AddonIssue } | undefined;
  refuseUpdateTo: string | undefined;

  constructor(readonly inner: InMemoryEksGateway) {}

  failUpdateTo(version: string, status: 'DEGRADED' | 'UPDATE_FAILED', issue: AddonIssue): void {
    this.failNext = { version, status, issue };
  }

  listClusters = () => this.call('ListClusters', () => this.inner.listClusters());
  describeCluster = (n: string) =>
    this.call('DescribeCluster', () => this.inner.describeCluster(n));
  listAddons = (c: string) => this.call('ListAddons', () => this.inner.listAddons(c));
  describeAddonVersions = (q: { addonName?: string; kubernetesVersion?: string }) =>
    this.call('DescribeAddonVersions', () => this.inner.describeAddonVersions(q));
  describeAddonConfiguration = (a: string, v: string) =>
    this.call('DescribeAddonConfiguration', () => this.inner.describeAddonConfiguration(a, v));
  createAddon = (i: CreateAddonInput) => this.call('CreateAddon', () => this.inner.createAddon(i));
  // A deleted add-on takes its failed state with it.
  deleteAddon = (c: string, a: string, o?: { preserve?: boolean }) =>
    this.call('DeleteAddon', () => {
      this.failed = undefined;
      return this.inner.deleteAddon(c, a, o);
    });

  async describeAddon(c: string, a: string): Promise<EksAddon | undefined> {
    const addon = await this.call('DescribeAddon', () => this.inner.describeAddon(c, a));
    if (addon && this.failed && addon.status === 'ACTIVE') {
      return { ...addon, status: this.failed.status, issues: [this.failed.issue] };
    }
    return addon;
  }

  async describeUpdate(c: string, id: string, a?: string): Promise<EksUpdate> {
    const u = await this.call('DescribeUpdate', () => this.inner.describeUpdate(c, id, a));
    if (this.failed?.updateId === id && u.status === 'Successful') {
      const { code: errorCode, message: errorMessage, resourceIds } = this.failed.issue;
      return {
        ...u,
        status: 'Failed',
        errors: [{ errorCode, ...(errorMessage ? { errorMessage } : {}), resourceIds }],
      };
    }
    return u;
  }

  async updateAddon(i: UpdateAddonInput): Promise<EksUpdate> {
    this.calls.push('UpdateAddon');
    if (i.addonVersion !== undefined && i.addonVersion === this.refuseUpdateTo) {
      throw new GatewayError(
        'InvalidParameter',
        `Updating ${i.addonName} to ${i.addonVersion} is not supported`,
        'eks',
        'UpdateAddon',
        'InvalidParameterException',
        400,
      );
    }
    const u = await this.inner.updateAddon(i);
    this.failed = undefined;
    if (this.failNext && this.failNext.version === i.addonVersion) {
      this.failed = { updateId: u.id, status: this.failNext.status, issue: this.failNext.issue };
      this.failNext = undefined;
    }
    return u;
  }

  private async call<T>(name: string, f: () => Promise<T>): Promise<T> {
    this.calls.push(name);
    return f();
  }
}

function setup(transitionMs = 30_000) {
  let t = Date.parse('2026-11-21T10:00:00Z');
  const now = () => t;
  const inner = new InMemoryEksGateway({
    clusters: [{ name: CLUSTER, version: '1.31' }],
    addons: [
      {
        clusterName: CLUSTER,
        addonName: 'vpc-cni',
        addonVersion: 'v1.18.6-eksbuild.1',
        configurationValues: CONFIG,
        serviceAccountRoleArn: ROLE,
      },
    ],
    catalog: [vpcCni],
    transitionMs,
    now,
  });
  const eks = new ScriptedEksGateway(inner);
  const events: UpgradeEvent[] = [];
  const deps = {
    eks,
    now,
    sleep: async (ms: number) => {
      t += ms;
    },
    pollMs: 5_000,
    timeoutMs: 10 * 60_000,
    degradedGraceMs: 60_000,
    onEvent: (e: UpgradeEvent) => events.push(e),
  };
  const plan = planUpgrade({
    clusterName: CLUSTER,
    kubernetesVersion: '1.31',
    addon: {
      addonName: 'vpc-cni',
      addonVersion: 'v1.18.6-eksbuild.1',
      configurationValues: CONFIG,
    },
    target: 'latest',
    catalog: vpcCni,
    schemas: { 'v1.20.0-eksbuild.1': SCHEMA },
  });
  return { eks, deps, plan, events };
}

describe('executeUpgrade', () => {
  it('walks the hops in order and ends ACTIVE at the target', async () => {
    const { eks, deps, plan, events } = setup();
    expect(plan.hops).toEqual(['v1.19.5-eksbuild.3', 'v1.20.0-eksbuild.1']);

    const out = await executeUpgrade(plan, deps);

    expect(out.status).toBe('succeeded');
    expect(out.hopsDone).toEqual(['v1.19.5-eksbuild.3', 'v1.20.0-eksbuild.1']);
    expect(out.updateIds).toHaveLength(2);
    expect(out.captured).toEqual({
      addonVersion: 'v1.18.6-eksbuild.1',
      configurationValues: CONFIG,
      serviceAccountRoleArn: ROLE,
    });
    const after = await eks.inner.describeAddon(CLUSTER, 'vpc-cni');
    expect(after).toMatchObject({ status: 'ACTIVE', addonVersion: 'v1.20.0-eksbuild.1' });
    // Captured before the first change; no conflict resolution asked for unless the plan says so.
    expect(eks.calls.indexOf('DescribeAddon')).toBeLessThan(eks.calls.indexOf('UpdateAddon'));
    expect(events.filter((e) => e.type === 'hop-succeeded').map((e) => e.hop)).toEqual(plan.hops);
    // Each status of each update is reported once (UpdateAddon's answer included).
    const statuses = events
      .filter((e) => e.type === 'update-status')
      .map((e) => `${e.updateId}:${e.status}`);
    expect(statuses).toHaveLength(4);
    expect(new Set(statuses).size).toBe(statuses.length);
    expect(out.events).toEqual(events);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('sends resolveConflicts OVERWRITE only when the plan says so', async () => {
    const { eks, deps, plan } = setup(0);
    const seen: (string | undefined)[] = [];
    const update = eks.updateAddon.bind(eks);
    eks.updateAddon = (i) => {
      seen.push(i.resolveConflicts);
      return update(i);
    };
    await executeUpgrade({ ...plan, hops: [plan.hops[0]!] }, deps);
    await executeUpgrade(
      { ...plan, from: plan.hops[0]!, hops: [plan.hops[1]!], resolveConflicts: 'OVERWRITE' },
      deps,
    );
    expect(seen).toEqual([undefined, 'OVERWRITE']);
  });

  it('rolls a DEGRADED hop back to exactly the captured version, configuration and role', async () => {
    const { eks, deps, plan, events } = setup();
    eks.failUpdateTo('v1.20.0-eksbuild.1', 'DEGRADED', {
      code: 'InsufficientNumberOfReplicas',
      message:
        'The add-on is unhealthy because it doesn\u2019t have the desired number of replicas.',
      resourceIds: ['kube-system/aws-node'],
    });
    // What a failed hop may leave: another configuration and no role (EKS does not undo it).
    const update = eks.updateAddon.bind(eks);
    eks.updateAddon = (i) =>
      update(
        i.addonVersion === 'v1.20.0-eksbuild.1'
          ? {
              ...i,
              configurationValues: '{"env":{"WARM_IP_TARGET":"1"}}',
              serviceAccountRoleArn: '',
            }
          : i,
      );

    const out = await executeUpgrade(plan, deps);

    expect(out.status).toBe('rolled-back');
    expect(out.failedHop).toBe('v1.20.0-eksbuild.1');
    expect(out.issueCodes).toContain('InsufficientNumberOfReplicas');
    expect(out.hopsDone).toEqual(['v1.19.5-eksbuild.3']);
    expect(out.rollback).toEqual({ method: 'update', succeeded: true });
    expect(out.updateIds).toHaveLength(3);
    const after = await eks.inner.describeAddon(CLUSTER, 'vpc-cni');
    expect(after).toMatchObject({
      status: 'ACTIVE',
      addonVersion: 'v1.18.6-eksbuild.1',
      configurationValues: CONFIG,
      serviceAccountRoleArn: ROLE,
    });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['hop-failed', 'rollback-started', 'rollback-succeeded']),
    );
    expect(eks.calls).not.toContain('DeleteAddon');
  });

  it('waits out DEGRADED for the grace period when the update itself did not fail', async () => {
    const { eks, deps, plan } = setup();
    // DEGRADED with a Successful update: only the grace period can call it failed.
    const describe = eks.describeAddon.bind(eks);
    eks.describeAddon = async (c, a) => {
      const x = await describe(c, a);
      return x && x.addonVersion === 'v1.20.0-eksbuild.1' && x.status === 'ACTIVE'
        ? { ...x, status: 'DEGRADED', issues: [{ code: 'InsufficientNumberOfReplicas' }] }
        : x;
    };
    const t0 = deps.now();
    const out = await executeUpgrade(plan, deps);
    expect(out.status).toBe('rolled-back');
    expect(out.issueCodes).toEqual(['InsufficientNumberOfReplicas']);
    const degradedAt = out.events.find((e) => e.status === 'DEGRADED')!.at;
    const failedAt = out.events.find((e) => e.type === 'hop-failed')!.at;
    expect(Date.parse(failedAt) - Date.parse(degradedAt)).toBeGreaterThanOrEqual(60_000);
    expect(deps.now() - t0).toBeLessThan(deps.timeoutMs);
  });

  it('falls back to delete and re-create when EKS refuses the rollback update', async () => {
    const { eks, deps, plan } = setup();
    eks.failUpdateTo('v1.19.5-eksbuild.3', 'UPDATE_FAILED', {
      code: 'AdmissionRequestDenied',
      message: 'admission webhook denied the request',
    });
    eks.refuseUpdateTo = 'v1.18.6-eksbuild.1';

    const out = await executeUpgrade(plan, deps);

    expect(out.status).toBe('rolled-back');
    expect(out.failedHop).toBe('v1.19.5-eksbuild.3');
    expect(out.rollback).toEqual({ method: 'recreate', succeeded: true });
    const del = eks.calls.indexOf('DeleteAddon');
    expect(del).toBeGreaterThan(0);
    expect(eks.calls.indexOf('CreateAddon')).toBeGreaterThan(del);
    expect(await eks.inner.describeAddon(CLUSTER, 'vpc-cni')).toMatchObject({
      status: 'ACTIVE',
      addonVersion: 'v1.18.6-eksbuild.1',
      configurationValues: CONFIG,
      serviceAccountRoleArn: ROLE,
    });
  });

  it('treats an update that does not settle in time as failed, and says the rollback failed while EKS is busy', async () => {
    // Transitions take an hour: the 10-minute wait runs out while the add-on is UPDATING.
    const { eks, deps, plan } = setup(60 * 60_000);
    const t0 = deps.now();

    const out = await executeUpgrade(plan, deps);

    expect(out.status).toBe('failed');
    expect(out.failedHop).toBe('v1.19.5-eksbuild.3');
    expect(out.issueCodes).toEqual(['Timeout']);
    expect(out.message).toMatch(/did not settle .* within 600 s/);
    expect(out.message).toMatch(/UPDATING/);
    expect(out.rollback).toEqual({ method: 'update', succeeded: false });
    expect(deps.now() - t0).toBeGreaterThanOrEqual(10 * 60_000);
    expect(deps.now() - t0).toBeLessThan(11 * 60_000);
    // InUse is not a refusal of the rollback: nothing is deleted under an update in flight.
    expect(eks.calls).not.toContain('DeleteAddon');
  });

  it('makes no call for a plan with refusals', async () => {
    const { eks, deps } = setup();
    const refused: UpgradePlan = planUpgrade({
      clusterName: CLUSTER,
      kubernetesVersion: '1.31',
      addon: { addonName: 'vpc-cni', addonVersion: 'v1.18.6-eksbuild.1' },
      target: 'v9.9.9-eksbuild.1',
      catalog: vpcCni,
      schemas: {},
    });
    expect(refused.refusals).not.toHaveLength(0);

    const out = await executeUpgrade(refused, deps);

    expect(out.status).toBe('refused');
    expect(out.message).toContain('v9.9.9-eksbuild.1');
    expect(eks.calls).toEqual([]);
  });

  it('hands the captured add-on to onCaptured, awaited, before the first UpdateAddon', async () => {
    const { eks, deps, plan } = setup();
    const seen: { captured: unknown; callsThen: string[] }[] = [];
    const out = await executeUpgrade(plan, {
      ...deps,
      onCaptured: async (c) => {
        // Still pending while this resolves: the executor must wait for it.
        await Promise.resolve();
        seen.push({ captured: c, callsThen: [...eks.calls] });
      },
    });
    expect(out.status).toBe('succeeded');
    expect(seen).toEqual([
      {
        captured: {
          addonVersion: 'v1.18.6-eksbuild.1',
          configurationValues: CONFIG,
          serviceAccountRoleArn: ROLE,
        },
        callsThen: ['DescribeAddon'],
      },
    ]);
  });

  it('changes nothing when onCaptured throws: the error propagates', async () => {
    const { eks, deps, plan } = setup();
    await expect(
      executeUpgrade(plan, {
        ...deps,
        onCaptured: () => {
          throw new Error('database is read-only');
        },
      }),
    ).rejects.toThrow('database is read-only');
    expect(eks.calls).not.toContain('UpdateAddon');
    expect(await eks.inner.describeAddon(CLUSTER, 'vpc-cni')).toMatchObject({
      addonVersion: 'v1.18.6-eksbuild.1',
      status: 'ACTIVE',
    });
  });

  it('refuses, without a rollback, when EKS refuses the first hop outright: nothing was changed', async () => {
    const { eks, deps, plan } = setup();
    eks.refuseUpdateTo = plan.hops[0];
    const events: UpgradeEvent[] = [];
    const out = await executeUpgrade(plan, { ...deps, onEvent: (e) => events.push(e) });
    expect(out.status).toBe('refused');
    expect(out.message).toMatch(
      /^refused: EKS refused the update of vpc-cni to .*; nothing was changed$/,
    );
    expect(out.rollback).toBeUndefined();
    expect(eks.calls.filter((c) => c === 'UpdateAddon')).toHaveLength(1);
    expect(events.map((e) => e.type)).not.toContain('rollback-started');
    expect(await eks.inner.describeAddon(CLUSTER, 'vpc-cni')).toMatchObject({
      addonVersion: 'v1.18.6-eksbuild.1',
      status: 'ACTIVE',
    });
  });

  it('refuses a plan made from another version than the installed one', async () => {
    const { eks, deps, plan } = setup();
    const out = await executeUpgrade({ ...plan, from: 'v1.17.1-eksbuild.1' }, deps);
    expect(out.status).toBe('refused');
    expect(eks.calls).toEqual(['DescribeAddon']);
  });
});
