export * from './contract';
export * from './permissions';
export * from './requestLifecycle';
export * from './fleetSummary';
export * from './requestOutcome';
export * from './clusterEntityNames';
export * from './migrationRunId';
export * from './inputRules';
