/** IAM's customer managed policy actions (each policy has one version, v1). */
import { required, validationError } from '../protocols/queryProtocol';
import { AwsError } from '../types';
import type { IamAction } from './IamAction';
import { creationParams } from './iamParams';
import { deleteConflict, noSuchEntity } from './IamState';
import { policyXml } from './iamViews';

export const MANAGED_POLICY_ACTIONS: Record<string, IamAction> = {
  CreatePolicy: ({ store, req, p }) => {
    const policy = store.createPolicy(
      req.accountId,
      creationParams(p, 'PolicyName', 'PolicyDocument'),
    );
    return { Policy: policyXml(policy, store.attachmentCount(req.accountId, policy.arn), false) };
  },
  GetPolicy: ({ store, req, p }) => {
    const policy = store.existingPolicy(req.accountId, required(p, 'PolicyArn'));
    return { Policy: policyXml(policy, store.attachmentCount(req.accountId, policy.arn), true) };
  },
  DeletePolicy: ({ store, req, p }) => {
    const policy = store.existingPolicy(req.accountId, required(p, 'PolicyArn'));
    if (policy.owner === 'aws')
      throw new AwsError(
        'AccessDenied',
        `User: ${req.principalArn} is not authorized to perform: iam:DeletePolicy on resource: policy ${policy.arn}`,
        403,
      );
    if (store.attachmentCount(req.accountId, policy.arn) > 0)
      throw deleteConflict('Cannot delete a policy attached to entities.');
    store.account(req.accountId).policies.delete(policy.arn);
  },
  GetPolicyVersion: ({ store, req, p }) => {
    const policy = store.existingPolicy(req.accountId, required(p, 'PolicyArn'));
    const versionId = required(p, 'VersionId');
    if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) {
      throw validationError(
        `1 validation error detected: Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`,
      );
    }
    if (versionId !== 'v1')
      throw noSuchEntity(
        `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
      );
    return {
      PolicyVersion: {
        Document: encodeURIComponent(policy.document),
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: policy.createDate,
      },
    };
  },
};
