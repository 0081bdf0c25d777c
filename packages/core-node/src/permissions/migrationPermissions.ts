/**
 * Every permission a migration plan's run needs, and its rollback: each AWS call with the exact
 * resource ARN and the condition keys it will carry (request tags, the tag the migration puts on
 * what it creates, the service a role is passed to), and each Kubernetes verb on each resource and
 * namespace. The preflight (checkPermissions) asks IAM and the API server about exactly these
 * before the first change. Pure: the plan says everything.
 */
import {
  CREATED_BY_TAG,
  INVENTORY_KINDS,
  LEASE_NAMESPACE,
  planActions,
  resourceOf,
  type KubeAccessQuery,
  type KubeRef,
  type MigrationPlan,
} from '@hyperpod/core';

export interface RequiredAwsPermission {
  kind: 'aws';
  action: string;
  resource: string;
  /** Condition keys the call carries (or the resource has by then). */
  context?: Record<string, string | string[]>;
}

export interface RequiredKubePermission extends KubeAccessQuery {
  kind: 'kube';
}

export type RequiredPermission = RequiredAwsPermission | RequiredKubePermission;

const TAGGED = { [`aws:ResourceTag/${CREATED_BY_TAG.key}`]: CREATED_BY_TAG.value };
const TAGGING = {
  [`aws:RequestTag/${CREATED_BY_TAG.key}`]: CREATED_BY_TAG.value,
  'aws:TagKeys': [CREATED_BY_TAG.key],
};
/** How a tag action reads, adds and removes the tags of a load balancer or a certificate. */
const TAGGING_ACTIONS = {
  'load-balancer': {
    read: 'elasticloadbalancing:DescribeTags',
    add: 'elasticloadbalancing:AddTags',
    remove: 'elasticloadbalancing:RemoveTags',
  },
  certificate: {
    read: 'acm:ListTagsForCertificate',
    add: 'acm:AddTagsToCertificate',
    remove: 'acm:RemoveTagsFromCertificate',
  },
} as const;

export interface MigrationPermissionOptions {
  leaseNamespace?: string;
  /**
   * The release's objects (discovery's): the backup reads each, and the rollback writes back any
   * an add-on changed.
   */
  releaseObjects?: readonly Pick<KubeRef, 'apiVersion' | 'kind' | 'namespace'>[];
}

