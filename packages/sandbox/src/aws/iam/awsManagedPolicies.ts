/**
 * A few AWS managed policies, so roles can attach them as on a real account. Documents are
 * abridged to their gist; names, paths and ARNs are the real ones.
 */
export interface AwsManagedPolicySeed {
  name: string;
  path: string;
  description: string;
  document: object;
}

export const AWS_MANAGED_POLICIES: AwsManagedPolicySeed[] = [
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            's3:Get*',
            's3:List*',
            's3:Describe*',
            's3-object-lambda:Get*',
            's3-object-lambda:List*',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonS3FullAccess',
    path: '/',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }],
    },
  },
  {
    name: 'AmazonSageMakerFullAccess',
    path: '/',
    description: 'Provides full access to Amazon SageMaker via the AWS Management Console and SDK.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sagemaker:*', 'ecr:GetAuthorizationToken', 'logs:CreateLogGroup'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEKSClusterPolicy',
    path: '/',
    description:
      'This policy provides Kubernetes the permissions it requires to manage resources on your behalf.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ec2:Describe*', 'elasticloadbalancing:*', 'kms:DescribeKey'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEKSWorkerNodePolicy',
    path: '/',
    description: 'This policy allows Amazon EKS worker nodes to connect to Amazon EKS Clusters.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ec2:DescribeInstances', 'ec2:DescribeRouteTables', 'eks:DescribeCluster'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEKS_CNI_Policy',
    path: '/',
    description:
      'This policy provides the Amazon VPC CNI Plugin the permissions it requires to modify the IP address configuration on your EKS worker nodes.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:AssignPrivateIpAddresses',
            'ec2:AttachNetworkInterface',
            'ec2:CreateNetworkInterface',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerRegistryReadOnly',
    path: '/',
    description: 'Provides read-only access to Amazon EC2 Container Registry repositories.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonSSMManagedInstanceCore',
    path: '/',
    description:
      'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'ElasticLoadBalancingReadOnly',
    path: '/',
    description: 'Provides read only access to Amazon ElasticLoadBalancing and dependent services',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['elasticloadbalancing:Describe*', 'ec2:DescribeInstances'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSCertificateManagerReadOnly',
    path: '/',
    description: 'Provides read only access to AWS Certificate Manager (ACM).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'acm:DescribeCertificate',
            'acm:ListCertificates',
            'acm:GetCertificate',
            'acm:ListTagsForCertificate',
          ],
          Resource: '*',
        },
      ],
    },
  },
];
