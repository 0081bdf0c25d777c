/**
 * The portal's HTTP contract: what the hyperpod backend plugin serves under
 * `/api/hyperpod` and what the frontend plugin and `kubectl hyperpod requests` read. Plain data
 * only. Errors use Backstage's error body: `{ error: { name, message }, response: { statusCode } }`.
 *
 *   GET  /fleet                                fleet summary (from the last scans, cached)
 *   POST /fleet/refresh                        scan every cluster now (429 + Retry-After when the
 *                                              caller refreshed too recently)
 *   GET  /clusters/:cluster                    one cluster: its last report, upgrade requests,
 *                                              recent migration runs and the active one
 *   POST /clusters/:cluster/refresh            scan one cluster now (429 + Retry-After when it was
 *                                              refreshed too recently)
 *   GET  /clusters/:cluster/addons/:addon/versions   versions compatible with the cluster
 *   GET  /requests?cluster=&addon=&state=&requestedBy=   list upgrade requests
 *   POST /requests                             create (Idempotency-Key header honoured)
 *   GET  /requests/:id                         one request with its history
 *   POST /requests/:id/approve | reject | cancel   decide (body: { note? })
 *   POST /clusters/:cluster/migrations/plan    preview a Helm-to-add-on migration (changes nothing)
 *   POST /clusters/:cluster/migrations         start one (202 { runId }; Idempotency-Key honoured)
 *   GET  /clusters/:cluster/migrations         the cluster's runs, newest first ({ items })
 *   GET  /migrations/:runId                    a run: summary, plan, journal (never its backup)
 *   POST /migrations/:runId/rollback           roll a run back to its backup (202)
 *
 * `:cluster` is an EKS cluster ARN or a cluster name that is unique in the fleet (URL-encoded).
 * POSTs take a JSON body (`Content-Type: application/json`); an empty body counts as `{}`.
 */
import type { HealthState } from '../health/HealthState';
import type { VersionDriftStatus } from '../addons/addonDrift';
import type { ClusterReport, InstallMethod } from '../report/ClusterReport';
import type { UpgradeEvent, UpgradeStatus } from '../upgrade/UpgradeOutcome';
import type { UpgradeRequestState } from './requestLifecycle';
import type { MigrationPlan } from '../migrate/MigrationPlan';
import type { MigrationJournalEntry, MigrationRunSummary } from '../ports/MigrationStore';

export const HYPERPOD_API_VERSION = 1;

/**
 * Catalog annotations of a cluster's `Resource` entity (type `kubernetes-cluster`): the EKS
 * cluster ARN (the portal's cluster id) and its region. The backend's entity provider writes
 * them; the frontend reads them to find the cluster.
 */
export const HYPERPOD_CLUSTER_ARN_ANNOTATION = 'kubectl-hyperpod.io/eks-cluster-arn';
export const HYPERPOD_CLUSTER_REGION_ANNOTATION = 'kubectl-hyperpod.io/region';
/** The entity `spec.type` of clusters in the catalog. */
export const HYPERPOD_CLUSTER_ENTITY_TYPE = 'kubernetes-cluster';

/** A cluster as the portal names it. */
export interface PortalCluster {
  /** Stable key in URLs: the EKS cluster ARN when known, else `region/name`. */
  id: string;
  name: string;
  arn?: string;
  accountId?: string;
  region?: string;
  kubernetesVersion?: string;
  /** Owner entity ref (`group:default/ml-platform`), from the fleet source's `owner` label. */
  owner?: string;
  /** The cluster's catalog entity (`resource:default/<name>`), as the entity provider names it. */
  entityRef?: string;
}

export interface FleetSummaryAddon {
  name: string;
  health: HealthState;
  installedVia: InstallMethod;
  version?: string;
  drift?: VersionDriftStatus;
  latest?: string;
  migrationCandidate: boolean;
}

export interface FleetSummaryCluster extends PortalCluster {
  health: HealthState;
  addons: FleetSummaryAddon[];
  /** Errors of the last scan (the cluster could not be fully read). */
  errors: number;
  /** Undefined until the first scan of this cluster finished. */
  scannedAt?: string;
  /** Upgrade requests waiting for a decision or running. */
  openRequests: number;
}

