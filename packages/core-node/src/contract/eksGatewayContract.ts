/**
 * What every EksGateway must do, as jest blocks: run against InMemoryEksGateway and against
 * AwsSdkEksGateway on the sandbox, so the fake cannot drift from the real adapter.
 */
import type { AddonIssue, EksGateway } from '@hyperpod/core';
import { eventually, rejection } from './eventually';

export interface EksContractFixture {
  gateway: EksGateway;
  /** An ACTIVE cluster with no add-ons. */
  clusterName: string;
  kubernetesVersion: string;
  /** Add-ons the catalog offers for `kubernetesVersion` (at least six, to page through). */
  addonNames: string[];
  /** Adds clusters to the gateway's account and region (no add-ons). */
  addClusters(names: string[]): Promise<void>;
  /** Puts an add-on in place in a given state, without the asynchronous life. */
  seedAddon(input: {
    clusterName: string;
    addonName: string;
    addonVersion: string;
    status: string;
    issues?: AddonIssue[];
  }): Promise<void>;
  /** A gateway whose every call is throttled and not retried; `restore` ends the throttling. */
  throttled(): Promise<{ gateway: EksGateway; restore(): Promise<void> }>;
  /** A gateway whose credentials the service refuses. */
  unauthenticated(): Promise<EksGateway>;
  teardown(): Promise<void>;
}

