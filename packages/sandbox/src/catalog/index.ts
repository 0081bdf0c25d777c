/** The EKS add-on catalog the sandbox serves: versions, compatibility, schemas, workloads. */
export * from './addonCatalog';
export * from './AddonSpec';
export * from './findAddon';
export * from './addonSchemas';
export * from './addonWorkloads';
