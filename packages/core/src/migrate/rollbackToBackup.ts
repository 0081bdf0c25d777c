/**
 * Rollback converges the cluster to the backup, whatever point the run reached: created add-ons
 * deleted (their objects removed, the objects they took over restored), objects restored exactly as
 * saved (replicas included), created roles deleted, tags put back to their previous sets. Each
 * action's undo sits with its perform (./actions); this is their order. A step that fails is
 * recorded and the rest still run: the result lists what is left to do by hand.
 */
import type { KubeObject } from '../ports/KubeGateway';
import type { MigrationJournalEntry } from '../ports/MigrationStore';
import * as eksCreateAddon from './actions/eksCreateAddon';
import * as iamCreateRole from './actions/iamCreateRole';
import { managedBy } from './actions/kubeDelete';
import { restoreObject } from './actions/restoreObject';
import * as tag from './actions/tag';
import { describeRef, isClusterScoped, refKey, refOf } from './manifest';
import { INVENTORY_KINDS, type MigrationBackup } from './MigrationBackup';
import { planActions } from './MigrationPlan';
import type { MigrationRun } from './MigrationRun';

const EKS_MANAGER = 'eks';

/** Rolls the actions the journal shows started back to `backup`; returns what it could not. */
export async function rollbackToBackup(
  run: MigrationRun,
  backup: MigrationBackup,
  journal: MigrationJournalEntry[],
): Promise<string[]> {
  const { kube } = run.deps;
  const errors: string[] = [];
  const touched = new Set(
    journal.filter((e) => e.type === 'action-started').map((e) => e.actionId),
  );
  const actions = planActions(run.plan)
    .map((x) => x.action)
    .filter((a) => touched.has(a.id));
  await run.journal({ type: 'rollback-started', actor: run.deps.actor }).catch(() => undefined);
  run.emit('rollback-started', `rolling back ${actions.length} action(s) from the backup`);
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      // Fenced like the run: a rollback whose lease was lost leaves the rest to the new holder.
      await run.lock?.assertHeld();
      await fn();
      run.emit('rollback-progress', what);
    } catch (e) {
      errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // 1. Add-ons the run created: deleted, keeping their objects for step 2 to sort out (never
  // deleting CRDs that existed before, and with them users' resources).
  for (const a of [...actions].reverse()) {
    if (a.kind !== 'eks.createAddon' || backup.addons[a.addonName]) continue;
    await attempt(`delete add-on ${a.addonName}`, () => eksCreateAddon.undo(run, a.addonName));
  }

  // 2. Objects as they were, then what the run made that was not there before: objects the
  // add-ons applied (EKS's field manager) and the ReplicaSets their pod templates rolled out.
  const ordered = [...backup.objects].sort((x, y) => rank(x) - rank(y));
  for (const saved of ordered)
    await attempt(`restore ${describeRef(refOf(saved))}`, () => restoreObject(run, saved));
  const created: KubeObject[] = [];
  await attempt('list objects the run created', async () => {
    const before = new Set(backup.inventory);
    const saved = new Set(backup.objects.map((o) => refKey(refOf(o))));
    for (const k of INVENTORY_KINDS) {
      const items = await run.call(`list ${k.kind}`, () => kube.list(k.apiVersion, k.kind));
      for (const o of items) {
        const key = refKey(refOf(o));
        if (before.has(key) || saved.has(key)) continue;
        if (managedBy(o, EKS_MANAGER) || rolledOutBy(o, before, saved)) created.push(o);
      }
    }
  });
  // Namespaced first, namespaces last.
  created.sort((x, y) => rank(y) - rank(x));
  for (const o of created)
    await attempt(`delete ${describeRef(refOf(o))}`, async () => {
      await run.call(`delete ${describeRef(refOf(o))}`, () => kube.delete(refOf(o)));
    });

  // 3. Roles the run created.
  for (const a of actions) {
    if (a.kind !== 'iam.createRole' || backup.roles[a.roleName]) continue;
    await attempt(`delete role ${a.roleName}`, () => iamCreateRole.undo(run, a));
  }

  // 4. Tags, back to their previous sets.
  for (const a of actions) {
    if (a.kind !== 'tag') continue;
    const previous = backup.tags[a.id] ?? a.before;
    await attempt(
      `restore tags of ${a.target.type} ${'arn' in a.target ? a.target.arn : `${a.target.bucket}/${a.target.key}`}`,
      () => tag.undo(run, a, previous),
    );
  }

  await run
    .journal(
      errors.length
        ? { type: 'rollback-failed', message: errors.join('; ') }
        : { type: 'rollback-done' },
    )
    .catch(() => undefined);
  run.emit(
    errors.length ? 'rollback-failed' : 'rollback-done',
    errors.length ? errors.join('; ') : 'rolled back to the backup',
  );
  return errors;
}

/** Cluster-scoped definitions first (namespaces, CRDs), then the rest. */
function rank(o: KubeObject): number {
  if (o.kind === 'Namespace') return 0;
  if (o.kind === 'CustomResourceDefinition') return 1;
  return isClusterScoped(o.kind) ? 2 : 3;
}

/** A ReplicaSet a Deployment that existed before the run rolled out during it. */
function rolledOutBy(o: KubeObject, before: Set<string>, saved: Set<string>): boolean {
  if (o.kind !== 'ReplicaSet') return false;
  const owners = (o.metadata['ownerReferences'] ?? []) as {
    kind?: string;
    name?: string;
    controller?: boolean;
  }[];
  return owners.some((r) => {
    if (r.kind !== 'Deployment' || !r.controller || !r.name) return false;
    const key = refKey({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: o.metadata.namespace,
      name: r.name,
    });
    return before.has(key) || saved.has(key);
  });
}
