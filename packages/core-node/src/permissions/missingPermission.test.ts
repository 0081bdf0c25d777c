import type { SerializedGatewayError } from '@hyperpod/core';
import {
  grantFor,
  missingPermissionLine,
  missingPermissionOfError,
  missingPermissionOfText,
  permissionText,
} from './missingPermission';

const denied = (
  service: string,
  operation: string,
  message: string,
  code = 'AccessDenied',
): SerializedGatewayError => ({
  kind: 'AccessDenied',
  service,
  operation,
  message,
  code,
  statusCode: 403,
});

describe('missingPermissionOfError', () => {
  it('reads action and resource from IAM’s AccessDenied and names the statement and file granting it', () => {
    const m = missingPermissionOfError(
      denied(
        'iam',
        'AttachRolePolicy',
        'User: arn:aws:iam::111111111111:user/ops is not authorized to perform: iam:AttachRolePolicy on resource: arn:aws:iam::111111111111:role/SageMakerHyperPodInference-k3z9x2ab-execution-role because no identity-based policy allows the iam:AttachRolePolicy action',
      ),
    );
    expect(missingPermissionLine(m!)).toBe(
      'missing permission iam:AttachRolePolicy on arn:aws:iam::111111111111:role/SageMakerHyperPodInference-k3z9x2ab-execution-role, granted by statement IamGrantMigrationRoles of permissions/iam/hyperpod-operate.json',
    );
  });

  it('reads EKS’s AccessDeniedException; a read is named in the smallest file, or in the one of the action run', () => {
    const e = denied(
      'eks',
      'DescribeAddon',
      'User: arn:aws:iam::111111111111:user/ops is not authorized to perform: eks:DescribeAddon on resource: arn:aws:eks:us-east-1:111111111111:addon/ml/vpc-cni/* because no identity-based policy allows the eks:DescribeAddon action',
      'AccessDeniedException',
    );
    expect(missingPermissionOfError(e)?.grantedBy).toEqual({
      bundle: 'readonly',
      file: 'permissions/iam/hyperpod-readonly.json',
      statement: 'EksReadClustersAndAddons',
    });
    expect(missingPermissionOfError(e, { forSet: 'migrate' })?.grantedBy?.file).toBe(
      'permissions/iam/hyperpod-operate.json',
    );
  });

  it('reads S3’s quoted resource', () => {
    const m = missingPermissionOfError(
      denied(
        's3',
        'GetObjectTagging',
        'User: arn:aws:iam::111111111111:user/ops is not authorized to perform: s3:GetObjectTagging on resource: "arn:aws:s3:::tls/certs/tls.pem" because no identity-based policy allows the s3:GetObjectTagging action',
      ),
    );
    expect(permissionText(m!.permission)).toBe('s3:GetObjectTagging on arn:aws:s3:::tls/certs/tls.pem');
    expect(m!.grantedBy?.statement).toBe('S3FindTlsBuckets');
  });

  it('falls back to the operation when the message names no action (S3’s "Access Denied")', () => {
    const m = missingPermissionOfError(denied('s3', 'HeadBucket', 'Access Denied'));
    expect(permissionText(m!.permission)).toBe('s3:ListBucket');
    expect(m!.grantedBy?.statement).toBe('S3FindTlsBuckets');
  });

  it('reads the API server’s 403 (namespaced and cluster-wide) and names the ClusterRole file', () => {
    const ns = missingPermissionOfError(
      denied(
        'kubernetes',
        'create deployment kube-system/x',
        'ml: deployments.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "kube-system"',
        'Forbidden',
      ),
    );
    expect(missingPermissionLine(ns!)).toBe(
      'missing permission create deployments.apps in namespace kube-system, granted by ClusterRole hyperpod-operate in permissions/kubernetes/hyperpod-operate.yaml',
    );
    const cluster = missingPermissionOfError(
      denied(
        'kubernetes',
        'list customresourcedefinition',
        'ml: customresourcedefinitions.apiextensions.k8s.io is forbidden: User "alice" cannot list resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope',
        'Forbidden',
      ),
    );
    expect(missingPermissionLine(cluster!)).toBe(
      'missing permission list customresourcedefinitions.apiextensions.k8s.io (cluster-wide), granted by ClusterRole hyperpod-readonly in permissions/kubernetes/hyperpod-readonly.yaml',
    );
  });

  it('is not about errors other than refusals, and says when no shipped file grants a permission', () => {
    expect(
      missingPermissionOfError({ ...denied('eks', 'DescribeAddon', 'x'), kind: 'NotFound' }),
    ).toBeUndefined();
    expect(
      missingPermissionLine(grantFor({ kind: 'aws', action: 'ec2:RunInstances', resource: '*' })),
    ).toBe('missing permission ec2:RunInstances on * (no shipped policy grants it)');
    expect(
      missingPermissionLine(
        grantFor({ kind: 'kube', verb: 'delete', group: '', resource: 'namespaces' }),
      ),
    ).toBe('missing permission delete namespaces (cluster-wide) (no shipped policy grants it)');
  });

  it('finds a refusal quoted in a run’s failure message', () => {
    const m = missingPermissionOfText(
      'failed at Dependency add-ons: create add-on aws-fsx-csi-driver: User: arn:aws:iam::111111111111:user/ops is not authorized to perform: eks:CreateAddon on resource: arn:aws:eks:us-east-1:111111111111:cluster/ml because no identity-based policy allows the eks:CreateAddon action; rolled back to the backup',
      { forSet: 'migrate' },
    );
    expect(missingPermissionLine(m!)).toBe(
      'missing permission eks:CreateAddon on arn:aws:eks:us-east-1:111111111111:cluster/ml, granted by statement EksCreateInferenceAddons of permissions/iam/hyperpod-operate.json',
    );
    expect(missingPermissionOfText('add-on is CREATE_FAILED')).toBeUndefined();
  });
});
