/**
 * The plugin's side of the Backstage permission framework: the cluster resource type, the
 * ownership rule policies use to make a permission conditional ("only the cluster's owners"), and
 * one function that answers "may these credentials do this to this cluster?" whether the policy
 * said ALLOW, DENY or CONDITIONAL.
 */
import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult, type ResourcePermission } from '@backstage/plugin-permission-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  HYPERPOD_CLUSTER_RESOURCE_TYPE,
  HYPERPOD_OWNER_RULE,
  type PortalCluster,
} from '@hyperpod/core';
import { z } from 'zod';

/** What a conditional decision filters on when listing clusters. */
export type ClusterQuery = { owners: string[] };

export const clusterResourceRef = createPermissionResourceRef<PortalCluster, ClusterQuery>().with({
  pluginId: 'hyperpod',
  resourceType: HYPERPOD_CLUSTER_RESOURCE_TYPE,
});

/** The cluster's owner (from the fleet's `owner`) is one of `claims` (the user's ownership refs). */
export const isClusterOwner = createPermissionRule({
  name: HYPERPOD_OWNER_RULE,
  description: 'Allow only the owners of the cluster (its owner entity ref is one of the claims)',
  resourceRef: clusterResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity refs the user owns through (user and groups)'),
  }),
  apply: (cluster, { claims }) => cluster.owner !== undefined && claims.includes(cluster.owner),
  toQuery: ({ claims }) => ({ owners: claims }),
});

export const hyperpodClusterRules = { isClusterOwner };

/** For permission policies: `hyperpodClusterConditions.isClusterOwner({ claims })`. */
export const {
  conditions: hyperpodClusterConditions,
  createConditionalDecision: createHyperpodClusterConditionalDecision,
} = createConditionExports({ resourceRef: clusterResourceRef, rules: hyperpodClusterRules });

type ClusterPermission = ResourcePermission<typeof HYPERPOD_CLUSTER_RESOURCE_TYPE>;

/**
 * Asks the permission framework about clusters by resource ref (the cluster id). A conditional
 * policy decision is resolved by the permission backend through this plugin's registered
 * resource type (`getResources` + the ownership rule), so the answer is always allow or deny.
 */
export class ClusterAccess {
  constructor(private readonly permissions: PermissionsService) {}

  /** Which of `clusters` the credentials may act on with `permission` (one batched call). */
  async allowed<C extends PortalCluster>(
    permission: ClusterPermission,
    credentials: BackstageCredentials,
    clusters: readonly C[],
  ): Promise<C[]> {
    if (clusters.length === 0) return [];
    const decisions = await this.permissions.authorize(
      clusters.map((c) => ({ permission, resourceRef: c.id })),
      { credentials },
    );
    return clusters.filter((_, i) => decisions[i]?.result === AuthorizeResult.ALLOW);
  }

  async may(
    permission: ClusterPermission,
    credentials: BackstageCredentials,
    cluster: PortalCluster,
  ): Promise<boolean> {
    return (await this.allowed(permission, credentials, [cluster])).length === 1;
  }
}