export function eksGatewayContract(name: string, setup: () => Promise<EksContractFixture>): void {
  describe(`EksGateway contract: ${name}`, () => {
    let f: EksContractFixture;
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('describes a cluster with its version, ARN, status and ISO creation time', async () => {
      const c = await f.gateway.describeCluster(f.clusterName);
      expect(c.name).toBe(f.clusterName);
      expect(c.version).toBe(f.kubernetesVersion);
      expect(c.status).toBe('ACTIVE');
      expect(c.arn).toBe(`arn:aws:eks:${f.gateway.region}:${c.accountId}:cluster/${f.clusterName}`);
      expect(c.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    });

    it('answers NotFound for a cluster that does not exist, on every cluster call', async () => {
      for (const p of [
        f.gateway.describeCluster('no-such-cluster'),
        f.gateway.listAddons('no-such-cluster'),
        f.gateway.describeAddon('no-such-cluster', 'vpc-cni'),
      ]) {
        const e = await rejection(p);
        expect(e.kind).toBe('NotFound');
        expect(e.service).toBe('eks');
        expect(e.retryable).toBe(false);
      }
    });

    it('lists every cluster of the account and region, across pages', async () => {
      const extra = Array.from(
        { length: 105 },
        (_, i) => `page-test-${String(i).padStart(3, '0')}`,
      );
      await f.addClusters(extra);
      const names = await f.gateway.listClusters();
      expect(names).toEqual(expect.arrayContaining([f.clusterName, ...extra]));
      expect(new Set(names).size).toBe(names.length);
    });

    it('filters DescribeAddonVersions by Kubernetes version, with one default per add-on', async () => {
      const entries = await f.gateway.describeAddonVersions({
        kubernetesVersion: f.kubernetesVersion,
      });
      expect(entries.map((e) => e.addonName)).toEqual(expect.arrayContaining(f.addonNames));
      for (const e of entries) {
        expect(e.versions.length).toBeGreaterThan(0);
        for (const v of e.versions)
          expect(v.compatibilities.map((c) => c.clusterVersion)).toContain(f.kubernetesVersion);
        const defaults = e.versions.filter((v) =>
          v.compatibilities.some(
            (c) => c.clusterVersion === f.kubernetesVersion && c.defaultVersion,
          ),
        );
        expect(defaults.length).toBeLessThanOrEqual(1);
      }
      const one = await f.gateway.describeAddonVersions({ addonName: f.addonNames[0] });
      expect(one.map((e) => e.addonName)).toEqual([f.addonNames[0]]);
    });

    it('returns a parseable configuration schema, and InvalidParameter for a version that does not exist', async () => {
      const [entry] = await f.gateway.describeAddonVersions({
        addonName: f.addonNames[0],
        kubernetesVersion: f.kubernetesVersion,
      });
      const version = entry!.versions[0]!.addonVersion;
      const conf = await f.gateway.describeAddonConfiguration(f.addonNames[0]!, version);
      expect(conf).toMatchObject({ addonName: f.addonNames[0], addonVersion: version });
      expect(typeof JSON.parse(conf.configurationSchema ?? 'null')).toBe('object');
      const e = await rejection(
        f.gateway.describeAddonConfiguration(f.addonNames[0]!, 'v0.0.0-eksbuild.0'),
      );
      expect(e.kind).toBe('InvalidParameter');
    });

    it('creates an add-on that goes CREATING then ACTIVE, refuses a second create (InUse), and lists it', async () => {
      const addonName = f.addonNames[0]!;
      const created = await f.gateway.createAddon({ clusterName: f.clusterName, addonName });
      expect(created.status).toBe('CREATING');
      expect(created.addonVersion).toMatch(/^v\d+\.\d+\.\d+/);
      const again = await rejection(
        f.gateway.createAddon({ clusterName: f.clusterName, addonName }),
      );
      expect(again.kind).toBe('InUse');
      const active = await eventually(
        async () => {
          const a = await f.gateway.describeAddon(f.clusterName, addonName);
          return a?.status === 'ACTIVE' ? a : undefined;
        },
        { what: `${addonName} ACTIVE` },
      );
      expect(active.addonVersion).toBe(created.addonVersion);
      expect(active.modifiedAt).toMatch(/Z$/);
      expect(await f.gateway.listAddons(f.clusterName)).toContain(addonName);
    });

    it('refuses an add-on version not offered for the cluster (InvalidParameter)', async () => {
      const e = await rejection(
        f.gateway.createAddon({
          clusterName: f.clusterName,
          addonName: f.addonNames[1]!,
          addonVersion: 'v0.0.1-eksbuild.1',
        }),
      );
      expect(e.kind).toBe('InvalidParameter');
      expect(e.retryable).toBe(false);
      expect(await f.gateway.describeAddon(f.clusterName, f.addonNames[1]!)).toBeUndefined();
    });

    it('updates an add-on: the update is InProgress, then Successful, and the add-on ACTIVE at the new version', async () => {
      const addonName = f.addonNames[0]!;
      const [entry] = await f.gateway.describeAddonVersions({
        addonName,
        kubernetesVersion: f.kubernetesVersion,
      });
      const installed = (await f.gateway.describeAddon(f.clusterName, addonName))!.addonVersion;
      const target = entry!.versions.map((v) => v.addonVersion).find((v) => v !== installed);
      expect(target).toBeDefined();
      const update = await f.gateway.updateAddon({
        clusterName: f.clusterName,
        addonName,
        addonVersion: target,
        resolveConflicts: 'OVERWRITE',
      });
      expect(update.status).toBe('InProgress');
      expect(update.params).toEqual(
        expect.arrayContaining([{ type: 'AddonVersion', value: target }]),
      );
      const busy = await rejection(
        f.gateway.updateAddon({ clusterName: f.clusterName, addonName, addonVersion: target }),
      );
      expect(busy.kind).toBe('InUse');
      const done = await eventually(
        async () => {
          const u = await f.gateway.describeUpdate(f.clusterName, update.id, addonName);
          return u.status === 'Successful' ? u : undefined;
        },
        { what: 'update Successful' },
      );
      expect(done.id).toBe(update.id);
      const a = await f.gateway.describeAddon(f.clusterName, addonName);
      expect(a).toMatchObject({ addonVersion: target, status: 'ACTIVE' });
    });

    it('answers NotFound for an update id that does not exist', async () => {
      const e = await rejection(
        f.gateway.describeUpdate(
          f.clusterName,
          '00000000-0000-4000-8000-00000000dead',
          f.addonNames[0],
        ),
      );
      expect(e.kind).toBe('NotFound');
    });

    it('carries health issues of a DEGRADED add-on through with code, message and resource ids', async () => {
      const addonName = f.addonNames[2]!;
      const [entry] = await f.gateway.describeAddonVersions({
        addonName,
        kubernetesVersion: f.kubernetesVersion,
      });
      const issue = {
        code: 'InsufficientNumberOfReplicas',
        message: 'The add-on is unhealthy because it does not have the desired number of replicas.',
        resourceIds: [`${addonName}-controller`],
      };
      await f.seedAddon({
        clusterName: f.clusterName,
        addonName,
        addonVersion: entry!.versions[0]!.addonVersion,
        status: 'DEGRADED',
        issues: [issue],
      });
      const a = await f.gateway.describeAddon(f.clusterName, addonName);
      expect(a?.status).toBe('DEGRADED');
      expect(a?.issues).toEqual([issue]);
    });

    it('lists every add-on of a cluster, across pages', async () => {
      for (const addonName of f.addonNames.slice(3)) {
        const [entry] = await f.gateway.describeAddonVersions({
          addonName,
          kubernetesVersion: f.kubernetesVersion,
        });
        await f.seedAddon({
          clusterName: f.clusterName,
          addonName,
          addonVersion: entry!.versions[0]!.addonVersion,
          status: 'ACTIVE',
        });
      }
      const names = await f.gateway.listAddons(f.clusterName);
      expect([...names].sort()).toEqual(
        [...f.addonNames].filter((n) => n !== f.addonNames[1]).sort(),
      );
    });

    it('deletes an add-on: DELETING, refuses a second delete (InUse), then gone', async () => {
      const addonName = f.addonNames[2]!;
      const deleting = await f.gateway.deleteAddon(f.clusterName, addonName);
      expect(deleting?.status).toBe('DELETING');
      const again = await rejection(f.gateway.deleteAddon(f.clusterName, addonName));
      expect(again.kind).toBe('InUse');
      await eventually(
        async () =>
          (await f.gateway.describeAddon(f.clusterName, addonName)) === undefined
            ? true
            : undefined,
        { what: 'add-on gone' },
      );
      const missing = await rejection(f.gateway.deleteAddon(f.clusterName, addonName));
      expect(missing.kind).toBe('NotFound');
    });

    it('reports throttling as Throttled, retryable', async () => {
      const t = await f.throttled();
      try {
        const e = await rejection(t.gateway.listClusters());
        expect(e.kind).toBe('Throttled');
        expect(e.retryable).toBe(true);
        expect(e.operation).toBe('ListClusters');
      } finally {
        await t.restore();
      }
      expect(await f.gateway.listClusters()).toContain(f.clusterName);
    });

    it('reports refused credentials as Unauthenticated, not retryable', async () => {
      const g = await f.unauthenticated();
      const e = await rejection(g.describeCluster(f.clusterName));
      expect(e.kind).toBe('Unauthenticated');
      expect(e.retryable).toBe(false);
      expect(e.service).toBe('eks');
    });
  });
}
