/**
 * Every AWS operation the SDK gateways send, keyed `<service>:<Command>` (the SDK command name
 * without `Command`), with the IAM actions AWS authorizes it by. A gateway that sends an operation
 * missing here fails the permission tests (test/permissions), so a new call cannot ship without
 * its permission.
 */
export type AwsService = 'eks' | 'iam' | 's3' | 'elbv2' | 'acm' | 'sagemaker' | 'sts';

export const AWS_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  // AwsSdkEksGateway
  'eks:ListClusters': ['eks:ListClusters'],
  'eks:DescribeCluster': ['eks:DescribeCluster'],
  'eks:ListAddons': ['eks:ListAddons'],
  'eks:DescribeAddon': ['eks:DescribeAddon'],
  'eks:DescribeAddonVersions': ['eks:DescribeAddonVersions'],
  'eks:DescribeAddonConfiguration': ['eks:DescribeAddonConfiguration'],
  // An add-on given a serviceAccountRoleArn also needs iam:PassRole on that role.
  'eks:CreateAddon': ['eks:CreateAddon', 'iam:PassRole'],
  'eks:UpdateAddon': ['eks:UpdateAddon', 'iam:PassRole'],
  'eks:DeleteAddon': ['eks:DeleteAddon'],
  'eks:DescribeUpdate': ['eks:DescribeUpdate'],
  // AwsSdkIamGateway (GetRole also lists the role's attached and inline policies)
  'iam:GetRole': ['iam:GetRole'],
  'iam:ListAttachedRolePolicies': ['iam:ListAttachedRolePolicies'],
  'iam:ListRolePolicies': ['iam:ListRolePolicies'],
  'iam:GetRolePolicy': ['iam:GetRolePolicy'],
  'iam:CreateRole': ['iam:CreateRole', 'iam:TagRole'],
  'iam:DeleteRole': ['iam:DeleteRole'],
  'iam:AttachRolePolicy': ['iam:AttachRolePolicy'],
  'iam:DetachRolePolicy': ['iam:DetachRolePolicy'],
  'iam:PutRolePolicy': ['iam:PutRolePolicy'],
  'iam:DeleteRolePolicy': ['iam:DeleteRolePolicy'],
  'iam:TagRole': ['iam:TagRole'],
  'iam:UntagRole': ['iam:UntagRole'],
  // The migration's preflight asks IAM how the caller's own policies decide what the plan needs.
  'iam:SimulatePrincipalPolicy': ['iam:SimulatePrincipalPolicy'],
  // AwsSdkS3Gateway: HeadBucket is authorized as s3:ListBucket.
  's3:HeadBucket': ['s3:ListBucket'],
  's3:GetObjectTagging': ['s3:GetObjectTagging'],
  's3:PutObjectTagging': ['s3:PutObjectTagging'],
  's3:DeleteObjectTagging': ['s3:DeleteObjectTagging'],
  // AwsSdkElbv2Gateway
  'elbv2:DescribeLoadBalancers': ['elasticloadbalancing:DescribeLoadBalancers'],
  'elbv2:DescribeTags': ['elasticloadbalancing:DescribeTags'],
  'elbv2:AddTags': ['elasticloadbalancing:AddTags'],
  'elbv2:RemoveTags': ['elasticloadbalancing:RemoveTags'],
  // AwsSdkAcmGateway
  'acm:ListCertificates': ['acm:ListCertificates'],
  'acm:DescribeCertificate': ['acm:DescribeCertificate'],
  'acm:ListTagsForCertificate': ['acm:ListTagsForCertificate'],
  'acm:AddTagsToCertificate': ['acm:AddTagsToCertificate'],
  'acm:RemoveTagsFromCertificate': ['acm:RemoveTagsFromCertificate'],
  // AwsSdkSageMakerGateway
  'sagemaker:ListClusters': ['sagemaker:ListClusters'],
  'sagemaker:DescribeCluster': ['sagemaker:DescribeCluster'],
  // AwsSdkStsGateway: GetCallerIdentity needs no permission; AssumeRole is granted by the
  // target role's trust policy plus sts:AssumeRole on the caller.
  'sts:GetCallerIdentity': [],
  'sts:AssumeRole': ['sts:AssumeRole'],
};

/** The SDK client class name → the service key of AWS_OPERATIONS. */
export const SDK_CLIENT_SERVICES: Readonly<Record<string, AwsService>> = {
  EKSClient: 'eks',
  IAMClient: 'iam',
  S3Client: 's3',
  ElasticLoadBalancingV2Client: 'elbv2',
  ACMClient: 'acm',
  SageMakerClient: 'sagemaker',
  STSClient: 'sts',
};

/** `eks:DescribeAddon` for the SDK's (clientName, commandName), or undefined for an unknown client. */
export function awsOperationKey(clientName: string, commandName: string): string | undefined {
  const service = SDK_CLIENT_SERVICES[clientName];
  return service ? `${service}:${commandName.replace(/Command$/, '')}` : undefined;
}
