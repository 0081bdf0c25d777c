/** The ReplicaSets a Deployment owns, as the deployment controller keeps them. */
import { createHash, randomUUID } from 'node:crypto';
import type { ObjectStore } from '../ObjectStore';
import type { ResourceType } from '../ResourceTypes';
import { clone } from '../managedFields';
import { now } from '../now';
import type { KubeObject } from '../types';

/**
 * The deployment controller's visible effect: one ReplicaSet per pod template, owned by the
 * Deployment, the current one at spec.replicas (all ready), older ones at 0. helm --wait and
 * `kubectl rollout` look for it.
 */
export function syncReplicaSets(store: ObjectStore, rsType: ResourceType, dep: KubeObject): void {
  const spec = (dep.spec ?? {}) as {
    replicas?: number;
    template?: { metadata?: { labels?: Record<string, string> } } & Record<string, unknown>;
    selector?: { matchLabels?: Record<string, string> };
  };
  const hash = podTemplateHash(spec.template);
  const name = `${dep.metadata.name}-${hash}`;
  const replicas = spec.replicas ?? 1;
  const owned = store
    .objects(rsType)
    .filter(
      (rs) =>
        rs.metadata.namespace === dep.metadata.namespace &&
        (rs.metadata.ownerReferences as { uid?: string }[] | undefined)?.some(
          (r) => r.uid === dep.metadata.uid,
        ),
    );
  for (const rs of owned) {
    if (rs.metadata.name === name) continue;
    const s = rs.spec as { replicas?: number };
    if (s.replicas === 0) continue;
    s.replicas = 0;
    rs.status = { replicas: 0, observedGeneration: (rs.metadata.generation ?? 1) + 1 };
    rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
    store.put(rsType, rs, 'MODIFIED');
  }
  const existing = store.get(rsType, dep.metadata.namespace, name);
  const labels = { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash };
  const status: Record<string, unknown> = {
    replicas,
    fullyLabeledReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    observedGeneration: 1,
  };
  if (replicas === 0)
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
      delete status[k];
  if (existing) {
    const s = existing.spec as { replicas?: number };
    if (s.replicas === replicas) return;
    s.replicas = replicas;
    existing.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    existing.status = { ...status, observedGeneration: existing.metadata.generation };
    store.put(rsType, existing, 'MODIFIED');
    return;
  }
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: dep.metadata.namespace,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + 1),
        'deployment.kubernetes.io/revision': String(owned.length + 1),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: dep.metadata.name,
          uid: dep.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      uid: randomUUID(),
      creationTimestamp: now(),
      generation: 1,
    },
    spec: {
      replicas,
      selector: {
        matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
      },
      template: {
        ...clone(spec.template ?? {}),
        metadata: { ...(clone(spec.template?.metadata) ?? {}), labels },
      },
    },
    status,
  };
  store.put(rsType, rs, 'ADDED');
}

/** Deterministic stand-in for the ReplicaSet pod-template-hash. */
export function podTemplateHash(template: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest('hex')
    .slice(0, 10);
}
