/**
 * The `-o json|yaml` shape of `kubectl hyperpod addons versions NAME`: the versions of one add-on
 * EKS offers for a cluster's Kubernetes version. A contract like ClusterReport: change it only
 * with a new `schemaVersion`.
 */
import type { AddonVersionRow, ClusterIdentity, ScanError } from '@hyperpod/core';

export type { AddonVersionRow };

export const ADDON_VERSIONS_SCHEMA_VERSION = 1;

export interface AddonVersionsReport {
  schemaVersion: typeof ADDON_VERSIONS_SCHEMA_VERSION;
  cluster: ClusterIdentity;
  addonName: string;
  /** The cluster's Kubernetes version the list is for; undefined when the cluster could not be read. */
  kubernetesVersion?: string;
  /** The installed add-on version, if the add-on is installed. */
  installed?: string;
  default?: string;
  latest?: string;
  /** Newest first. */
  versions: AddonVersionRow[];
  errors: ScanError[];
}
