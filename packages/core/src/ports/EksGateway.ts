/**
 * The EKS operations the product uses, in domain types. One gateway speaks for one account and
 * region (as an SDK client does). Adapters: AwsSdkEksGateway (core-node), InMemoryEksGateway (tests).
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { AddonIssue } from '../health/addonIssues';

export interface EksCluster {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version: string;
  status: string;
  endpoint?: string;
  oidcIssuer?: string;
  platformVersion?: string;
  /** ISO-8601. */
  createdAt?: string;
  tags: Record<string, string>;
}

export interface EksAddon {
  clusterName: string;
  addonName: string;
  addonVersion: string;
  status: string;
  issues: AddonIssue[];
  arn?: string;
  configurationValues?: string;
  serviceAccountRoleArn?: string;
  /** ISO-8601. */
  createdAt?: string;
  modifiedAt?: string;
}

export interface EksAddonConfiguration {
  addonName: string;
  addonVersion: string;
  /** The JSON Schema text EKS returns. */
  configurationSchema?: string;
}

export type ResolveConflicts = 'OVERWRITE' | 'NONE' | 'PRESERVE';

export interface UpdateAddonInput {
  clusterName: string;
  addonName: string;
  addonVersion?: string;
  configurationValues?: string;
  serviceAccountRoleArn?: string;
  resolveConflicts?: ResolveConflicts;
  clientRequestToken?: string;
}

/** CreateAddon takes what UpdateAddon does, and the add-on's tags. */
export interface CreateAddonInput extends UpdateAddonInput {
  tags?: Record<string, string>;
}

export interface EksUpdate {
  id: string;
  status: 'InProgress' | 'Failed' | 'Cancelled' | 'Successful' | string;
  type: string;
  params: { type: string; value: string }[];
  errors: { errorCode?: string; errorMessage?: string; resourceIds?: string[] }[];
  createdAt?: string;
}

export interface EksGateway {
  readonly accountId?: string;
  readonly region: string;
  listClusters(): Promise<string[]>;
  describeCluster(name: string): Promise<EksCluster>;
  listAddons(clusterName: string): Promise<string[]>;
  /** Undefined when the add-on is not installed. */
  describeAddon(clusterName: string, addonName: string): Promise<EksAddon | undefined>;
  describeAddonVersions(query: {
    addonName?: string;
    kubernetesVersion?: string;
  }): Promise<AddonCatalogEntry[]>;
  describeAddonConfiguration(
    addonName: string,
    addonVersion: string,
  ): Promise<EksAddonConfiguration>;
  createAddon(input: CreateAddonInput): Promise<EksAddon>;
  updateAddon(input: UpdateAddonInput): Promise<EksUpdate>;
  deleteAddon(
    clusterName: string,
    addonName: string,
    opts?: { preserve?: boolean },
  ): Promise<EksAddon | undefined>;
  describeUpdate(clusterName: string, updateId: string, addonName?: string): Promise<EksUpdate>;
}
