/**
 * The scan pipeline's data: a target names a cluster; `observeCluster` reads it through the
 * ports into an observation (raw facts, partial failures included); `buildClusterReport` turns
 * an observation into a ClusterReport (pure). Faces only choose targets and render reports.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { HelmRelease } from '../helm/HelmRelease';
import type { ScanError } from '../report/ClusterReport';
import type { EksAddon, EksCluster } from '../ports/EksGateway';

/** One cluster to scan, as a fleet source names it. */
export interface ClusterTarget {
  /** EKS cluster name. */
  name: string;
  accountId?: string;
  region?: string;
  /** Role to assume for AWS calls in that account. */
  roleArn?: string;
  /** Named AWS profile for the credentials. */
  profile?: string;
  /** kubeconfig context for in-cluster reads; undefined = no in-cluster reads. */
  context?: string;
  /** Free-form labels from the fleet source (owner, environment...). */
  labels?: Record<string, string>;
  /**
   * The configurationValues each add-on should have (add-on name → values), as a fleet file
   * declares them: the report shows configuration drift against them.
   */
  declared?: Record<string, unknown>;
  /** The SageMaker HyperPod cluster orchestrated by this EKS cluster, when the fleet source mapped one. */
  hyperpodClusterArn?: string;
  /** The EKS cluster ARN, when the fleet source knows it (kubeconfig, discovery). */
  arn?: string;
}

/** A Deployment or DaemonSet and how many of its replicas are ready. */
export interface WorkloadStatus {
  kind: 'Deployment' | 'DaemonSet';
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  labels: Record<string, string>;
}

export interface ClusterObservation {
  target: ClusterTarget;
  /** Undefined when DescribeCluster failed (see errors). */
  cluster?: EksCluster;
  addons: EksAddon[];
  /** DescribeAddonVersions answers for every add-on installed or mapped from Helm (all Kubernetes versions). */
  catalog: AddonCatalogEntry[];
  /** The newest revision of every Helm release in the cluster (values as stored: redact before output). */
  helmReleases: HelmRelease[];
  /** In-cluster facts; undefined when there was no kube access. */
  kube?: {
    /** Empty when the list failed: see `unread`. */
    csiDrivers: string[];
    /** CRD names, e.g. `certificates.cert-manager.io`; empty when the list failed. */
    crds: string[];
    workloads: WorkloadStatus[];
    /**
     * In-cluster lists that failed (the API server did not answer, access denied): what they
     * would have said is unknown, never "not there". Absent when every list answered.
     */
    unread?: Partial<Record<'csiDrivers' | 'crds' | 'workloads' | 'helmReleases', ScanError>>;
  };
  hyperpodClusterArn?: string;
  errors: ScanError[];
  /** ISO-8601 start, and how long the reads took. */
  startedAt: string;
  durationMs: number;
}
