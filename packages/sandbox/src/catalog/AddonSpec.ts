/** The shape of an EKS add-on in the sandbox's catalog: its versions and the workloads it applies. */
import type { KubeObject } from '../kube/types';
import type { JsonSchema } from './addonSchemas';
import type { WorkloadInput } from './addonWorkloads';

/** Kubernetes minor versions the sandbox's EKS supports. */
export const KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;

export interface PodIdentityConfiguration {
  serviceAccount: string;
  recommendedManagedPolicies: string[];
}

export interface AddonVersionSpec {
  addonVersion: string;
  /** Kubernetes minor versions this add-on version runs on. */
  clusterVersions: string[];
  /** Kubernetes versions for which this is the default version (EKS picks it when none is given). */
  defaultFor: string[];
  requiresConfiguration: boolean;
  requiresIamPermissions: boolean;
  architecture: string[];
  computeTypes: string[];
  configurationSchema: JsonSchema;
  podIdentityConfiguration: PodIdentityConfiguration[];
}

export interface AddonSpec {
  addonName: string;
  type: string;
  owner: string;
  publisher: string;
  marketplaceInformation?: { productId: string; productUrl: string };
  defaultNamespace: string;
  /** Newest first, as DescribeAddonVersions lists them. */
  versions: AddonVersionSpec[];
  /** The objects the add-on puts in the cluster, in apply order. */
  workloads(input: WorkloadInput): KubeObject[];
}
