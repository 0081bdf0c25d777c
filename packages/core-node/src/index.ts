/**
 * @hyperpod/core-node: server-side adapters for the core's ports (AWS SDK v3 gateways,
 * the @kubernetes/client-node gateway, kubeconfig loading) and the contract suites that hold
 * adapters and in-memory fakes to the same behaviour. The SDKs and client-node are loaded on
 * first use, so importing this package is cheap.
 */
export { AwsClients, createAwsGateways, assumeRoleProvider } from './aws/AwsClients';
export type {
  AwsGatewayOptions,
  AwsGateways,
  AwsCredentials,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from './aws/AwsClients';
export { toGatewayError } from './aws/toGatewayError';
export { NodeSha256 } from './aws/NodeSha256';
export { FilePacingStore, PACING_FILE } from './scan/FilePacingStore';
export { AwsSdkEksGateway } from './aws/AwsSdkEksGateway';
export type { AwsSdkEksGatewayOptions } from './aws/AwsSdkEksGateway';
export { AwsSdkIamGateway } from './aws/AwsSdkIamGateway';
export { AwsSdkS3Gateway } from './aws/AwsSdkS3Gateway';
export { AwsSdkElbv2Gateway } from './aws/AwsSdkElbv2Gateway';
export { AwsSdkAcmGateway } from './aws/AwsSdkAcmGateway';
export { AwsSdkSageMakerGateway } from './aws/AwsSdkSageMakerGateway';
export { AwsSdkStsGateway } from './aws/AwsSdkStsGateway';
export type { ClientSource } from './aws/lazyClient';

export { ClientNodeKubeGateway } from './kube/ClientNodeKubeGateway';
export type { ClientNodeKubeGatewayOptions } from './kube/ClientNodeKubeGateway';
export { loadKubeconfig, kubeconfigPaths } from './kube/loadKubeconfig';
export type {
  LoadKubeconfigOptions,
  LoadedKubeconfig,
  KubeContextInfo,
} from './kube/loadKubeconfig';
export { KubeconfigError } from './kube/KubeconfigError';
export type { KubeconfigErrorReason } from './kube/KubeconfigError';
export { contextToEksCluster, parseEksClusterArn } from './kube/contextToEksCluster';
export type { EksClusterIdentity } from './kube/contextToEksCluster';
export { mintEksToken, eksGetTokenExec, eksTokenProvider } from './kube/mintEksToken';
export type {
  EksGetTokenExec,
  EksToken,
  MintEksTokenInput,
  EksTokenProviderOptions,
} from './kube/mintEksToken';

export { parseFleetFile, loadFleetFile, FLEET_FILE_SCHEMA } from './fleet/parseFleetFile';
export type { FleetFile, DiscoverEntry } from './fleet/parseFleetFile';
export { FleetFileError } from './fleet/FleetSourceError';
export type { FleetSourceError } from './fleet/FleetSourceError';
export {
  fleetTargets,
  discoverEksClusters,
  kubeconfigTargets,
  attachHyperPodClusters,
} from './fleet/fleetTargets';
export type { FleetScope, GatewaysFor, FleetSourceResult } from './fleet/fleetTargets';
export {
  FileMigrationStore,
  defaultMigrationRoot,
  type FileMigrationStoreOptions,
} from './migrate/FileMigrationStore';
export { kubeGatewayForContext } from './kube/kubeGatewayForContext';

export {
  PERMISSION_SETS,
  CREATED_ROLE_ARNS,
  expandPermissionSet,
  awsStatementsOf,
  kubeRulesOf,
  awsActionsOf,
} from './permissions/permissionSets';
export type {
  PermissionSet,
  PermissionSetId,
  AwsStatement,
  KubeRuleDoc,
  IamCondition,
} from './permissions/permissionSets';
export { AWS_OPERATIONS, SDK_CLIENT_SERVICES, awsOperationKey } from './permissions/awsOperations';
export type { AwsService } from './permissions/awsOperations';
export { kubeRequestAttributes, kubeRulesAllow } from './permissions/kubeRequest';
export {
  grantFor,
  missingPermissionLine,
  missingPermissionOfError,
  missingPermissionOfText,
  permissionText,
} from './permissions/missingPermission';
export type {
  AwsPermission,
  KubePermission,
  MissingPermission,
  MissingPermissionOptions,
  Permission,
  PermissionGrant,
} from './permissions/missingPermission';
export { explainRefusals, refusalLine } from './permissions/explainRefusals';
export { migrationPermissions } from './permissions/migrationPermissions';
export type {
  RequiredAwsPermission,
  RequiredKubePermission,
  RequiredPermission,
} from './permissions/migrationPermissions';
export { checkPermissions, simulationPrincipal } from './permissions/checkPermissions';
export type { PermissionCheck, PermissionCheckDeps } from './permissions/checkPermissions';
export { preflightMigration, onlyRefusedReads } from './permissions/migrationPreflight';
export type { MigrationPreflight } from './permissions/migrationPreflight';
export type { KubeRequestAttributes, KubeRule } from './permissions/kubeRequest';
export {
  renderPermissionFiles,
  iamPolicy,
  clusterRoleManifests,
  clusterRoleRules,
  rbacGroup,
  rbacObjects,
  PERMISSION_BUNDLES,
} from './permissions/renderPermissionFiles';
export type {
  PermissionBundle,
  IamPolicyDocument,
  RbacOptions,
  RbacSubject,
} from './permissions/renderPermissionFiles';
export { migrationStoreContract } from './contract/migrationStoreContract';
export type { MigrationStoreContractFixture } from './contract/migrationStoreContract';
