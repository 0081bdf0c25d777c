/**
 * kubectl-hyperpod/testing: the CLI's insides that test/cli checks directly (formatters, exit
 * codes, name validation, target resolution, the portal client's URL and token handling, the
 * launcher and the krew manifest), beside the runs of the built binary. Not shipped: the package's
 * tarball holds the launcher and the bundle only.
 */
export * from './AddonVersionsReport';
export * from './CliError';
export * from './CommandLine';
export * from './exitCodes';
export * from './failOnGates';
export * from './format/colour';
export * from './format/formatAddonVersions';
export * from './format/formatDrift';
export * from './format/formatMigrationHistory';
export * from './format/formatMigrationProgress';
export * from './format/formatRequests';
export * from './format/formatStatus';
export { KREW_PLATFORMS, krewManifest, sha256File, main as krewMain } from './krew';
export type { KrewManifestInput } from './krew';
export { cacheVariant, nodeTooOld, routeArgv } from './launcher';
export * as nodeFflate from './nodeFflate';
export { cleanToken, isLoopback, portalApiUrl, tokenSubject } from './portalClient';
export * from './validateNames';
export { resolveTargets } from './wiring/resolveTargets';
export type { ResolvedTargets } from './wiring/resolveTargets';
export type { TargetSelection } from './wiring/TargetSelection';
export type { RbacResult } from './commands/rbac';
