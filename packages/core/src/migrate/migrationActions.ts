/**
 * The actions a migration plan is made of, built one way for the target add-on and its
 * dependencies alike: create an add-on, wait for it, delete a Helm object.
 */
import type { KubeRef } from '../ports/KubeGateway';
import { KEPT_KINDS } from './discoverReleaseObjects';
import { roleNameOf } from './helmValueNames';
import { describeRef, refKey } from './manifest';
import type { MigrationAction, MigrationStep } from './MigrationPlan';

/** Kinds a migration never deletes (KEPT_KINDS says why). */
export const NEVER_DELETE: ReadonlySet<string> = new Set(Object.keys(KEPT_KINDS));

export function createAddonAction(
  addonName: string,
  addonVersion: string,
  configuration: Record<string, unknown> | undefined,
  serviceAccountRoleArn: string | undefined,
  idBase = `dep-${addonName}`,
): MigrationAction {
  return {
    id: `${idBase}-create`,
    kind: 'eks.createAddon',
    addonName,
    addonVersion,
    ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
    ...(serviceAccountRoleArn ? { serviceAccountRoleArn } : {}),
    resolveConflicts: 'OVERWRITE',
    summary: `create add-on ${addonName} ${addonVersion}${serviceAccountRoleArn ? ` with role ${roleNameOf(serviceAccountRoleArn)}` : ''}`,
    inverse:
      'delete the add-on (keeping what existed before it), remove the objects it made, restore the ones it took over',
  };
}

export function waitAction(addonName: string, idBase = `dep-${addonName}`): MigrationAction {
  return {
    id: `${idBase}-wait`,
    kind: 'eks.waitActive',
    addonName,
    summary: `wait until ${addonName} is ACTIVE`,
    inverse: 'nothing to undo',
  };
}

export function deleteAction(ref: KubeRef, adoptable: boolean): MigrationAction {
  return {
    id: `delete-${refKey(ref).replace(/[^a-zA-Z0-9.-]+/g, '-')}`,
    kind: 'kube.delete',
    ref,
    ...(adoptable ? { unlessAdoptedBy: 'eks' as const } : {}),
    summary: `delete ${describeRef(ref)}${adoptable ? ' unless the add-on took it over' : ''}`,
    inverse: 'restore it from the backup exactly as it was',
  };
}

/** Action ids unique across the plan (dependency deletes may name the same kind twice). */
export function renumberActions(steps: MigrationStep[]): MigrationStep[] {
  const seen = new Map<string, number>();
  for (const s of steps)
    for (const a of s.actions) {
      const n = seen.get(a.id) ?? 0;
      seen.set(a.id, n + 1);
      if (n > 0) a.id = `${a.id}-${n + 1}`;
    }
  return steps;
}
