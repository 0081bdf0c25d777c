/**
 * @hyperpod/core: the isomorphic domain of kubectl-hyperpod (runs in Node and in the browser):
 * models, pure rules and codecs shared by the CLI, the portal and the sandbox. No Node built-ins,
 * no adapters.
 */
export {
  HELM_RELEASE_STATUSES,
  HELM_RELEASE_SECRET_TYPE,
  GO_ZERO_TIME,
  helmReleaseSecretName,
  isHelmReleaseStatus,
  isPendingHelmStatus,
} from './helm/HelmRelease';
export type {
  HelmChartDependency,
  HelmChartFile,
  HelmChartLock,
  HelmRelease,
  HelmReleaseHook,
  HelmReleaseInfo,
  HelmReleaseSecret,
  HelmReleaseStatus,
  HelmReleaseWire,
  HelmValues,
  HelmWireChart,
  HelmWireDependency,
  HelmWireFile,
  HelmWireHook,
  HelmWireInfo,
  HelmWireLock,
  HelmWireMaintainer,
  HelmWireMetadata,
} from './helm/HelmRelease';
export {
  HelmReleaseDecodeError,
  decodeHelmReleaseData,
  decodeHelmReleaseSecret,
  encodeHelmReleaseData,
  encodeHelmReleaseDataUncompressed,
  encodeHelmReleaseSecret,
  marshalHelmRelease,
  toHelmRelease,
} from './helm/helmReleaseCodec';
export type { HelmReleaseDecodeFailure, HelmReleaseSecretOptions } from './helm/helmReleaseCodec';
export { manifestChunks, splitManifest } from './helm/splitManifest';
export type { ManifestDocument, SplitManifest } from './helm/splitManifest';
export {
  REDACTED,
  redactText,
  redactValues,
  sensitiveValuePaths,
  isSecretKey,
  isSecretValue,
} from './helm/redactValues';
export type { RedactValuesOptions } from './helm/redactValues';
export { encodeBase64, decodeBase64, Base64Error } from './helm/base64';
export { compareText } from './text/compareText';

export { parseAddonVersion, compareAddonVersions, newestAddonVersion } from './addons/addonVersion';
export type { AddonVersion } from './addons/addonVersion';
export {
  compatibleVersions,
  addonVersionDrift,
  nextKubernetesVersion,
  addonReadiness,
  blocksClusterUpgrade,
  driftNeedsAction,
} from './addons/addonDrift';
export type {
  AddonCatalogEntry,
  AddonVersionInfo,
  AddonVersionCompatibility,
  CompatibleVersions,
  VersionDrift,
  VersionDriftStatus,
  ReadinessVerdict,
  AddonReadiness,
} from './addons/addonDrift';
export { HEALTH_LADDER, healthRank, worstHealth } from './health/HealthState';
export type { HealthState } from './health/HealthState';
export {
  ADDON_ISSUE_CODES,
  ADDON_ISSUE_GUIDE,
  explainAddonIssue,
  parseConfigurationConflict,
} from './health/addonIssues';
export type {
  AddonIssueCode,
  AddonIssueGuide,
  AddonIssue,
  ExplainedAddonIssue,
  ConfigurationConflictEntry,
} from './health/addonIssues';
export { addonHealth } from './health/addonHealth';
export type { AddonStatus, AddonHealthInput, AddonHealth } from './health/addonHealth';

export { GatewayError } from './ports/GatewayError';
export type { GatewayErrorKind, SerializedGatewayError } from './ports/GatewayError';
export type {
  EksGateway,
  EksCluster,
  EksAddon,
  EksAddonConfiguration,
  EksUpdate,
  CreateAddonInput,
  UpdateAddonInput,
  ResolveConflicts,
} from './ports/EksGateway';
export type {
  KubeGateway,
  KubeObject,
  KubeRef,
  KubeListOptions,
  KubeVersion,
  KubeWriteOptions,
  KubeDeleteOptions,
  KubeAccessQuery,
  KubeAccessAnswer,
} from './ports/KubeGateway';
export { DEFAULT_FIELD_MANAGER, SERVER_METADATA_FIELDS } from './ports/KubeGateway';
export type {
  IamGateway,
  IamRole,
  CreateRoleInput,
  PolicyDocument,
  SimulationInput,
  SimulationResult,
} from './ports/IamGateway';
export type { S3Gateway, BucketAccess, BucketHead } from './ports/S3Gateway';
export type { Elbv2Gateway, LoadBalancer, LoadBalancerQuery } from './ports/Elbv2Gateway';
export type { AcmGateway, AcmCertificate, AcmCertificateSummary } from './ports/AcmGateway';
export type {
  SageMakerGateway,
  HyperPodCluster,
  HyperPodClusterSummary,
} from './ports/SageMakerGateway';
export type {
  StsGateway,
  CallerIdentity,
  TemporaryCredentials,
  AssumeRoleInput,
  AssumedRole,
} from './ports/StsGateway';
export type {
  MigrationStore,
  MigrationJournalEntry,
  MigrationRunSummary,
  StoredMigrationRun,
} from './ports/MigrationStore';
export { MIGRATION_RUN_ID, newestRunFirst } from './ports/MigrationStore';

