/**
 * An add-on's workloads server-side applied to its cluster as field manager `eks`, with the
 * conflict rules of resolveConflicts, pruning what the previous version applied and this one no
 * longer has.
 */
import type { AddonSpec } from '../../catalog/AddonSpec';
import type { KubeClusterApi, KubeObject, ObjectRef } from '../../kube/types';
import type { AddonIssue, AddonState, ClusterState, ResolveConflicts } from './ClusterState';

/**
 * Server-side applies the add-on's objects as field manager `eks`. OVERWRITE forces; NONE stops
 * at objects whose fields other managers own (reported as a ConfigurationConflict issue);
 * PRESERVE leaves such objects as they are.
 */
export function applyWorkloads(
  kube: KubeClusterApi | undefined,
  c: ClusterState,
  addon: AddonState,
  spec: AddonSpec,
  config: Record<string, unknown>,
  resolve: ResolveConflicts,
  unhealthy?: AddonIssue,
): { issues: AddonIssue[] } {
  if (!kube) return { issues: [] };
  let objects = spec.workloads({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
    addonVersion: addon.addonVersion,
    config,
    serviceAccountRoleArn: addon.serviceAccountRoleArn,
  });
  if (unhealthy?.code === 'InsufficientNumberOfReplicas')
    objects = objects.map(withoutReadyReplicas);
  const conflicts: string[] = [];
  const conflictIds: string[] = [];
  const failures: AddonIssue[] = [];
  const applied: ObjectRef[] = [];
  for (const obj of objects) {
    try {
      kube.apply(obj, { fieldManager: 'eks', force: resolve === 'OVERWRITE' });
      applied.push(refOf(obj));
    } catch (e) {
      const err = e as { name?: string; conflicts?: { field: string }[] };
      if (err?.name === 'ApplyConflictError' && Array.isArray(err.conflicts)) {
        if (resolve === 'PRESERVE') {
          applied.push(refOf(obj));
          continue;
        }
        for (const k of err.conflicts)
          conflicts.push(`${kindWithGroup(obj)} ${obj.metadata.name} - ${k.field}`);
        conflictIds.push(obj.metadata.name);
      } else {
        failures.push({
          code: 'InternalFailure',
          message: `Failed to apply ${kindWithGroup(obj)} ${obj.metadata.name}: ${(e as Error)?.message ?? String(e)}`,
          resourceIds: [obj.metadata.name],
        });
      }
    }
  }
  // Objects the previous version applied and this one no longer has are pruned.
  const stillWanted = new Set(objects.map((o) => refKey(refOf(o))));
  if (conflicts.length === 0 && failures.length === 0) {
    for (const ref of addon.applied) if (!stillWanted.has(refKey(ref))) kube.delete(ref);
  }
  const known = new Map<string, ObjectRef>();
  for (const r of [...(conflicts.length || failures.length ? addon.applied : []), ...applied])
    known.set(refKey(r), r);
  addon.applied = [...known.values()];
  const issues: AddonIssue[] = [...failures];
  if (conflicts.length) {
    issues.unshift({
      code: 'ConfigurationConflict',
      message: `Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\n${conflicts.join('\n')}`,
      resourceIds: [...new Set(conflictIds)],
    });
  }
  return { issues };
}

function refOf(o: KubeObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  };
}

function refKey(r: ObjectRef): string {
  return `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/** `Deployment.apps`, `ConfigMap`: kind plus API group, as EKS names objects in conflict messages. */
function kindWithGroup(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return group ? `${o.kind}.${group}` : o.kind;
}

function withoutReadyReplicas(o: KubeObject): KubeObject {
  if (o.kind !== 'Deployment') return o;
  const status = (o['status'] ?? {}) as Record<string, unknown>;
  return {
    ...o,
    status: {
      ...status,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: status['replicas'] ?? 1,
    },
  };
}
