/**
 * Helm 3 releases: the domain view the product reasons about (`HelmRelease`) and the exact JSON
 * Helm's Go structs serialise into a release Secret (`HelmReleaseWire`, field names and
 * omitempty rules of helm.sh/helm/v3 pkg/release and pkg/chart).
 */

/** Every `release.Status` Helm 3 writes. A `pending-*` release blocks every other Helm operation. */
export const HELM_RELEASE_STATUSES = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
] as const;
export type HelmReleaseStatus = (typeof HELM_RELEASE_STATUSES)[number];

export function isHelmReleaseStatus(value: unknown): value is HelmReleaseStatus {
  return typeof value === 'string' && (HELM_RELEASE_STATUSES as readonly string[]).includes(value);
}

/** True for the statuses during which Helm refuses upgrade, rollback and uninstall ("another operation is in progress"). */
export function isPendingHelmStatus(status: HelmReleaseStatus): boolean {
  return (
    status === 'pending-install' || status === 'pending-upgrade' || status === 'pending-rollback'
  );
}

/** A value tree as Helm keeps it (`map[string]interface{}` from YAML/JSON). */
export type HelmValues = { [key: string]: unknown };

export interface HelmChartDependency {
  /** As stored: for an aliased dependency Helm writes the alias here, not the chart's name. */
  name: string;
  /**
   * The dependency's own chart name (e.g. `aws-load-balancer-controller` for alias `alb`),
   * recovered from Chart.lock by repository and version when Helm replaced it with the alias.
   */
  chartName?: string;
  version?: string;
  repository?: string;
  alias?: string;
  condition?: string;
  tags?: string[];
  /** Set by Helm after evaluating `condition`/`tags` against the values of the release. */
  enabled?: boolean;
}

export interface HelmChartLock {
  generated: string;
  digest: string;
  dependencies: HelmChartDependency[];
}

export interface HelmReleaseInfo {
  /** RFC 3339 timestamps as Helm wrote them (nanoseconds and zone kept verbatim). */
  firstDeployed: string;
  lastDeployed: string;
  /** Undefined while Go's zero time (`0001-01-01T00:00:00Z`) is stored. */
  deleted?: string;
  description: string;
  status: HelmReleaseStatus;
  notes?: string;
}

/**
 * A hook of a release (`release.Hook`): Helm stores hooks apart from the manifest, runs them on
 * their events and deletes them by their policies, so a hook may rightly be gone from the cluster.
 */
export interface HelmReleaseHook {
  name: string;
  kind: string;
  /** The template it came from, e.g. `chart/templates/hooks.yaml`. */
  path: string;
  manifest: string;
  /** `pre-install`, `post-upgrade`, `test`... */
  events: string[];
  weight: number;
  /** `before-hook-creation` (Helm's default), `hook-succeeded`, `hook-failed`. */
  deletePolicies: string[];
  /** The last run; phase `''` when it never ran. */
  lastRun: { startedAt?: string; completedAt?: string; phase: string };
}

/** A file of a chart as stored in the release (`chart.files`), its bytes read as UTF-8 text. */
export interface HelmChartFile {
  name: string;
  text: string;
}

/** One revision of a Helm release, as the product reasons about it. */
export interface HelmRelease {
  name: string;
  namespace: string;
  /** Helm's `version`: the revision number, 1 for the first install. */
  revision: number;
  status: HelmReleaseStatus;
  chart: {
    name: string;
    version: string;
    appVersion?: string;
    apiVersion?: string;
    description?: string;
    type?: string;
    dependencies: HelmChartDependency[];
    lock?: HelmChartLock;
    /**
     * The top chart's `crds/` files (Helm installs them before the templates and keeps them out of
     * the manifest). Sub-charts' files are not stored in a release at all.
     */
    crdFiles?: HelmChartFile[];
  };
  /** Hooks, from the release's `hooks` (never in `manifest`). */
  hooks?: HelmReleaseHook[];
  /** User-supplied values only (Helm's `config`), not the chart defaults. */
  values: HelmValues;
  /** The chart's default values (`chart.values`), for computing effective values. */
  chartValues: HelmValues;
  manifest: string;
  info: HelmReleaseInfo;
  /** Labels of the storage object (owner, name, status, version, createdAt/modifiedAt, custom labels). */
  labels: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Wire format: json.Marshal(release.Release) in helm.sh/helm/v3. Keys are listed in Go struct
// field order, which is the order Go writes them.

export interface HelmWireFile {
  name: string;
  /** `[]byte`, so base64 in JSON. */
  data: string;
}

export interface HelmWireMaintainer {
  name?: string;
  email?: string;
  url?: string;
}

export interface HelmWireDependency {
  name: string;
  version?: string;
  repository: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

export interface HelmWireMetadata {
  name?: string;
  home?: string;
  sources?: string[];
  version?: string;
  description?: string;
  keywords?: string[];
  maintainers?: HelmWireMaintainer[];
  icon?: string;
  apiVersion?: string;
  condition?: string;
  tags?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  kubeVersion?: string;
  dependencies?: HelmWireDependency[];
  type?: string;
}

export interface HelmWireLock {
  generated: string;
  digest: string;
  dependencies: HelmWireDependency[] | null;
}

export interface HelmWireChart {
  metadata: HelmWireMetadata | null;
  lock: HelmWireLock | null;
  templates: HelmWireFile[] | null;
  values: HelmValues | null;
  /** `[]byte` JSON Schema, base64 in JSON. */
  schema: string | null;
  files: HelmWireFile[] | null;
}

export interface HelmWireInfo {
  first_deployed: string;
  last_deployed: string;
  deleted: string;
  description?: string;
  status?: string;
  notes?: string;
  resources?: Record<string, unknown[]>;
}

export interface HelmWireHook {
  name?: string;
  kind?: string;
  path?: string;
  manifest?: string;
  events?: string[];
  last_run: { started_at: string; completed_at: string; phase: string };
  weight?: number;
  delete_policies?: string[];
  output_log_policies?: string[];
}

export interface HelmReleaseWire {
  name?: string;
  info?: HelmWireInfo;
  chart?: HelmWireChart;
  config?: HelmValues;
  manifest?: string;
  hooks?: HelmWireHook[];
  version?: number;
  namespace?: string;
  /** Never in the JSON (`json:"-"`): Helm keeps release labels on the storage object. */
  labels?: Record<string, string>;
}

/** Go's zero `time.Time`, which Helm writes for a release that was never deleted. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** The Secret type of Helm 3 release storage. */
export const HELM_RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** `sh.helm.release.v1.<release>.v<revision>`, the storage key Helm 3 uses. */
export function helmReleaseSecretName(release: string, revision: number): string {
  return `sh.helm.release.v1.${release}.v${revision}`;
}

/** A Kubernetes Secret as stored by Helm (only the fields the codec reads or writes). */
export interface HelmReleaseSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  type: string;
  /** Kubernetes Secret data: base64 of the bytes. */
  data: { release: string; [key: string]: string };
}