export {
  ADDON_COMPONENTS,
  ABSORBED_SUBCHARTS,
  INFERENCE_ADDON,
  INFERENCE_OPERATOR_CHART,
  INFERENCE_PREREQUISITES,
  UMBRELLA_CHARTS,
  chartAppVersion,
  componentForAddon,
  componentForChart,
  componentForSubchart,
} from './components/addonComponents';
export type { AddonComponent, WorkloadPattern } from './components/addonComponents';
export { equivalentAddonVersion } from './components/equivalentAddonVersion';
export { helmComponents, manifestCharts } from './components/helmComponents';
export type { HelmComponent } from './components/helmComponents';
export { withRetry, backoffDelay, isRetryableError } from './scan/withRetry';
export type { RetryOptions } from './scan/withRetry';
export { PromiseCache } from './scan/PromiseCache';
export type { PromiseCacheOptions } from './scan/PromiseCache';
export { CachingAddonCatalog, CachingAddonConfigurations } from './scan/CachingAddonCatalog';
export type {
  AddonCatalogCache,
  AddonConfigurationCache,
  CachingOptions,
} from './scan/CachingAddonCatalog';
export {
  observeCluster,
  kubeHelmReleaseLister,
  mapConcurrent,
  toScanError,
} from './scan/observeCluster';
export type { HelmReleaseLister, ObserveClusterDeps } from './scan/observeCluster';
export { configDrift, parseConfigurationValues } from './scan/configDrift';
export { buildClusterReport } from './scan/buildClusterReport';
export type { BuildClusterReportOptions } from './scan/buildClusterReport';
export { clusterErrorReport } from './scan/clusterErrorReport';
export { scanFleet, scanScope } from './scan/scanFleet';
export type { ScanContext, ScanFleetOptions, ScanOne } from './scan/scanFleet';
export { CLUSTER_REPORT_SCHEMA_VERSION } from './report/ClusterReport';
export type {
  ClusterReport,
  ClusterIdentity,
  AddonReport,
  InstallMethod,
  HelmInstall,
  ConfigDrift,
  Finding,
  ScanError,
} from './report/ClusterReport';
export { awsProfileOfExec, execEnv, execFlag } from './aws/awsProfileOfExec';
export type { ExecUser } from './aws/awsProfileOfExec';
export { driftGateHits, tripsDriftGate } from './report/driftGate';
export type { DriftGateHit, DriftGateReason } from './report/driftGate';
export { topFix } from './report/topFix';
export { migrationCandidates, migrationCandidateProfile } from './report/migrationCandidates';
export type { MigrationCandidate } from './report/migrationCandidates';
export { accountMismatch } from './report/accountMismatch';
export {
  FINAL_JOURNAL_TYPES,
  migrationRunState,
  migrationRunStatusText,
} from './migrate/migrationRunState';
export type { MigrationRunState } from './migrate/migrationRunState';
export type { ClusterTarget, ClusterObservation, WorkloadStatus } from './scan/ClusterObservation';

export { HelmReleaseGateway } from './helm/HelmReleaseGateway';
export type {
  HelmReleaseListing,
  HelmReleaseHistory,
  HelmReleaseReadError,
} from './helm/HelmReleaseGateway';

