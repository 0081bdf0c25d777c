/**
 * The TypeScript type each `kubectl hyperpod ... -o json|yaml` prints, by name: the source the
 * shipped JSON Schemas (cli/schemas) are generated from. An alias names the type a command's
 * `run()` returns and `print()` serialises as is, so the schema follows the code.
 */
import type {
  ClusterReport,
  MigrationOutcome,
  MigrationPlan,
  MigrationRunSummary,
  ResolveConflictsOutcome,
  ResolveConflictsPlan,
  UpgradeOutcome,
  UpgradePlan,
  UpgradeRequest,
} from '@hyperpod/core';
import type { KubeRule, RbacSubject } from '@hyperpod/core-node';
import type { AddonVersionsReport, RequestList, RbacResult } from 'kubectl-hyperpod/testing';

export type ClusterReports = ClusterReport[];
export type AddonVersionsReports = AddonVersionsReport[];
export type MigrationPlanDocument = MigrationPlan;
export type MigrationHistory = MigrationRunSummary[];
export type MigrationRollbackOutcome = MigrationOutcome;
export type UpgradePlanDocument = UpgradePlan;
export type UpgradeOutcomeDocument = UpgradeOutcome;
export type ResolveConflictsPlanDocument = ResolveConflictsPlan;
export type ResolveConflictsOutcomeDocument = ResolveConflictsOutcome;
export type UpgradeRequestList = RequestList;
export type UpgradeRequestDocument = UpgradeRequest;

/**
 * `rbac -o json`. The command types its items loosely (`Record<string, unknown>`); this is what
 * core-node's rbacObjects builds, and `RbacResultCheck` below keeps it assignable to the
 * command's own type.
 */
export interface RbacList {
  apiVersion: 'v1';
  kind: 'List';
  items: [RbacClusterRole, RbacClusterRoleBinding];
}

// Type aliases, not interfaces: only these are assignable to RbacResult's Record<string, unknown>.
type RbacMetadata = {
  name: string;
  labels: { 'app.kubernetes.io/managed-by': 'kubectl-hyperpod' };
};

type RbacClusterRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRole';
  metadata: RbacMetadata;
  rules: KubeRule[];
};

type RbacClusterRoleBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRoleBinding';
  metadata: RbacMetadata;
  roleRef: { apiGroup: 'rbac.authorization.k8s.io'; kind: 'ClusterRole'; name: string };
  subjects: RbacSubject[];
};

/** Fails to compile if RbacList stops being a RbacResult. */
export type RbacResultCheck = RbacList extends RbacResult ? true : never;
export const rbacResultCheck: RbacResultCheck = true;
