/**
 * Migration test wiring: the real adapters (AWS SDK v3 gateways, client-node) for one sandbox
 * cluster, and sandboxes holding Helm installs of the inference operator.
 */
import { KubeConfig } from '@kubernetes/client-node';
import {
  discoverMigration,
  InMemoryMigrationStore,
  planMigration,
  type ExecuteMigrationDeps,
  type MigrationGateways,
  type MigrationPlan,
  type MigrationStore,
} from '@hyperpod/core';
import { AwsClients, ClientNodeKubeGateway } from '@hyperpod/core-node';
import {
  helmInferenceScenario,
  Sandbox,
  seedHelmInferenceCluster,
  type SandboxOptions,
  type SandboxSnapshot,
} from '@hyperpod/sandbox';

export function gatewaysFor(sb: Sandbox, clusterName: string, maxAttempts = 1): MigrationGateways {
  const c = sb.cluster(clusterName);
  const aws = new AwsClients({ maxAttempts, retryMode: 'standard' }).gateways({
    ...sb.sdkConfig(c.accountId, c.region),
    accountId: c.accountId,
  });
  const kc = new KubeConfig();
  kc.loadFromString(sb.kubeconfig(c.name));
  return {
    eks: aws.eks,
    iam: aws.iam,
    s3: aws.s3,
    elbv2: aws.elbv2,
    acm: aws.acm,
    kube: new ClientNodeKubeGateway(kc),
  };
}

/** The inference operator's migration plan for the cluster as it is now, checked to have no blocker. */
export async function unblockedPlan(
  g: MigrationGateways,
  clusterName: string,
  now = '2026-12-06T00:00:00Z',
): Promise<MigrationPlan> {
  const d = await discoverMigration(g, { clusterName, profile: 'hyperpod-inference' });
  const plan = planMigration(d, { now });
  expect(plan.blockers).toEqual([]);
  return plan;
}

/** Executor dependencies for tests: fast polling and retries, an in-memory store. */
export function testDeps(
  g: MigrationGateways,
  store: MigrationStore = new InMemoryMigrationStore(),
  extra: Partial<ExecuteMigrationDeps> = {},
): ExecuteMigrationDeps {
  return {
    ...g,
    store,
    actor: 'tester@test',
    retry: { attempts: 12, baseDelayMs: 5, maxDelayMs: 50 },
    wait: { pollMs: 10, timeoutMs: 20_000, degradedGraceMs: 200 },
    onFailure: 'stop',
    ...extra,
  };
}

/**
 * What a run started after a process died sees: the dead process's lease has lapsed (a live
 * holder is never shared, so a resume or rollback waits for it; here the clock is moved on).
 */
export const afterLeaseLapsed = (): Pick<ExecuteMigrationDeps, 'now'> => ({
  now: () => new Date(Date.now() + 2 * 60_000),
});

/** A sandbox with one cluster running the inference operator from Helm (chart 2.2.2, kube-system). */
export function helmSandbox(
  name = 'ml-mig-use1',
  opts: Omit<SandboxOptions, 'scenario'> = {},
): Promise<Sandbox> {
  return Sandbox.start({ addonTransitionMs: 20, ...opts, scenario: helmInferenceScenario(name) });
}

/**
 * A Helm sandbox (as `helmSandbox`) with the gateways to its cluster, its snapshot before any
 * migration, and the cluster's migration plan, checked to have no blocker.
 */
export async function plannedHelmSandbox(
  clusterName: string,
  opts: Omit<SandboxOptions, 'scenario'> = {},
): Promise<{ sb: Sandbox; g: MigrationGateways; baseline: SandboxSnapshot; plan: MigrationPlan }> {
  const sb = await helmSandbox(clusterName, opts);
  const baseline = sb.snapshot();
  const g = gatewaysFor(sb, clusterName);
  return { sb, g, baseline, plan: await unblockedPlan(g, clusterName, '2026-11-21T00:00:00Z') };
}

/**
 * A sandbox with one cluster (prod, us-east-1, Kubernetes 1.31) holding the inference operator
 * release `release` builds from the cluster's chart values.
 */
export function helmReleaseSandbox(
  clusterName: string,
  release: Parameters<typeof seedHelmInferenceCluster>[2],
): Promise<Sandbox> {
  return Sandbox.start({
    addonTransitionMs: 10,
    scenario: {
      name: clusterName,
      description: `${clusterName}: one Helm install of the inference operator`,
      async seed(s) {
        s.addAccount('prod', '111111111111');
        await seedHelmInferenceCluster(
          s,
          { account: 'prod', region: 'us-east-1', name: clusterName, version: '1.31' },
          release,
        );
      },
    },
  });
}