// In-memory fakes of every port, for the tests of any package (checked by core-node's contract suites).
export { FakeFaults } from './testing/FakeFaults';
export type { FakeFault } from './testing/FakeFaults';
export { InMemoryEksGateway } from './testing/InMemoryEksGateway';
export type {
  InMemoryEksGatewayOptions,
  InMemoryClusterSeed,
  InMemoryAddonSeed,
} from './testing/InMemoryEksGateway';
export { InMemoryKubeGateway } from './testing/InMemoryKubeGateway';
export type {
  InMemoryKubeGatewayOptions,
  KubeWriteRecord,
  KubeAccessDenial,
} from './testing/InMemoryKubeGateway';
export { InMemoryIamGateway } from './testing/InMemoryIamGateway';
export { InMemoryS3Gateway } from './testing/InMemoryS3Gateway';
export { InMemoryElbv2Gateway } from './testing/InMemoryElbv2Gateway';
export { InMemoryAcmGateway } from './testing/InMemoryAcmGateway';
export { InMemorySageMakerGateway } from './testing/InMemorySageMakerGateway';
export { InMemoryStsGateway } from './testing/InMemoryStsGateway';
export { InMemoryMigrationStore } from './testing/InMemoryMigrationStore';
export { matchLabelSelector } from './testing/matchLabelSelector';

export { AWS_REGIONS, isAwsRegion } from './aws/awsRegions';
export {
  DEFAULT_PACING,
  initialPacing,
  mergePacing,
  pacingIncrease,
  pacingSucceeded,
  pacingThrottled,
  parsePacingState,
} from './scan/pacing/PacingState';
export type { PacingParams, PacingState } from './scan/pacing/PacingState';
export { InMemoryPacingStore } from './scan/pacing/PacingStore';
export type { PacingStore, SharedPacing } from './scan/pacing/PacingStore';
export { Pacer } from './scan/pacing/Pacer';
export type { PacerOptions, PacingTicket } from './scan/pacing/Pacer';
export { PacedEksGateway } from './scan/pacing/PacedEksGateway';
export { clustersPerScope, scanClusters, pacingScope, SCAN_ATTEMPTS } from './scan/scanClusters';
export type { ScanClustersDeps, ScanClustersOptions } from './scan/scanClusters';
export {
  planUpgrade,
  resolveUpgradeTarget,
  STEPWISE_ADDONS,
  ADDON_DEPENDENCIES,
  UPGRADE_PLAN_SCHEMA_VERSION,
} from './upgrade/planUpgrade';
export type { PlanUpgradeInput, UpgradePlan, UpgradeTarget } from './upgrade/planUpgrade';
export { validateConfiguration } from './upgrade/validateConfiguration';
export type { ConfigurationCheck } from './upgrade/validateConfiguration';
export { executeUpgrade } from './upgrade/executeUpgrade';
export type { ExecuteUpgradeDeps } from './upgrade/executeUpgrade';
export { UPGRADE_OUTCOME_SCHEMA_VERSION } from './upgrade/UpgradeOutcome';
export type {
  UpgradeOutcome,
  UpgradeStatus,
  UpgradeEvent,
  UpgradeEventType,
  CapturedAddon,
} from './upgrade/UpgradeOutcome';
export { prepareUpgrade, AddonNotInstalledError } from './upgrade/prepareUpgrade';
export {
  lostUpgradeVerdict,
  MAX_UPGRADE_ATTEMPTS,
  settledAddon,
} from './upgrade/lostUpgradeVerdict';
export type { LostUpgradeVerdict } from './upgrade/lostUpgradeVerdict';
export { ADDON_IN_FLIGHT_STATUSES, isAddonInFlight } from './addons/addonInFlight';
export { addonVersionsOffered } from './addons/addonVersionsOffered';
export type { AddonVersionRow, AddonVersionsOffered } from './addons/addonVersionsOffered';
export type { PrepareUpgradeInput } from './upgrade/prepareUpgrade';
export {
  UpgradeLock,
  UpgradeLockedError,
  upgradeLeaseName,
  UPGRADE_LEASE_PREFIX,
} from './upgrade/upgradeLock';
export { runUpgradeLocked } from './upgrade/runUpgradeLocked';
export {
  conflictRefs,
  discoverResolveConflicts,
  ownedPaths,
  planResolveConflicts,
  RESOLVE_CONFLICTS_PLAN_SCHEMA_VERSION,
} from './upgrade/planResolveConflicts';
export type {
  FieldTakeover,
  ResolveConflictsInput,
  ResolveConflictsPlan,
} from './upgrade/planResolveConflicts';
export { runResolveConflicts } from './upgrade/runResolveConflicts';
export type {
  ResolveConflictsDeps,
  ResolveConflictsEvent,
  ResolveConflictsOutcome,
  ResolveConflictsStatus,
} from './upgrade/runResolveConflicts';
export type { RunUpgradeDeps } from './upgrade/runUpgradeLocked';
export { redactUpgradeOutcome, redactConfigurationValues } from './upgrade/redactUpgradeOutcome';
export * from './migrate/index';
export * from './portal/index';