export interface FleetSummary {
  apiVersion: typeof HYPERPOD_API_VERSION;
  generatedAt: string;
  clusters: FleetSummaryCluster[];
  totals: {
    clusters: number;
    byHealth: Record<HealthState, number>;
    migrationCandidates: number;
    behindDefault: number;
  };
}

export interface RequestTransition {
  at: string;
  actor: string;
  from?: UpgradeRequestState;
  to: UpgradeRequestState;
  note?: string;
}

/** What the portal shows of an upgrade's outcome (configuration values never included). */
export interface UpgradeRequestOutcome {
  status: UpgradeStatus;
  message: string;
  from: string;
  to?: string;
  hopsDone: string[];
  failedHop?: string;
  issueCodes: string[];
  rollback?: { method: 'update' | 'recreate'; succeeded: boolean };
  events: Pick<UpgradeEvent, 'at' | 'type' | 'message' | 'hop' | 'status'>[];
}

export interface UpgradeRequest {
  id: string;
  cluster: PortalCluster;
  addonName: string;
  /** As asked: a version, `default` or `latest`. */
  target: string;
  /** The version `target` resolved to when the request was made. */
  targetVersion: string;
  /** The add-on's version when the request was made. */
  fromVersion: string;
  reason: string;
  state: UpgradeRequestState;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  /** Who approved, rejected or cancelled it. */
  decidedBy?: string;
  attempts: number;
  outcome?: UpgradeRequestOutcome;
  history: RequestTransition[];
}

export interface CreateUpgradeRequestBody {
  cluster: string;
  addonName: string;
  target: string;
  reason: string;
}

export interface DecideUpgradeRequestBody {
  note?: string;
}

export interface ClusterDetail {
  cluster: PortalCluster;
  report?: ClusterReport;
  requests: UpgradeRequest[];
  /** The cluster's most recent migration runs, newest first (at most 20; absent from older backends). */
  migrations?: MigrationRunItem[];
  /** The run in progress on the cluster now, if any. */
  activeMigration?: string;
}

export interface AddonVersionsResponse {
  cluster: PortalCluster;
  addonName: string;
  installed?: string;
  default?: string;
  latest?: string;
  /** Newest first. */
  compatible: string[];
}

export interface ApiErrorBody {
  error: { name: string; message: string };
  response: { statusCode: number };
}

/** Body of `POST /clusters/:cluster/migrations[/plan]`. */
export interface MigrationRequestBody {
  /** Migration profile id; default `hyperpod-inference`. */
  profile?: string;
  /** A version, `default` or `latest`. */
  addonVersion?: string;
  /** Helm values the add-on has no place for, accepted as lost (the plan lists them); a key the plan does not drop is refused (400). */
  acceptDrops?: string[];
  /** Release statuses (`failed`, `pending-upgrade`...) accepted to migrate from; recorded in the plan with the user; a status the release is not in is refused (400). */
  allowReleaseStatus?: string[];
}

/** Answer of `POST /clusters/:cluster/migrations` (202): the run goes on in the background. */
export interface MigrationRunStarted {
  runId: string;
  cluster: PortalCluster;
}

/** One run in `GET /clusters/:cluster/migrations` and in ClusterDetail. */
export interface MigrationRunItem extends MigrationRunSummary {
  /** Who started it (user entity ref). */
  startedBy: string;
  /** Whether a run or rollback of it is in progress on the backend now. */
  active: boolean;
}

/** Answer of `GET /clusters/:cluster/migrations`. */
export interface MigrationRunList {
  items: MigrationRunItem[];
}

/** Answer of `GET /migrations/:runId`. The backup (Helm release secrets) stays on the server. */
export interface MigrationRunView {
  cluster: PortalCluster;
  /** Who started it (user entity ref). */
  startedBy: string;
  summary: MigrationRunSummary;
  plan: MigrationPlan;
  journal: MigrationJournalEntry[];
  /** Whether a run or rollback of it is in progress on the backend now. */
  active: boolean;
  /** Whether the backup was written (a rollback has something to restore). */
  hasBackup: boolean;
}
