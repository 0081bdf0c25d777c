/**
 * The plugin's side of the Backstage permission framework: the cluster resource type, the
 * ownership rule policies use to make a permission conditional ("only the cluster's owners"), and
 * one function that answers "may these credentials do this to this cluster?" whether the policy
 * said ALLOW, DENY or CONDITIONAL.
 */
import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  hyperpodClusterReadPermission,
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
 * Asks the permission framework about clusters: one conditional query per permission and caller
 * (not one item per cluster), resolved here with the plugin's own rules when the policy answers
 * CONDITIONAL. Read decisions are kept for `readDecisionTtlMs` per caller (the fleet page is the
 * hot path: a revoked read shows after at most that long); every other permission is asked
 * each time.
 */
export class ClusterAccess {
  private readonly authorizer = createConditionAuthorizer([isClusterOwner]);
  private readonly readDecisions = new Map<string, { until: number; decision: PolicyDecision }>();

  constructor(
    private readonly permissions: PermissionsService,
    private readonly opts: { readDecisionTtlMs?: number; now?: () => number } = {},
  ) {}

  private async decision(
    permission: ClusterPermission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision | undefined> {
    const ttl = this.opts.readDecisionTtlMs ?? 5_000;
    const cacheable = permission.name === hyperpodClusterReadPermission.name && ttl > 0;
    const now = (this.opts.now ?? Date.now)();
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    const key = `${principal.type}:${principal.userEntityRef ?? principal.subject ?? ''}`;
    if (cacheable) {
      const hit = this.readDecisions.get(key);
      if (hit && hit.until > now) return hit.decision;
    }
    const [decision] = await this.permissions.authorizeConditional([{ permission }], {
      credentials,
    });
    if (cacheable && decision) {
      if (this.readDecisions.size > 10_000) this.readDecisions.clear();
      this.readDecisions.set(key, { until: now + ttl, decision });
    }
    return decision;
  }

  /** Which of `clusters` the credentials may act on with `permission`. */
  async allowed<C extends PortalCluster>(
    permission: ClusterPermission,
    credentials: BackstageCredentials,
    clusters: readonly C[],
  ): Promise<C[]> {
    if (clusters.length === 0) return [];
    const decision = await this.decision(permission, credentials);
    if (!decision || decision.result === AuthorizeResult.DENY) return [];
    if (decision.result === AuthorizeResult.ALLOW) return [...clusters];
    return clusters.filter((c) => this.authorizer(decision, c));
  }

  async may(
    permission: ClusterPermission,
    credentials: BackstageCredentials,
    cluster: PortalCluster,
  ): Promise<boolean> {
    return (await this.allowed(permission, credentials, [cluster])).length === 1;
  }
}
