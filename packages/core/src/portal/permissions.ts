/**
 * The portal's permissions, as plain data shaped like `@backstage/plugin-permission-common`'s
 * ResourcePermission (the core imports no Backstage package). Each is a resource permission on a
 * cluster, so a policy can make it conditional on the cluster's owner; the backend plugin registers
 * them and the rule, the frontend plugin asks about them to hide or disable actions.
 */
export const HYPERPOD_CLUSTER_RESOURCE_TYPE = 'hyperpod-cluster';

interface ClusterPermission<A extends 'read' | 'create' | 'update'> {
  type: 'resource';
  name: string;
  attributes: { action: A };
  resourceType: typeof HYPERPOD_CLUSTER_RESOURCE_TYPE;
}

const clusterPermission = <A extends 'read' | 'create' | 'update'>(
  name: string,
  action: A,
): ClusterPermission<A> => ({
  type: 'resource',
  name,
  attributes: { action },
  resourceType: HYPERPOD_CLUSTER_RESOURCE_TYPE,
});

/** See a cluster's health, drift, versions, requests and migration runs. */
export const hyperpodClusterReadPermission = clusterPermission('hyperpod.cluster.read', 'read');
/** Ask for an add-on upgrade on a cluster. */
export const hyperpodUpgradeRequestPermission = clusterPermission(
  'hyperpod.upgrade.request',
  'create',
);
/** Approve or reject someone's upgrade request on a cluster. */
export const hyperpodUpgradeApprovePermission = clusterPermission(
  'hyperpod.upgrade.approve',
  'update',
);
/** Preview, start and roll back a Helm-to-add-on migration on a cluster. */
export const hyperpodMigrationRunPermission = clusterPermission('hyperpod.migration.run', 'update');

export const hyperpodPermissions = [
  hyperpodClusterReadPermission,
  hyperpodUpgradeRequestPermission,
  hyperpodUpgradeApprovePermission,
  hyperpodMigrationRunPermission,
];

/** The rule a policy uses to limit a permission to the cluster's owners. */
export const HYPERPOD_OWNER_RULE = 'IS_CLUSTER_OWNER';
