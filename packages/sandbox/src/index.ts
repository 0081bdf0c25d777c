/**
 * @hyperpod/sandbox: a local EKS / SageMaker HyperPod fleet speaking the real AWS (EKS, IAM, STS,
 * S3, ELBv2, ACM, SageMaker) and Kubernetes wire protocols, for tests, demos and benchmarks.
 * Production code never imports this package.
 */
export { Sandbox, startSandbox } from './Sandbox';
export type {
  SandboxOptions,
  SandboxAccount,
  KubeconfigExec,
  SandboxCluster,
  ClusterSpec,
  SandboxServices,
} from './Sandbox';
export { Faults } from './faults/Faults';
export type { FaultPoint, FaultSettings } from './faults/Faults';
export { ControlServer } from './control/ControlServer';
export { diffSnapshots, normalizeObject } from './snapshot/diffSnapshots';
export type { SandboxSnapshot, SnapshotDifference } from './snapshot/diffSnapshots';
export { scenarios, resolveScenario } from './scenarios';
export { helmInferenceScenario } from './scenarios/demo';
export { helmCluster as seedHelmInferenceCluster } from './scenarios/helmCluster';
export { seedClusterAddon } from './scenarios/seedClusterAddons';
export type { Scenario, ScenarioAuthorization, AccountAuthorization } from './scenarios';
export type { KubeObject, ObjectRef, KubeClusterApi } from './kube/types';
export { KubeCluster } from './kube/KubeCluster';
export { KubeApiServer } from './kube/KubeApiServer';
export { KubeStatusError } from './kube/KubeStatusError';
export { hyperpodInferenceCrds, INFERENCE_GROUP } from './kube/hyperpodCrds';
export { certManagerCrds, CERT_MANAGER_VERSION } from './kube/certManagerCrds';
export { loadBalancerControllerCrds } from './kube/loadBalancerControllerCrds';
export { normalizeForCompare } from './kube/normalizeForCompare';
export { SANDBOX_CA_DATA, SANDBOX_TLS_CERT, SANDBOX_TLS_KEY } from './kube/sandboxTls';
export * from './catalog';
export * from './helm';
