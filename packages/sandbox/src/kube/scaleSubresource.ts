/**
 * The scale subresource (`autoscaling/v1` Scale) of workloads and of custom resources that
 * declare one: where an object keeps its replicas, its selector, and what a written Scale asks.
 */
import { KubeStatusError } from './KubeStatusError';
import type { ResourceType } from './ResourceTypes';
import { isPlainObject } from './managedFields';
import type { KubeObject } from './types';

function scalePaths(rt: ResourceType): { spec: string[]; status: string[]; selector?: string[] } {
  const split = (p: string) => p.replace(/^\./, '').split('.');
  if (rt.scale)
    return {
      spec: split(rt.scale.specReplicasPath),
      status: split(rt.scale.statusReplicasPath),
      selector: rt.scale.labelSelectorPath ? split(rt.scale.labelSelectorPath) : undefined,
    };
  return { spec: ['spec', 'replicas'], status: ['status', 'replicas'] };
}

/** The Scale of `o`, an object of type `rt`. */
export function scaleOf(rt: ResourceType, o: KubeObject): KubeObject {
  const p = scalePaths(rt);
  const at = (path: string[]) =>
    path.reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), o);
  const status: Record<string, unknown> = { replicas: at(p.status) ?? 0 };
  const spec = o.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined;
  if (p.selector) {
    const sel = at(p.selector);
    if (typeof sel === 'string') status.selector = sel;
  } else if (spec?.selector?.matchLabels) {
    status.selector = Object.entries(spec.selector.matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: at(p.spec) ?? 0 },
    status,
  };
}

/** What a written Scale for the object `name` asks: its replicas, and the resourceVersion it names. */
export function parseScale(
  name: string,
  scale: unknown,
): { replicas: number; resourceVersion?: string } {
  if (!isPlainObject(scale) || !isPlainObject(scale.spec))
    throw KubeStatusError.badRequest('the object provided is unrecognized (must be of type Scale)');
  const replicas = scale.spec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw KubeStatusError.invalid('Scale', 'autoscaling', name, [
      {
        field: 'spec.replicas',
        type: 'Invalid value',
        detail: 'must be greater than or equal to 0',
        value: replicas,
      },
    ]);
  }
  const meta = isPlainObject(scale.metadata) ? scale.metadata : {};
  return typeof meta.resourceVersion === 'string' && meta.resourceVersion
    ? { replicas, resourceVersion: meta.resourceVersion }
    : { replicas };
}

/** Sets the replicas of `o` (an object of type `rt`) where its Scale reads them. */
export function setReplicas(rt: ResourceType, o: KubeObject, replicas: number): void {
  const path = scalePaths(rt).spec;
  let node = o as Record<string, unknown>;
  for (const k of path.slice(0, -1)) {
    if (!isPlainObject(node[k])) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = replicas;
}
