/** Add-ons on a scenario's clusters: one add-on, the core add-ons every EKS cluster has, a health issue. */
import type { AddonIssue, AddonSeed } from '../aws/eks/EksService';
import { defaultAddonVersion } from '../catalog/findAddon';
import type { Sandbox, SandboxCluster } from '../Sandbox';

/** The add-ons every EKS cluster runs. */
export const CORE_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'];

/** The version EKS installs by default on a cluster of `kubernetesVersion`; the catalog has one. */
export function defaultVersion(addonName: string, kubernetesVersion: string): string {
  const v = defaultAddonVersion(addonName, kubernetesVersion);
  if (!v) throw new Error(`scenario: no default ${addonName} for Kubernetes ${kubernetesVersion}`);
  return v;
}

/** Puts an add-on on cluster `c` as it would be after CreateAddon settled (EksService.seedAddon). */
export function seedClusterAddon(
  sb: Sandbox,
  c: SandboxCluster,
  addonName: string,
  addonVersion: string,
  extra: Partial<AddonSeed> = {},
): void {
  sb.services.eks.seedAddon({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
    addonName,
    addonVersion,
    ...extra,
  });
}

/** The core add-ons every EKS cluster has, at the default version for its Kubernetes version. */
export function seedCoreAddons(
  sb: Sandbox,
  c: SandboxCluster,
  overrides: Record<string, string> = {},
): void {
  for (const addonName of CORE_ADDONS)
    seedClusterAddon(
      sb,
      c,
      addonName,
      overrides[addonName] ?? defaultVersion(addonName, c.kubernetesVersion),
    );
}

/** The health issue EKS reports when an add-on's workload `resourceId` lacks replicas. */
export function insufficientReplicas(resourceId: string): AddonIssue {
  return {
    code: 'InsufficientNumberOfReplicas',
    message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
    resourceIds: [resourceId],
  };
}
