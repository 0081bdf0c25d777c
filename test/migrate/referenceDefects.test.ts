import {
  chooseAddonVersion,
  discoverMigration,
  GatewayError,
  InMemoryMigrationStore,
  MigrationLock,
  MigrationLockedError,
  planMigration,
  rollbackMigration,
  startMigration,
  type MigrationBackup,
  type MigrationGateways,
  type MigrationPlan,
  type MigrationStep,
} from '@hyperpod/core';
import { defaultMigrationRoot, FileMigrationStore } from '@hyperpod/core-node';
import { inferenceOperatorReleaseSeed, Sandbox, type SandboxSnapshot } from '@hyperpod/sandbox';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gatewaysFor, helmReleaseSandbox, plannedHelmSandbox, testDeps } from './support';

/**
 * The public helm_to_addon.sh fails its users in ten ways (docs/migration.md lists them). One test
 * per defect shows this migration does not have it. All run on one sandbox cluster; each test that
 * changes it ends with a rollback proved exact, so the next starts from the same state.
 */
describe('the reference script defects, absent', () => {
  const CLUSTER = 'ml-ref-use1';
  let sb: Sandbox;
  let g: MigrationGateways;
  let baseline: SandboxSnapshot;
  let plan: MigrationPlan;
  beforeAll(async () => {
    ({ sb, g, baseline, plan } = await plannedHelmSandbox(CLUSTER));
  });
  afterAll(async () => {
    await sb?.stop();
  });
  afterEach(() => {
    sb.services.eks.clearFailures();
    sb.kube(CLUSTER).clearAccessDenials();
  });

  /** EKS answers the next CreateAddon of the target add-on with `outcome`. */
  const failCreate = (outcome: 'CREATE_FAILED' | 'DEGRADED') =>
    sb.services.eks.failOn({ addonName: plan.target.addonName, kind: 'create', outcome });
  const action = (pred: (a: MigrationPlan['steps'][number]['actions'][number]) => boolean) =>
    plan.steps.flatMap((s) => s.actions).find(pred)!;

  it('1. the backup is complete enough to restore: release secrets, objects, replicas, previous tags', async () => {
    const store = new InMemoryMigrationStore();
    expect((await startMigration(plan, 'd1', testDeps(g, store))).status).toBe('succeeded');
    const backup = (await store.read('d1'))!.backup as MigrationBackup;
    const names = backup.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    // Every revision of the release, not only the newest.
    expect(names).toEqual(
      expect.arrayContaining([
        'Secret/sh.helm.release.v1.hyperpod-inference-operator.v1',
        'Secret/sh.helm.release.v1.hyperpod-inference-operator.v2',
        'Deployment/hyperpod-inference-operator-controller-manager',
        'ServiceAccount/hyperpod-inference-operator-controller-manager',
        'ClusterRole/hyperpod-inference-operator-manager-role',
      ]),
    );
    const alb = backup.objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'hyperpod-inference-operator-alb',
    );
    expect(alb?.['spec']).toMatchObject({ replicas: 2 });
    const s3Tag = action((a) => a.kind === 'tag' && a.target.type === 's3-object');
    expect(backup.tags[s3Tag.id]).toEqual({ team: 'ml-platform', 'cost-center': '4711' });
    expect(Object.values(backup.roles)).toEqual([null, null, null]);
    expect(backup.inventory.length).toBeGreaterThan(20);
    expect((await rollbackMigration('d1', testDeps(g, store))).status).toBe('rolled-back');
    expect(sb.diff(baseline)).toEqual([]);
  });

  it('2. rollback is complete: roles, dependency add-ons, deleted objects, replicas and tags all come back as they were', async () => {
    const store = new InMemoryMigrationStore();
    expect((await startMigration(plan, 'd2', testDeps(g, store))).status).toBe('succeeded');
    expect(
      await g.iam.getRole(
        `SageMakerHP-KEDA-${plan.target.configuration['hyperpodClusterArn']!.toString().split('/')[1]!.slice(0, 8)}-addon`,
      ),
    ).toBeDefined();
    const out = await rollbackMigration('d2', testDeps(g, store));
    expect(out).toMatchObject({ status: 'rolled-back', rollbackErrors: [] });
    const s3 = action((a) => a.kind === 'tag' && a.target.type === 's3-object');
    if (s3.kind !== 'tag' || s3.target.type !== 's3-object') throw new Error('no s3 tag action');
    // Only our tag removed, not the whole set.
    expect(await g.s3!.getObjectTagging(s3.target.bucket, s3.target.key)).toEqual({
      team: 'ml-platform',
      'cost-center': '4711',
    });
    const alb = sb.kube(CLUSTER).get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'kube-system',
      name: 'hyperpod-inference-operator-alb',
    });
    expect(alb?.['spec']).toMatchObject({ replicas: 2 });
    for (const dep of [
      'aws-mountpoint-s3-csi-driver',
      'cert-manager',
      'metrics-server',
      plan.target.addonName,
    ])
      expect(await g.eks.describeAddon(CLUSTER, dep)).toBeUndefined();
    expect(sb.diff(baseline)).toEqual([]);
  });

  it('3. a failure after the add-on is ACTIVE rolls back and is reported as a failure, never as success', async () => {
    // Deleting the first old Deployment (after create-addon) is refused, once.
    let refused = false;
    const kube = new Proxy(g.kube, {
      get(t, prop, r) {
        const v = Reflect.get(t, prop, r) as unknown;
        if (typeof v !== 'function') return v;
        if (prop !== 'delete') return v.bind(t);
        return (ref: { kind: string; namespace?: string }, opts?: unknown) => {
          if (!refused && ref.kind === 'Deployment' && ref.namespace === 'kube-system') {
            refused = true;
            return Promise.reject(
              new GatewayError(
                'AccessDenied',
                'deployments.apps is forbidden',
                'kubernetes',
                'delete deployments',
              ),
            );
          }
          return (v as (...a: unknown[]) => unknown).call(t, ref, opts);
        };
      },
    });
    const events: string[] = [];
    const out = await startMigration(
      plan,
      'd3',
      testDeps({ ...g, kube }, new InMemoryMigrationStore(), {
        onFailure: 'rollback',
        onEvent: (e) => events.push(e.type),
      }),
    );
    expect(out.rollbackErrors).toEqual([]);
    expect(out.status).toBe('rolled-back');
    expect(out.failedAction).toMatch(/^delete-/);
    expect(out.error).toMatch(/forbidden|denied/i);
    // The add-on had become ACTIVE before the failure.
    expect(events.indexOf('step-done')).toBeGreaterThan(-1);
    expect(events).toContain('rollback-done');
    expect(sb.diff(baseline)).toEqual([]);
  });

  it('4. without a confirm callback (--auto-approve) nothing is ever asked, not even on failure', async () => {
    failCreate('CREATE_FAILED');
    const out = await startMigration(
      plan,
      'd4',
      testDeps(g, new InMemoryMigrationStore(), { onFailure: 'rollback', confirm: undefined }),
    );
    expect(out.status).toBe('rolled-back');
    expect(sb.diff(baseline)).toEqual([]);
  });

  it('5. step by step: asked before every step, and an abort stops before the next one', async () => {
    const asked: string[] = [];
    const store = new InMemoryMigrationStore();
    const confirm = async (step: MigrationStep, index: number, total: number) => {
      asked.push(`${index + 1}/${total} ${step.id}`);
      return index < 2 ? ('yes' as const) : ('abort' as const);
    };
    const out = await startMigration(plan, 'd5', testDeps(g, store, { confirm }));
    expect(out.status).toBe('aborted');
    expect(asked).toEqual(
      plan.steps.slice(0, 3).map((s, i) => `${i + 1}/${plan.steps.length} ${s.id}`),
    );
    const done = (await store.read('d5'))!.journal
      .filter((e) => e.type === 'action-done')
      .map((e) => e.stepId);
    expect(new Set(done)).toEqual(new Set([plan.steps[0]!.id, plan.steps[1]!.id]));
    expect((await rollbackMigration('d5', testDeps(g, store))).status).toBe('rolled-back');
    expect(sb.diff(baseline)).toEqual([]);
  });

  it('6. the wait is bounded: CREATE_FAILED and a lasting DEGRADED end the run (and roll it back)', async () => {
    failCreate('DEGRADED');
    const started = Date.now();
    const out = await startMigration(
      plan,
      'd6',
      testDeps(g, new InMemoryMigrationStore(), { onFailure: 'rollback' }),
    );
    expect(out.status).toBe('rolled-back');
    expect(out.error).toMatch(/stayed DEGRADED/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(sb.diff(baseline)).toEqual([]);
    sb.services.eks.clearFailures();
    failCreate('CREATE_FAILED');
    const failed = await startMigration(
      plan,
      'd6b',
      testDeps(g, new InMemoryMigrationStore(), { onFailure: 'rollback' }),
    );
    expect(failed.error).toMatch(/CREATE_FAILED/);
    expect(sb.diff(baseline)).toEqual([]);
  });

  it("7. versions come from DescribeAddonVersions for the cluster's Kubernetes version, none from the code", async () => {
    const k8s = plan.cluster.kubernetesVersion;
    const versionOf = async (name: string, min?: string) =>
      chooseAddonVersion(
        (await g.eks.describeAddonVersions({ addonName: name, kubernetesVersion: k8s }))[0]!,
        k8s,
        { min },
      );
    expect(plan.target.addonVersion).toBe(await versionOf(plan.target.addonName));
    for (const d of plan.dependencies)
      expect(d.addonVersion).toBe(await versionOf(d.addonName, d.minVersion));
  });

  it('8. the release is found in whatever namespace it is in (not assumed kube-system)', async () => {
    const other = await helmReleaseSandbox('ml-ns-use1', (values) =>
      inferenceOperatorReleaseSeed({
        namespace: 'ml-platform',
        revisions: [{ status: 'deployed', values }],
      }),
    );
    try {
      const og = gatewaysFor(other, 'ml-ns-use1');
      const p = planMigration(
        await discoverMigration(og, { clusterName: 'ml-ns-use1', profile: 'hyperpod-inference' }),
        { now: '2026-11-21T00:00:00Z' },
      );
      expect(p.blockers).toEqual([]);
      expect(p.source).toMatchObject({
        release: 'hyperpod-inference-operator',
        namespace: 'ml-platform',
      });
      expect((await startMigration(p, 'd8', testDeps(og))).status).toBe('succeeded');
      expect(
        other.kube('ml-ns-use1').get({
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'ml-platform',
          name: 'sh.helm.release.v1.hyperpod-inference-operator.v1',
        })?.metadata.labels?.['status'],
      ).toBe('uninstalled');
    } finally {
      await other.stop();
    }
  });

  it('9. values are read from the paths the chart really has, and a failed read of the CRs blocks the plan instead of being skipped', async () => {
    // s3.serviceAccountRoleArn becomes the Mountpoint add-on's service-account role.
    expect(
      plan.dependencies.find((x) => x.addonName === 'aws-mountpoint-s3-csi-driver')
        ?.serviceAccountRoleArn,
    ).toMatch(/role\/S3CsiDriverRole-ml-ref-use1$/);
    // The JumpStartModel's certificate object is found through its real kind.
    const s3 = action((a) => a.kind === 'tag' && a.target.type === 's3-object');
    expect(s3.summary).toMatch(/found in JumpStartModel default\/llama-3-8b/);
    const failing: MigrationGateways = {
      ...g,
      kube: new Proxy(g.kube, {
        get(t, prop, r) {
          const v = Reflect.get(t, prop, r) as unknown;
          if (prop === 'list')
            return (api: string, kind: string, opts?: unknown) =>
              kind === 'JumpStartModel'
                ? Promise.reject(new Error('jumpstartmodels is forbidden'))
                : (v as (...a: unknown[]) => unknown).call(t, api, kind, opts);
          return typeof v === 'function' ? v.bind(t) : v;
        },
      }),
    };
    const blocked = planMigration(
      await discoverMigration(failing, { clusterName: CLUSTER, profile: 'hyperpod-inference' }),
      { now: '2026-11-21T00:00:00Z' },
    );
    expect(blocked.blockers).toContain(
      'could not read list JumpStartModel: jumpstartmodels is forbidden',
    );
    expect((await startMigration(blocked, 'd9', testDeps(g))).status).toBe('refused');
    expect(sb.diff(baseline)).toEqual([]);
  });

  it('10. each run has its own private directory (not /tmp), and a second migration of the cluster is refused while one holds it', async () => {
    expect(defaultMigrationRoot({}, '/home/ana')).toBe(
      '/home/ana/.local/state/kubectl-hyperpod/migrations',
    );
    const root = path.join(mkdtempSync(path.join(tmpdir(), 'hp-runs-')), 'migrations');
    const store = new FileMigrationStore({ root });
    // Someone else holds the cluster.
    const other = await MigrationLock.acquire(g.kube, 'bob@laptop', 'other-run', {
      durationSeconds: 1,
    });
    const refused = startMigration(plan, 'd10', testDeps(g, store));
    await expect(refused).rejects.toBeInstanceOf(MigrationLockedError);
    await expect(startMigration(plan, 'd10b', testDeps(g, store))).rejects.toThrow(
      /bob@laptop\/[0-9a-f]+ \(run other-run\) since/,
    );
    // Its process dies: the lease is not renewed and lapses after its TTL.
    other.abandon();
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await startMigration(plan, 'd10c', testDeps(g, store))).status).toBe('succeeded');
    // The refused runs left nothing behind; the one that ran has its own private directory.
    expect(await store.read('d10')).toBeUndefined();
    expect(await store.read('d10b')).toBeUndefined();
    const dir = store.location('d10c');
    expect(dir.startsWith(`${root}/`)).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await rollbackMigration('d10c', testDeps(g, store))).status).toBe('rolled-back');
    expect(sb.diff(baseline)).toEqual([]);
  });
});
