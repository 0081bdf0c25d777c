/**
 * The migration's validate step for permissions, the same for every face: reads discovery was
 * refused become the permissions they lacked, then every permission the plan's run and rollback
 * need is checked (checkPermissions). Each missing one is a blocker naming it and the shipped file
 * that grants it, so the run is refused before the first change. An AWS side that could not be
 * simulated is a warning in the plan.
 */
import type { MigrationDiscovery, MigrationPlan } from '@hyperpod/core';
import { checkPermissions, type PermissionCheck, type PermissionCheckDeps } from './checkPermissions';
import { migrationPermissions } from './migrationPermissions';
import { missingPermissionLine, missingPermissionOfError } from './missingPermission';

/** How planMigration words a refused access review of discovery. */
const DISCOVERY_REVIEW = 'Kubernetes RBAC: may not ';

export interface MigrationPreflight {
  plan: MigrationPlan;
  /** Undefined when discovery was refused too much to plan (no check was made). */
  check?: PermissionCheck;
}

export async function preflightMigration(
  plan: MigrationPlan,
  discovery: Pick<MigrationDiscovery, 'failedReads' | 'release'>,
  deps: PermissionCheckDeps,
  opts: { leaseNamespace?: string } = {},
): Promise<MigrationPreflight> {
  // A cluster or service that did not answer: its blockers say so, asking it more would not help.
  if (!onlyRefusedReads(discovery)) return { plan };
  const lines: string[] = [];
  const refusedReads = new Set<string>();
  for (const e of discovery.failedReads ?? []) {
    const m = missingPermissionOfError(e, { forSet: 'migrate' });
    if (!m) continue;
    refusedReads.add(e.step);
    lines.push(`${e.step}: ${missingPermissionLine(m)}`);
  }
  const required = migrationPermissions(plan, {
    ...opts,
    releaseObjects: discovery.release?.objects.map((o) => o.ref) ?? [],
  });
  const check = await checkPermissions(required, deps, {
    forSet: 'migrate',
    // Discovery read the cluster (there is no plan otherwise): the simulation must agree it may.
    observedAllowed: [{ kind: 'aws', action: 'eks:DescribeCluster', resource: plan.cluster.arn }],
  });
  for (const m of check.missing) lines.push(missingPermissionLine(m));
  // This check supersedes discovery's coarser access reviews (delete and update on every object
  // of the release, whether the plan deletes it or not): it asks for exactly what the run and its
  // rollback do, and names the file that grants each.
  const blockers = [
    ...plan.blockers.filter(
      (b) =>
        !b.startsWith(DISCOVERY_REVIEW) &&
        ![...refusedReads].some((step) => b.startsWith(`could not read ${step}:`)),
    ),
    ...new Set(lines),
  ];
  const warnings = check.aws.checked
    ? plan.warnings
    : [...plan.warnings, `AWS permissions were not simulated: ${check.aws.why}`];
  return { plan: { ...plan, blockers, warnings }, check };
}

/** Whether every failed read of discovery was a refusal (a permission blocker, not an outage). */
export function onlyRefusedReads(discovery: Pick<MigrationDiscovery, 'failedReads'>): boolean {
  return (discovery.failedReads ?? []).every((e) => e.kind === 'AccessDenied');
}
