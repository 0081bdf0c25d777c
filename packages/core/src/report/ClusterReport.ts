/**
 * What a scan of one cluster found and what the core concluded: the `-o json|yaml` shape of
 * `kubectl hyperpod status` / `drift` and the portal's cluster report. A contract: change it
 * only with a new `schemaVersion`.
 */
import type { AddonReadiness, VersionDrift } from '../addons/addonDrift';
import type { HelmReleaseStatus } from '../helm/HelmRelease';
import type { ExplainedAddonIssue } from '../health/addonIssues';
import type { HealthState } from '../health/HealthState';
import type { SerializedGatewayError } from '../ports/GatewayError';

export const CLUSTER_REPORT_SCHEMA_VERSION = 1;

export interface ClusterIdentity {
  name: string;
  arn?: string;
  accountId?: string;
  region?: string;
  /** kubeconfig context used for in-cluster reads. */
  context?: string;
  kubernetesVersion?: string;
  /** The SageMaker HyperPod cluster orchestrated by this EKS cluster, if any. */
  hyperpodClusterArn?: string;
}

/** How a component is installed. `both` = a Helm release and an add-on fight over it. */
export type InstallMethod = 'addon' | 'helm' | 'both' | 'none';

export interface HelmInstall {
  release: string;
  namespace: string;
  revision: number;
  status: HelmReleaseStatus;
  chart: string;
  chartVersion: string;
  appVersion?: string;
  /** Set when the component is a sub-chart of an umbrella release. */
  subchartOf?: string;
}

export interface ConfigDrift {
  /** Keys (dotted paths) whose declared and actual values differ. */
  changed: string[];
  missing: string[];
  extra: string[];
}

export interface Finding {
  /** Stable id for filters and tests, e.g. `helm-pending`, `csi-driver-missing`. */
  code: string;
  health: HealthState;
  message: string;
  fix?: string;
}

export interface AddonReport {
  /** The EKS add-on name this component is (or would be) installed as. */
  name: string;
  installedVia: InstallMethod;
  health: HealthState;
  /** One line for tables. */
  reason: string;
  addon?: {
    version: string;
    status: string;
    issues: ExplainedAddonIssue[];
    configurationValues?: unknown;
  };
  helm?: HelmInstall;
  /** Version drift against the cluster's Kubernetes version (add-ons, or the add-on version a Helm chart maps to). */
  drift?: VersionDrift;
  configDrift?: ConfigDrift;
  /** A Helm install that has an EKS add-on to move to. */
  migrationCandidate: boolean;
  /**
   * For a Helm install: the add-on version a migration would install for the cluster's
   * Kubernetes version (the default, else the newest), and the add-on version that carries the
   * same software as the chart's app version, when one does.
   */
  migrationTarget?: {
    addonVersion: string;
    basis: 'default' | 'latest';
    equivalentAddonVersion?: string;
  };
  findings: Finding[];
}

export interface ScanError extends SerializedGatewayError {
  /** What the scan was doing: `describe cluster`, `list add-ons`, `read helm releases`... */
  step: string;
  /**
   * For a refused call: the missing permission and the shipped policy file that grants it, one
   * line (`missing permission eks:ListAddons on arn:…, granted by statement … of
   * permissions/iam/hyperpod-readonly.json`). Filled server-side, where the permission sets are.
   */
  permission?: string;
}

export interface ClusterReport {
  schemaVersion: typeof CLUSTER_REPORT_SCHEMA_VERSION;
  cluster: ClusterIdentity;
  /** Worst of every add-on's health and of scan errors (Unknown when the cluster could not be read). */
  health: HealthState;
  addons: AddonReport[];
  readiness?: {
    targetVersion: string;
    addons: AddonReadiness[];
    /** True when every add-on is `ready`. */
    ready: boolean;
  };
  /** Partial failures: the report holds what could be read. */
  errors: ScanError[];
  /** ISO-8601. */
  scannedAt: string;
  durationMs: number;
}
