/**
 * The demo permission policy: everyone signed in may read every cluster; the owners of a cluster
 * (its fleet `owner` entity ref is one of the user's ownership refs) may request upgrades and run
 * migrations on it; members of the approver groups may approve or reject. Everything else (other
 * plugins) is allowed. A real organisation replaces this with its own policy module.
 */
import { createBackendModule, coreServices } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  hyperpodClusterReadPermission,
  hyperpodMigrationRunPermission,
  hyperpodUpgradeApprovePermission,
  hyperpodUpgradeRequestPermission,
} from '@hyperpod/core';
import {
  createHyperpodClusterConditionalDecision,
  hyperpodClusterConditions,
} from '@hyperpod/plugin-hyperpod-backend';

export class HyperpodDemoPolicy implements PermissionPolicy {
  constructor(private readonly approvers: readonly string[]) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const p = request.permission;
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isPermission(p, hyperpodClusterReadPermission)) return { result: AuthorizeResult.ALLOW };
    if (
      isPermission(p, hyperpodUpgradeRequestPermission) ||
      isPermission(p, hyperpodMigrationRunPermission)
    ) {
      return createHyperpodClusterConditionalDecision(
        p,
        hyperpodClusterConditions.isClusterOwner({ claims }),
      );
    }
    if (isPermission(p, hyperpodUpgradeApprovePermission)) {
      return {
        result: claims.some((c) => this.approvers.includes(c))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** `permission.hyperpodDemo.approvers` in app-config: entity refs whose members approve. */
export const hyperpodDemoPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'hyperpod-demo-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const approvers = config.getOptionalStringArray('permission.hyperpodDemo.approvers') ?? [
          'group:default/platform-approvers',
        ];
        policy.setPolicy(new HyperpodDemoPolicy(approvers));
      },
    });
  },
});
