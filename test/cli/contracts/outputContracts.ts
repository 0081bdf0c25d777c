/**
 * Every `-o json|yaml` output of `kubectl hyperpod`: which commands print it, the type it is
 * generated from (outputTypes.ts) and its schema file under cli/schemas, shipped in the package.
 */
import path from 'node:path';
import { ROOT } from '../support/runCli';

export interface OutputContract {
  /** cli/schemas/<file>.schema.json */
  file: string;
  /** The exported type of outputTypes.ts. */
  type: string;
  /** The commands (oclif ids, topics with `:`) that print it, and when. */
  commands: { id: string; when?: string }[];
  title: string;
}

export const SCHEMA_DIR = path.join(ROOT, 'cli', 'schemas');
export const schemaPath = (file: string): string => path.join(SCHEMA_DIR, `${file}.schema.json`);

export const OUTPUT_CONTRACTS: readonly OutputContract[] = [
  {
    file: 'cluster-reports',
    type: 'ClusterReports',
    commands: [{ id: 'status' }, { id: 'drift' }],
    title: 'kubectl hyperpod status|drift -o json|yaml: one ClusterReport per cluster',
  },
  {
    file: 'addon-versions',
    type: 'AddonVersionsReports',
    commands: [{ id: 'addons:versions' }],
    title: 'kubectl hyperpod addons versions -o json|yaml: one AddonVersionsReport per cluster',
  },
  {
    file: 'migration-plan',
    type: 'MigrationPlanDocument',
    commands: [
      { id: 'migrate:plan' },
      { id: 'migrate', when: 'the plan, with or without --dry-run' },
    ],
    title: 'kubectl hyperpod migrate [plan] -o json|yaml: the MigrationPlan (secrets redacted)',
  },
  {
    file: 'migration-history',
    type: 'MigrationHistory',
    commands: [{ id: 'migrate:history' }],
    title: 'kubectl hyperpod migrate history -o json|yaml: the stored runs, newest first',
  },
  {
    file: 'migration-outcome',
    type: 'MigrationRollbackOutcome',
    commands: [{ id: 'migrate:rollback', when: 'nothing when the run was already rolled back' }],
    title: 'kubectl hyperpod migrate rollback -o json|yaml: how the rollback ended',
  },
  {
    file: 'upgrade-plan',
    type: 'UpgradePlanDocument',
    commands: [{ id: 'upgrade', when: '--dry-run' }],
    title: 'kubectl hyperpod upgrade --dry-run -o json|yaml: the UpgradePlan',
  },
  {
    file: 'upgrade-outcome',
    type: 'UpgradeOutcomeDocument',
    commands: [{ id: 'upgrade', when: 'without --dry-run' }],
    title: 'kubectl hyperpod upgrade -o json|yaml: the UpgradeOutcome (secrets redacted)',
  },
  {
    file: 'resolve-conflicts-plan',
    type: 'ResolveConflictsPlanDocument',
    commands: [{ id: 'resolve-conflicts', when: '--dry-run' }],
    title: 'kubectl hyperpod resolve-conflicts --dry-run -o json|yaml: the ResolveConflictsPlan',
  },
  {
    file: 'resolve-conflicts-outcome',
    type: 'ResolveConflictsOutcomeDocument',
    commands: [{ id: 'resolve-conflicts', when: 'without --dry-run' }],
    title: 'kubectl hyperpod resolve-conflicts -o json|yaml: the ResolveConflictsOutcome',
  },
  {
    file: 'request-list',
    type: 'UpgradeRequestList',
    commands: [{ id: 'requests' }, { id: 'requests:list' }],
    title: "kubectl hyperpod requests [list] -o json|yaml: the portal API's answer, { items }",
  },
  {
    file: 'request',
    type: 'UpgradeRequestDocument',
    commands: [
      { id: 'requests:get' },
      { id: 'requests:create' },
      { id: 'requests:approve' },
      { id: 'requests:reject' },
      { id: 'requests:cancel' },
    ],
    title:
      "kubectl hyperpod requests get|create|approve|reject|cancel -o json|yaml: the portal API's UpgradeRequest",
  },
  {
    file: 'rbac',
    type: 'RbacList',
    commands: [{ id: 'rbac', when: '-o yaml prints the items as YAML documents' }],
    title: 'kubectl hyperpod rbac -o json: a v1 List of the ClusterRole and its ClusterRoleBinding',
  },
];
