import {
  CachingAddonCatalog,
  executeUpgrade,
  InMemoryMigrationStore,
  observeCluster,
  prepareUpgrade,
  rollbackMigration,
  startMigration,
} from '@hyperpod/core';
import {
  AWS_OPERATIONS,
  attachHyperPodClusters,
  awsActionsOf,
  discoverEksClusters,
  kubeRulesAllow,
  kubeRulesOf,
  PERMISSION_SETS,
  type PermissionSetId,
} from '@hyperpod/core-node';
import { seedClusterAddon, type Sandbox } from '@hyperpod/sandbox';
import { helmSandbox, testDeps, unblockedPlan } from '../migrate/support';
import { newRecorder, recordingGateways, type Recorder } from './recording';

/**
 * Runs each action of the product on the sandbox through the real SDK and client-node gateways,
 * records every AWS operation and Kubernetes request sent, and holds it to the permission set of
 * that action: an operation the set does not grant fails here, before it fails for a customer
 * whose role has exactly the shipped policy.
 */
describe('every call an action makes is in its permission set', () => {
  const CLUSTER = 'ml-perm-use1';
  let sb: Sandbox;
  const recorded = new Map<PermissionSetId, Recorder>();
  let current = newRecorder();
  const as = (set: PermissionSetId) => {
    current = recorded.get(set) ?? newRecorder();
    recorded.set(set, current);
  };

  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER);
  });
  afterAll(async () => {
    await sb?.stop();
  });

  function violations(set: PermissionSetId, rec: Recorder): string[] {
    const granted = awsActionsOf([set]);
    const rules = kubeRulesOf([set]);
    const out: string[] = [];
    for (const op of rec.aws) {
      const actions = AWS_OPERATIONS[op];
      if (!actions) out.push(`${op}: not in AWS_OPERATIONS`);
      else for (const a of actions) if (!granted.has(a)) out.push(`${op}: ${a} not granted`);
    }
    for (const req of rec.kube)
      if (!kubeRulesAllow(rules, req))
        out.push(
          req.kind === 'resource'
            ? `kube ${req.verb} ${req.group || 'core'}/${req.resource}${req.subresource ? `/${req.subresource}` : ''}`
            : `kube ${req.verb} ${req.path}`,
        );
    return [...new Set(out)];
  }

  it('scan (fleet discovery, status, drift) stays within readonly', async () => {
    as('readonly');
    const g = recordingGateways(sb, CLUSTER, () => current);
    const c = sb.cluster(CLUSTER);
    const found = await discoverEksClusters([{ accountId: c.accountId, regions: [c.region] }], () =>
      Promise.resolve(g),
    );
    expect(found.targets.map((t) => t.name)).toContain(CLUSTER);
    const attached = await attachHyperPodClusters(found.targets, () => Promise.resolve(g));
    expect(attached.errors).toEqual([]);
    const obs = await observeCluster(
      { name: CLUSTER, accountId: c.accountId, region: c.region, context: CLUSTER },
      { eks: g.eks, kube: g.kube, catalog: new CachingAddonCatalog() },
    );
    expect(obs.errors).toEqual([]);
    expect(current.aws.size).toBeGreaterThan(0);
    expect(current.kube.length).toBeGreaterThan(0);
    expect(violations('readonly', current)).toEqual([]);
  });

  it('migrate plan, migrate and rollback stay within migrate', async () => {
    as('migrate');
    const g = recordingGateways(sb, CLUSTER, () => current);
    const before = sb.snapshot();
    const plan = await unblockedPlan(g, CLUSTER, '2026-11-21T00:00:00Z');
    const store = new InMemoryMigrationStore();
    expect((await startMigration(plan, 'run-1', testDeps(g, store))).status).toBe('succeeded');
    const rb = await rollbackMigration('run-1', testDeps(g, store));
    expect(rb).toMatchObject({ status: 'rolled-back', rollbackErrors: [] });
    expect(sb.diff(before)).toEqual([]);
    expect(violations('migrate', current)).toEqual([]);
  });

  it('upgrade, with a failed hop rolled back, stays within upgrade', async () => {
    as('upgrade');
    const g = recordingGateways(sb, CLUSTER, () => current);
    const c = sb.cluster(CLUSTER);
    const roleArn = `arn:aws:iam::${c.accountId}:role/AmazonEKSVPCCNIRole-${CLUSTER}`;
    seedClusterAddon(sb, c, 'vpc-cni', 'v1.18.6-eksbuild.1', { serviceAccountRoleArn: roleArn });
    // As `upgrade` plans it: the cluster, the add-on, its versions and the target's schema.
    const plan = await prepareUpgrade(g.eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'latest',
    });
    const target = 'v1.20.0-eksbuild.1';
    expect(plan.to).toBe(target);
    sb.services.eks.failOn({
      addonName: 'vpc-cni',
      addonVersion: target,
      kind: 'update',
      outcome: 'DEGRADED',
      issue: { code: 'InsufficientNumberOfReplicas', message: 'not enough replicas' },
      times: 1,
    });
    const out = await executeUpgrade(plan, {
      eks: g.eks,
      pollMs: 10,
      timeoutMs: 10_000,
      degradedGraceMs: 200,
    });
    expect(out.status).toBe('rolled-back');
    expect(violations('upgrade', current)).toEqual([]);
  });

  afterAll(() => {
    // The other way round: what the sets grant that no action used here (a list to review, not
    // a failure: some grants serve paths these runs do not take, such as tagging certificates).
    const used = new Set(
      [...recorded.values()].flatMap((r) => [...r.aws].flatMap((op) => AWS_OPERATIONS[op] ?? [])),
    );
    const unused = Object.values(PERMISSION_SETS)
      .filter((s) => !s.planned)
      .flatMap((s) => s.aws.flatMap((st) => st.actions.map((a) => `${s.id}/${st.sid}: ${a}`)))
      .filter((line) => !used.has(line.split(': ')[1]!));
    const requests = [...recorded.values()].flatMap((r) => r.kube);
    const unusedKube = Object.values(PERMISSION_SETS)
      .filter((s) => !s.planned)
      .flatMap((s) =>
        s.kube.flatMap((rule) =>
          rule.apiGroups.flatMap((group) =>
            rule.resources.flatMap((resource) =>
              rule.verbs
                .filter(
                  (verb) =>
                    !requests.some(
                      (q) =>
                        q.kind === 'resource' &&
                        q.group === group &&
                        q.resource === resource &&
                        q.verb === verb,
                    ),
                )
                .map((verb) => `${s.id}: ${verb} ${group || 'core'}/${resource}`),
            ),
          ),
        ),
      );
    if (unused.length || unusedKube.length)
      console.log(`granted but not exercised:\n  ${[...unused, ...unusedKube].join('\n  ')}`);
  });
});
