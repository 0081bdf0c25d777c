/**
 * kubectl-hyperpod: the `kubectl hyperpod` plugin. The package's programmatic surface is the
 * output contract (result types) and the pure formatters, for tools that embed the tables.
 */
export { run } from '@oclif/core';
export { ExitCode, EXIT_CODES, worstExitCode } from './exitCodes';
export type { ExitCodeEntry } from './exitCodes';
export { CliError } from './CliError';
export { ADDON_VERSIONS_SCHEMA_VERSION } from './AddonVersionsReport';
export type { AddonVersionsReport, AddonVersionRow } from './AddonVersionsReport';
export { formatStatus } from './format/formatStatus';
export type { FormatOptions } from './format/formatStatus';
export { formatDrift } from './format/formatDrift';
export { formatAddonVersions } from './format/formatAddonVersions';
export { tripsDegraded, tripsDrift } from './failOnGates';
