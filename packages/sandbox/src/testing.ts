/**
 * @hyperpod/sandbox/testing: the sandbox's parts that tests drive one at a time, outside a whole
 * `Sandbox` (an AWS service behind its own endpoint, the policy evaluator, the protobuf reader
 * kubectl's requests are checked with). Tests and benchmarks only, like the rest of the package;
 * the whole fleet, the Kubernetes API server and the seeds are in the package's main entry.
 */
export { Accounts } from './aws/Accounts';
export type { Credential } from './aws/Accounts';
export { AwsServer } from './aws/AwsServer';
export type { AwsServerOptions, AwsCallStats } from './aws/AwsServer';
export type { ServiceContext } from './aws/ServiceContext';
export { AwsError } from './aws/types';
export type { AwsService, AwsRequest, AwsResponse, AwsProtocol } from './aws/types';
export { AcmService } from './aws/acm/AcmService';
export { EksService } from './aws/eks/EksService';
export { Elbv2Service } from './aws/elbv2/Elbv2Service';
export { IamService } from './aws/iam/IamService';
export { S3Service } from './aws/s3/S3Service';
export { SageMakerService } from './aws/sagemaker/SageMakerService';
export { StsService } from './aws/sts/StsService';
export { evaluatePolicies } from './aws/authorization/evaluatePolicies';
export type {
  AuthorizationDecision,
  AuthorizationRequest,
} from './aws/authorization/evaluatePolicies';
export { parsePolicy } from './aws/iam/policyDocument';
export type { PolicyDocument, PolicyStatement } from './aws/iam/policyDocument';
export { decodeKubeProtobuf } from './kube/protobuf';
export { addInferenceCluster } from './scenarios/inferenceCluster';
export type { InferenceCluster } from './scenarios/inferenceCluster';
