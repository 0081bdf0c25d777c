export * from './MigrationPlan';
export * from './profiles';
export * from './MigrationDiscovery';
export * from './discoverMigration';
export { chooseAddonVersion } from './chooseAddonVersion';
export { s3BucketName, roleNameOf, hyperpodId8 } from './helmValueNames';
export { componentObjects, dependencyObjects, scaleDownObjects } from './componentObjects';
export * from './planMigration';
export { irsaTrust } from './irsaTrust';
export * from './ExecuteMigrationDeps';
export * from './MigrationOutcome';
export * from './MigrationBackup';
export * from './executeMigration';
export * from './dryRunOnServer';
export { MIGRATED_LABEL } from './actions/helmMarkMigrated';
export * from './migrationLock';
export {
  manifestObjects,
  readManifest,
  refKey,
  refOf,
  describeRef,
  resourceOf,
  scopeFromCrds,
  chainScopes,
  type ManifestObject,
  type KubeScope,
  type ScopeResolver,
} from './manifest';
export * from './releaseObjects';
export * from './configurationSchemaPath';
export * from './classifyHelmValues';
export * from './releaseStatusGate';
export * from './unmatchedPlanOverrides';
export * from './discoverReleaseObjects';
export { redactMigrationJournal, redactMigrationPlan } from './redactMigrationPlan';
