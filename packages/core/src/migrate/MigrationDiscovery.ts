/**
 * What discovery found for a migration (discoverMigration), the one input of planMigration: plain
 * data, so a plan can be recomputed from it and tests can write it by hand.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { HelmValues } from '../helm/HelmRelease';
import type { EksAddon, EksCluster } from '../ports/EksGateway';
import type { IamRole, PolicyDocument } from '../ports/IamGateway';
import type { KubeAccessQuery, KubeRef } from '../ports/KubeGateway';
import type { BucketHead } from '../ports/S3Gateway';
import type { ScanError } from '../report/ClusterReport';
import type { DiscoveredCrd, DiscoveredHook } from './discoverReleaseObjects';
import type { ManifestObject } from './manifest';
import type { MigrationPlan, ResourceRef } from './MigrationPlan';

/** The release a plan's `source` names (as `release`), with what was read of it. */
export interface DiscoveredRelease extends Omit<MigrationPlan['source'], 'release'> {
  name: string;
  /** The component's user values (its sub-tree of the release's values for a sub-chart). */
  values: HelmValues;
  /** Every revision's storage Secret. */
  secrets: KubeRef[];
  /** Every readable revision's status, oldest first; undefined when the history could not be read. */
  history?: { revision: number; status: string }[];
  /** The manifest's objects (what Helm upgrades and uninstalls). */
  objects: ManifestObject[];
  /** The release's hooks, stored apart, and whether each is on the cluster. */
  hooks: DiscoveredHook[];
  /** The charts' crds/ CRDs (not in the manifest), and whether each is on the cluster. */
  crds: DiscoveredCrd[];
}

export interface TagTarget {
  target: Extract<ResourceRef, { type: 'load-balancer' | 'certificate' | 's3-object' }>;
  tags: Record<string, string>;
  /** Where it was found (`JumpStartModel default/llama`, `Ingress default/alb-x`). */
  foundIn: string;
}

export interface DependencyState {
  addonName: string;
  /** Chart path of its sub-chart in the release, when the release installs it. */
  helmChartPath?: string[];
  /** How it is present outside the release (`CSIDriver s3.csi.aws.com`), when it is. */
  external?: string;
}

export interface MigrationDiscovery {
  profile: string;
  /** The add-on version asked for (`--addon-version`: a version, `default` or `latest`); undefined = default. */
  requestedVersion?: string;
  cluster: Pick<EksCluster, 'name' | 'arn' | 'accountId' | 'region' | 'version' | 'oidcIssuer'>;
  /** Undefined when no release installs the component. */
  release?: DiscoveredRelease;
  /** Every release that installs it (more than one: the user must pick with --release). */
  candidates: { release: string; namespace: string; chartPath: string[] }[];
  /** Replicas of the Deployments that will be scaled down, by refKey. */
  replicas: Record<string, number>;
  /** Add-ons of the cluster that matter (target and dependencies); null = not installed, absent = the read failed. */
  addons: Record<string, EksAddon | null>;
  catalogs: Record<string, AddonCatalogEntry | null>;
  /** DescribeAddonConfiguration schema per `addon@version`; null = none published. */
  schemas: Record<string, string | null>;
  /** Roles by name; null = no such role. */
  roles: Record<string, IamRole | null>;
  /** Inline policy documents of the roles the values name, by role then policy name. */
  inlinePolicies: Record<string, Record<string, PolicyDocument>>;
  bucket?: { name: string; head: BucketHead };
  tagTargets: TagTarget[];
  dependencies: DependencyState[];
  access: (KubeAccessQuery & { allowed: boolean; reason?: string })[];
  reads: ResourceRef[];
  readErrors: string[];
  /**
   * Calls that failed (the cluster did not answer, access was denied...), as the scan reports
   * them: a face tells an access failure (exit 4) from a plan that is blocked.
   */
  failedReads?: ScanError[];
  /** Why the Helm releases could not be listed, when they could not: no release found then means unknown, not none. */
  helmReleasesUnread?: string;
}
