export * from './MigrationPlan';
export * from './profiles';
export * from './discoverMigration';
export * from './planMigration';
export * from './executeMigration';
export * from './migrationLock';
export { manifestObjects, refKey, describeRef, type ManifestObject } from './manifest';
export { redactMigrationPlan } from './redactMigrationPlan';
