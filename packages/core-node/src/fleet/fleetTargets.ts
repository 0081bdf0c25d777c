/**
 * Fleet discovery: EKS ListClusters per account and region (through AssumeRole when a role is
 * given), kubeconfig contexts, and HyperPod clusters mapped to the EKS clusters they run on. A
 * failing account or region is an error entry; the others still count.
 */
import type { ClusterTarget, EksGateway, SageMakerGateway } from '@hyperpod/core';
import { mapConcurrent, toScanError } from '@hyperpod/core';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { contextToEksCluster } from '../kube/contextToEksCluster';
import type { FleetSourceError } from './FleetSourceError';
import type { DiscoverEntry } from './parseFleetFile';

export interface FleetScope {
  accountId?: string;
  region: string;
  roleArn?: string;
  profile?: string;
}

/** Builds (and caches) the gateways of one account and region; assumes `roleArn` when given. */
export type GatewaysFor = (
  scope: FleetScope,
) => Promise<{ eks: EksGateway; sagemaker?: SageMakerGateway }>;

export interface FleetSourceResult {
  targets: ClusterTarget[];
  errors: FleetSourceError[];
}

const ERROR_STEP = (s: FleetScope) =>
  `list clusters in ${s.accountId ?? 'default account'} ${s.region}`;

/** ListClusters in every (entry, region), `concurrency` scopes at a time. */
export async function discoverEksClusters(
  entries: DiscoverEntry[],
  gatewaysFor: GatewaysFor,
  opts: { concurrency?: number } = {},
): Promise<FleetSourceResult> {
  const scopes = entries.flatMap((e) =>
    e.regions.map((region) => ({
      entry: e,
      scope: { accountId: e.accountId, region, roleArn: e.roleArn, profile: e.profile },
    })),
  );
  const errors: FleetSourceError[] = [];
  const found = await mapConcurrent(scopes, opts.concurrency ?? 8, async ({ entry, scope }) => {
    try {
      const { eks } = await gatewaysFor(scope);
      const names = await eks.listClusters();
      const accountId = scope.accountId ?? eks.accountId;
      return names.map((name): ClusterTarget => ({
        name,
        region: scope.region,
        ...(accountId ? { accountId } : {}),
        ...(scope.roleArn ? { roleArn: scope.roleArn } : {}),
        ...(scope.profile ? { profile: scope.profile } : {}),
        ...(accountId ? { arn: `arn:aws:eks:${scope.region}:${accountId}:cluster/${name}` } : {}),
        ...(entry.labels ? { labels: entry.labels } : {}),
      }));
    } catch (error) {
      const { step: _step, ...serialized } = toScanError(ERROR_STEP(scope), error);
      errors.push({ source: 'discover', ...scope, error: serialized });
      return [];
    }
  });
  return { targets: found.flat(), errors };
}

/**
 * One target per kubeconfig context (or the named ones): an EKS cluster when the context is
 * recognisably one (cluster entry ARN, `aws eks get-token` / aws-iam-authenticator exec args),
 * else a target with only the context (in-cluster reads, no EKS calls).
 */
export function kubeconfigTargets(kubeConfig: KubeConfig, contexts?: string[]): ClusterTarget[] {
  const names = contexts ?? kubeConfig.getContexts().map((c) => c.name);
  return names.map((context) => {
    const eks = contextToEksCluster(kubeConfig, context);
    if (!eks) return { name: context, context };
    return {
      name: eks.name,
      region: eks.region,
      context,
      ...(eks.accountId ? { accountId: eks.accountId } : {}),
      ...(eks.arn ? { arn: eks.arn } : {}),
    };
  });
}

/**
 * Sets `hyperpodClusterArn` on targets whose EKS cluster a HyperPod cluster runs on
 * (SageMaker DescribeCluster → Orchestrator.Eks.ClusterArn), one listing per account and region.
 */
export async function attachHyperPodClusters(
  targets: ClusterTarget[],
  gatewaysFor: GatewaysFor,
  opts: { concurrency?: number } = {},
): Promise<FleetSourceResult> {
  const scopes = new Map<string, FleetScope>();
  for (const t of targets) {
    if (!t.region) continue;
    const scope = {
      accountId: t.accountId,
      region: t.region,
      roleArn: t.roleArn,
      profile: t.profile,
    };
    scopes.set(`${t.accountId ?? ''}/${t.region}/${t.roleArn ?? ''}/${t.profile ?? ''}`, scope);
  }
  const errors: FleetSourceError[] = [];
  const byEksArn = new Map<string, string>();
  await mapConcurrent([...scopes.values()], opts.concurrency ?? 8, async (scope) => {
    try {
      const { sagemaker } = await gatewaysFor(scope);
      if (!sagemaker) return;
      const summaries = await sagemaker.listHyperPodClusters();
      const described = await mapConcurrent(summaries, 4, (s) =>
        sagemaker.describeHyperPodCluster(s.arn),
      );
      for (const d of described) if (d.eksClusterArn) byEksArn.set(d.eksClusterArn, d.arn);
    } catch (error) {
      const { step: _step, ...serialized } = toScanError(
        `list HyperPod clusters in ${scope.region}`,
        error,
      );
      errors.push({ source: 'hyperpod', ...scope, error: serialized });
    }
  });
  const arnOf = (t: ClusterTarget) =>
    t.arn ??
    (t.accountId && t.region
      ? `arn:aws:eks:${t.region}:${t.accountId}:cluster/${t.name}`
      : undefined);
  return {
    targets: targets.map((t) => {
      const arn = arnOf(t);
      const hp = arn ? byEksArn.get(arn) : undefined;
      return hp && !t.hyperpodClusterArn ? { ...t, hyperpodClusterArn: hp } : t;
    }),
    errors,
  };
}

/** Targets of a fleet file: its clusters, plus the clusters discovered, deduplicated by account/region/name. */
export async function fleetTargets(
  file: { clusters: ClusterTarget[]; discover: DiscoverEntry[] },
  gatewaysFor: GatewaysFor,
  opts: { hyperpod?: boolean; concurrency?: number } = {},
): Promise<FleetSourceResult> {
  const discovered = await discoverEksClusters(file.discover, gatewaysFor, opts);
  const seen = new Set<string>();
  const all: ClusterTarget[] = [];
  for (const t of [...file.clusters, ...discovered.targets]) {
    const key = `${t.accountId ?? ''}/${t.region ?? ''}/${t.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(t);
  }
  if (opts.hyperpod === false) return { targets: all, errors: discovered.errors };
  const mapped = await attachHyperPodClusters(all, gatewaysFor, opts);
  return { targets: mapped.targets, errors: [...discovered.errors, ...mapped.errors] };
}