export function migrationPermissions(
  plan: MigrationPlan,
  opts: MigrationPermissionOptions = {},
): RequiredPermission[] {
  const out = new Map<string, RequiredPermission>();
  const aws = (action: string, resource: string, context?: RequiredAwsPermission['context']) =>
    out.set(JSON.stringify(['aws', action, resource, context ?? {}]), {
      kind: 'aws',
      action,
      resource,
      ...(context ? { context } : {}),
    });
  const kube = (verb: string, ref: Pick<KubeRef, 'apiVersion' | 'kind' | 'namespace'>) => {
    const { group, resource } = resourceOf(ref);
    const q: RequiredKubePermission = {
      kind: 'kube',
      verb,
      group,
      resource,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
    };
    out.set(JSON.stringify(q), q);
  };
  const { accountId, region, name: cluster, arn: clusterArn } = plan.cluster;
  const roleArn = (name: string) => `arn:aws:iam::${accountId}:role/${name}`;
  const addonArn = (name: string) => `arn:aws:eks:${region}:${accountId}:addon/${cluster}/${name}/*`;

  // The lock, the backup (release records, the inventory of every kind an add-on may create).
  const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };
  for (const verb of ['get', 'create', 'update', 'delete'])
    kube(verb, { ...lease, namespace: opts.leaseNamespace ?? LEASE_NAMESPACE });
  kube('list', { apiVersion: 'v1', kind: 'Secret', namespace: plan.source.namespace });
  kube('get', { apiVersion: 'v1', kind: 'Secret', namespace: plan.source.namespace });
  for (const k of INVENTORY_KINDS) kube('list', k);
  aws('eks:DescribeCluster', clusterArn);
  for (const ref of opts.releaseObjects ?? []) {
    kube('get', ref);
    kube('update', ref);
    // An add-on that takes a Deployment over rolls out a new ReplicaSet; rollback deletes it.
    if (ref.kind === 'Deployment')
      kube('delete', { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ref.namespace });
  }

  for (const { action } of planActions(plan)) {
    switch (action.kind) {
      case 'iam.createRole': {
        const arn = roleArn(action.roleName);
        const requestTags = {
          ...Object.fromEntries(
            Object.entries(action.tags).map(([k, v]) => [`aws:RequestTag/${k}`, v]),
          ),
          'aws:TagKeys': Object.keys(action.tags),
        };
        aws('iam:GetRole', arn);
        aws('iam:ListAttachedRolePolicies', arn);
        aws('iam:ListRolePolicies', arn);
        aws('iam:CreateRole', arn, requestTags);
        aws('iam:TagRole', arn, requestTags);
        if (action.attachPolicyArns.length) {
          aws('iam:AttachRolePolicy', arn, TAGGED);
          aws('iam:DetachRolePolicy', arn, TAGGED);
        }
        if (Object.keys(action.inlinePolicies).length) {
          aws('iam:PutRolePolicy', arn, TAGGED);
          aws('iam:DeleteRolePolicy', arn, TAGGED);
        }
        aws('iam:DeleteRole', arn, TAGGED);
        break;
      }
      case 'tag': {
        const t = action.target;
        const had = action.before[CREATED_BY_TAG.key];
        const putBack =
          had === undefined
            ? undefined
            : { [`aws:RequestTag/${CREATED_BY_TAG.key}`]: had, 'aws:TagKeys': [CREATED_BY_TAG.key] };
        if (t.type === 'load-balancer' || t.type === 'certificate') {
          const api = TAGGING_ACTIONS[t.type];
          aws(api.read, t.arn);
          aws(api.add, t.arn, TAGGING);
          if (putBack) aws(api.add, t.arn, putBack);
          else aws(api.remove, t.arn, { ...TAGGED, 'aws:TagKeys': [CREATED_BY_TAG.key] });
        } else {
          const arn = `arn:aws:s3:::${t.bucket}/${t.key}`;
          // The plan checked the bucket exists (HeadBucket).
          aws('s3:ListBucket', `arn:aws:s3:::${t.bucket}`);
          aws('s3:GetObjectTagging', arn);
          aws('s3:PutObjectTagging', arn);
          // Rollback removes the tag set of an object that had none (tagged by us by then).
          if (Object.keys(action.before).length === 0)
            aws('s3:DeleteObjectTagging', arn, {
              [`s3:ExistingObjectTag/${CREATED_BY_TAG.key}`]: CREATED_BY_TAG.value,
            });
        }
        break;
      }
      case 'eks.createAddon':
        aws('eks:DescribeAddon', addonArn(action.addonName));
        aws('eks:CreateAddon', clusterArn);
        if (action.serviceAccountRoleArn)
          aws('iam:PassRole', action.serviceAccountRoleArn, {
            'iam:PassedToService': 'eks.amazonaws.com',
          });
        aws('eks:DeleteAddon', addonArn(action.addonName));
        break;
      case 'eks.waitActive':
        aws('eks:DescribeAddon', addonArn(action.addonName));
        break;
      case 'kube.scale':
        kube('get', action.ref);
        kube('patch', action.ref);
        // Rollback writes the saved object back.
        kube('update', action.ref);
        break;
      case 'kube.delete':
        kube('get', action.ref);
        kube('delete', action.ref);
        kube('create', action.ref);
        kube('update', action.ref);
        break;
      case 'helm.markMigrated': {
        const secret = { apiVersion: 'v1', kind: 'Secret', namespace: action.namespace };
        kube('get', secret);
        kube('update', secret);
        break;
      }
    }
  }
  return [...out.values()];
}
