import {
  discoverMigration,
  dryRunOnServer,
  MigrationLock,
  MigrationLockedError,
  planMigration,
  startMigration,
} from '@hyperpod/core';
import { inferenceOperatorReleaseSeed, Sandbox } from '@hyperpod/sandbox';
import { crasher } from './crash';
import { gatewaysFor, helmReleaseSandbox, testDeps } from './support';

/**
 * Helm values the add-on has no place for are named in the plan and block the run until each is
 * accepted; planning (the client dry run) makes no mutating call; the lock is renewed while held.
 */
describe('migration plans and the lock', () => {
  const CLUSTER = 'ml-custom-use1';
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await helmReleaseSandbox(CLUSTER, (values) =>
      inferenceOperatorReleaseSeed({
        revisions: [
          {
            status: 'deployed',
            values: {
              ...values,
              image: { tag: 'v3.2-patched' },
              tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
              fsx: { enabled: false },
            },
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('lists the values the add-on would drop, refuses to run until each is accepted, and carries over what fits', async () => {
    const g = gatewaysFor(sb, CLUSTER);
    const counting = crasher(g, {} as never, Infinity);
    const d = await discoverMigration(counting.gateways, {
      clusterName: CLUSTER,
      profile: 'hyperpod-inference',
    });
    const plan = planMigration(d, { now: '2026-11-21T00:00:00Z' });
    // The client dry run: discovery and planning made no mutating call at all.
    expect(counting.calls).toEqual([]);
    expect(plan.drops.map((x) => [x.key, x.acknowledged])).toEqual([
      ['fsx.enabled', false],
      ['image.tag', false],
    ]);
    expect(plan.drops[0]!.reason).toBe('the add-on always runs this component');
    expect(plan.blockers.join('\n')).toMatch(
      /Helm value image\.tag has no place in the add-on .* --accept-drop image\.tag/,
    );
    // Tolerations have a place in the add-on's schema: carried over.
    expect(plan.target.configuration['tolerations']).toEqual([
      { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect((await startMigration(plan, 'refused', testDeps(g))).status).toBe('refused');

    const accepted = planMigration(d, {
      now: '2026-11-21T00:00:00Z',
      acceptDrops: ['image.tag', 'fsx.enabled'],
    });
    expect(accepted.blockers).toEqual([]);
    expect(accepted.drops.every((x) => x.acknowledged)).toBe(true);
  });

  it('renews the lease while it is held, so a second holder is refused past the TTL; released, it is free', async () => {
    const g = gatewaysFor(sb, CLUSTER);
    const a = await MigrationLock.acquire(g.kube, 'ana@desk', 'run-a', { durationSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1_500));
    await expect(
      MigrationLock.acquire(g.kube, 'bob@desk', 'run-b', { durationSeconds: 1 }),
    ).rejects.toBeInstanceOf(MigrationLockedError);
    const lease = sb.kube(CLUSTER).get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: 'kube-system',
      name: 'kubectl-hyperpod-migration',
    }) as { spec: { holderIdentity: string; acquireTime: string; renewTime: string } } | undefined;
    expect(lease?.spec.holderIdentity).toBe(a.holderIdentity);
    expect(Date.parse(lease!.spec.renewTime)).toBeGreaterThan(Date.parse(lease!.spec.acquireTime));
    await a.release();
    const b = await MigrationLock.acquire(g.kube, 'bob@desk', 'run-b', { durationSeconds: 1 });
    await b.release();
  });
});

describe('server dry run', () => {
  it('sends every Kubernetes change with dryRun=All: accepted, nothing stored; a refusal is reported', async () => {
    const sb = await helmReleaseSandbox('ml-dry-use1', (values) =>
      inferenceOperatorReleaseSeed({ revisions: [{ status: 'deployed', values }] }),
    );
    try {
      const g = gatewaysFor(sb, 'ml-dry-use1');
      const plan = planMigration(
        await discoverMigration(g, { clusterName: 'ml-dry-use1', profile: 'hyperpod-inference' }),
        { now: '2026-11-21T00:00:00Z' },
      );
      const before = sb.snapshot();
      expect(await dryRunOnServer(plan, g)).toEqual([]);
      expect(sb.diff(before)).toEqual([]);
      sb.kube('ml-dry-use1').denyAccess({
        verb: 'delete',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
      });
      const problems = await dryRunOnServer(plan, g);
      expect(problems).toEqual([
        expect.stringMatching(
          /^delete ClusterRole hyperpod-inference-operator-manager-role: .*forbidden/,
        ),
      ]);
    } finally {
      await sb.stop();
    }
  });
});

describe('--addon-version', () => {
  it('plans the requested version (schema checked for it), and refuses one not offered for the cluster', async () => {
    const sb = await helmReleaseSandbox('ml-ver-use1', (values) =>
      inferenceOperatorReleaseSeed({ revisions: [{ status: 'deployed', values }] }),
    );
    try {
      const g = gatewaysFor(sb, 'ml-ver-use1');
      const plan = async (addonVersion: string) =>
        planMigration(
          await discoverMigration(g, {
            clusterName: 'ml-ver-use1',
            profile: 'hyperpod-inference',
            addonVersion,
          }),
          { now: '2026-11-21T00:00:00Z' },
        );
      const older = await plan('v1.0.1-eksbuild.1');
      expect(older.blockers).toEqual([]);
      expect(older.target).toMatchObject({
        addonVersion: 'v1.0.1-eksbuild.1',
        configurationValid: true,
      });
      const latest = await plan('latest');
      expect(latest.target.addonVersion).toBe('v1.2.0-eksbuild.1');
      const missing = await plan('v9.9.9-eksbuild.1');
      expect(missing.blockers).toEqual([
        expect.stringMatching(
          /v9\.9\.9-eksbuild\.1 is not offered for Kubernetes 1\.31 \(compatible: v1\.2\.0-eksbuild\.1, /,
        ),
      ]);
    } finally {
      await sb.stop();
    }
  });
});
