/**
 * Cluster observations for the buildClusterReport*.test.ts suites, as a scan reads them, built from
 * the sandbox's catalog, add-on workloads and Helm builders (test-only: the sandbox's Helm builders
 * store releases exactly as helm does, through our codec).
 */
import {
  decodeHelmReleaseSecret,
  helmComponents,
  type AddonReport,
  type ClusterObservation,
  type ClusterReport,
  type EksAddon,
  type EksCluster,
  type HelmRelease,
  type WorkloadStatus,
} from '@hyperpod/core';
import {
  ADDON_CATALOG,
  buildHelmRelease,
  inferenceOperatorValues,
  type KubeObject,
} from '@hyperpod/sandbox';
import { addonSpec as spec, catalogEntry } from './addonCatalog';

const CATALOG = ADDON_CATALOG.map(catalogEntry);

export const defaultVersion = (name: string, k8s: string) =>
  spec(name).versions.find((v) => v.defaultFor.includes(k8s))!.addonVersion;
export const latestVersion = (name: string, k8s: string) =>
  spec(name).versions.find((v) => v.clusterVersions.includes(k8s))!.addonVersion;

const CORE_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'];
export const DEPENDENCY_ADDONS = [
  'aws-mountpoint-s3-csi-driver',
  'aws-fsx-csi-driver',
  'cert-manager',
  'metrics-server',
];
export const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

export interface ClusterSpec {
  name: string;
  accountId: string;
  region: string;
  version: string;
}
export const PROD = '111111111111';
export const DEV = '222222222222';
export const cluster = (
  name: string,
  accountId: string,
  region: string,
  version: string,
): ClusterSpec => ({
  name,
  accountId,
  region,
  version,
});

function eksCluster(c: ClusterSpec): EksCluster {
  return {
    name: c.name,
    arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
    accountId: c.accountId,
    region: c.region,
    version: c.version,
    status: 'ACTIVE',
    endpoint: `https://${c.name}.gr7.${c.region}.eks.amazonaws.com`,
    tags: {},
  };
}

export function eksAddon(
  c: ClusterSpec,
  addonName: string,
  addonVersion: string,
  extra: Partial<EksAddon> = {},
): EksAddon {
  return {
    clusterName: c.name,
    addonName,
    addonVersion,
    status: 'ACTIVE',
    issues: [],
    arn: `arn:aws:eks:${c.region}:${c.accountId}:addon/${c.name}/${addonName}/x`,
    ...extra,
  };
}

/** In-cluster facts from objects as the API server would hold them (pods ready unless `notReady` names them). */
function kubeFacts(
  objects: KubeObject[],
  notReady: string[] = [],
): NonNullable<ClusterObservation['kube']> {
  const workloads: WorkloadStatus[] = [];
  for (const o of objects) {
    if (o.kind !== 'Deployment' && o.kind !== 'DaemonSet') continue;
    const desired =
      o.kind === 'Deployment'
        ? (((o['spec'] as { replicas?: number }).replicas ?? 1) as number)
        : 3;
    workloads.push({
      kind: o.kind,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name,
      labels: o.metadata.labels ?? {},
      desired,
      ready: notReady.includes(o.metadata.name) ? 0 : desired,
    });
  }
  return {
    csiDrivers: objects.filter((o) => o.kind === 'CSIDriver').map((o) => o.metadata.name),
    crds: objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name),
    workloads,
  };
}

function addonObjects(c: ClusterSpec, addons: EksAddon[]): KubeObject[] {
  return addons.flatMap((a) =>
    spec(a.addonName).workloads({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      addonVersion: a.addonVersion,
      config: a.configurationValues ? JSON.parse(a.configurationValues) : {},
    }),
  );
}

export function coreAddons(c: ClusterSpec): EksAddon[] {
  return CORE_ADDONS.map((n) => eksAddon(c, n, defaultVersion(n, c.version)));
}

export function observation(
  c: ClusterSpec,
  parts: { addons: EksAddon[]; helm?: HelmRelease[]; objects?: KubeObject[]; notReady?: string[] },
): ClusterObservation {
  const helm = parts.helm ?? [];
  const names = new Set([
    ...parts.addons.map((a) => a.addonName),
    ...helm.flatMap((r) => helmComponents(r).map((x) => x.addonName)),
    ...DEPENDENCY_ADDONS,
  ]);
  return {
    target: { name: c.name, accountId: c.accountId, region: c.region, context: c.name },
    cluster: eksCluster(c),
    addons: parts.addons,
    catalog: CATALOG.filter((e) => names.has(e.addonName)),
    helmReleases: helm,
    kube: kubeFacts([...addonObjects(c, parts.addons), ...(parts.objects ?? [])], parts.notReady),
    errors: [],
    startedAt: '2026-11-21T20:00:00.000Z',
    durationMs: 120,
  };
}

/** A Helm release stored as helm stores it, decoded back as the scan reads it: the newest revision and the live objects. */
export function helmRelease(seed: Parameters<typeof buildHelmRelease>[0]): {
  release: HelmRelease;
  objects: KubeObject[];
} {
  const built = buildHelmRelease(seed);
  const newest = built.secrets[built.secrets.length - 1]!;
  return { release: decodeHelmReleaseSecret(newest), objects: built.objects as KubeObject[] };
}

export const valuesFor = (c: ClusterSpec) =>
  inferenceOperatorValues({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
    hyperpodClusterId: 'k3z9x2abcd',
  });

export const byName = (r: ClusterReport, name: string): AddonReport => {
  const a = r.addons.find((x) => x.name === name);
  if (!a) throw new Error(`no ${name} in ${r.addons.map((x) => x.name).join(', ')}`);
  return a;
};
