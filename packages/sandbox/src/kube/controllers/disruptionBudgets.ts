/**
 * The disruption controller's status for PodDisruptionBudgets, counting the pods the sandbox's
 * workloads report as running (ReplicaSets, StatefulSets, DaemonSets whose pod template the
 * budget selects; every one of them healthy, as the workloads' own status says), so helm v4's
 * readiness check (currentHealthy ≥ desiredHealthy) means what it means on a real cluster.
 */
import type { KubeObject } from '../types';
import { CONTROLLER_MANAGER, type ControllerHost } from './ControllerHost';
import { matches, type Requirement } from './nodes';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}

function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  // A nil selector selects nothing in policy/v1; an empty one selects every pod.
  if (!sel) return false;
  return (
    Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (sel.matchExpressions ?? []).every((r) => matches(r, labels[r.key]))
  );
}

/** An IntOrString budget against `n` pods (percentages round up, as intstr does with roundUp). */
function scaled(v: unknown, n: number): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? v.match(/^(\d+)%$/) : null;
  return m ? Math.ceil((Number(m[1]) * n) / 100) : 0;
}

type Rec = Record<string, unknown>;
const templateLabels = (o: KubeObject, path: string[]) =>
  (path.reduce<unknown>((v, k) => (v as Rec | undefined)?.[k], o) ?? {}) as Record<string, string>;

function runningPods(
  host: ControllerHost,
  namespace: string | undefined,
  sel: Selector | undefined,
): number {
  const labelsPath = ['spec', 'template', 'metadata', 'labels'];
  let n = 0;
  const count = (group: string, plural: string, field: string) => {
    for (const o of host.objects(group, plural)) {
      if (o.metadata.namespace !== namespace || !selects(sel, templateLabels(o, labelsPath)))
        continue;
      const v = (o.status as Rec | undefined)?.[field];
      n += typeof v === 'number' ? v : 0;
    }
  };
  count('apps', 'replicasets', 'readyReplicas');
  count('apps', 'statefulsets', 'readyReplicas');
  count('apps', 'daemonsets', 'numberReady');
  return n;
}

export function syncDisruptionBudgets(host: ControllerHost, time: string): void {
  for (const pdb of host.objects('policy', 'poddisruptionbudgets')) {
    const spec = (pdb.spec ?? {}) as {
      minAvailable?: unknown;
      maxUnavailable?: unknown;
      selector?: Selector;
    };
    const expected = runningPods(host, pdb.metadata.namespace, spec.selector);
    const healthy = expected;
    const desired =
      spec.maxUnavailable !== undefined
        ? Math.max(0, expected - scaled(spec.maxUnavailable, expected))
        : scaled(spec.minAvailable ?? 1, expected);
    const allowed = Math.max(0, healthy - desired);
    const previous = (pdb.status as { conditions?: Rec[] } | undefined)?.conditions?.[0];
    const state = allowed > 0 ? 'True' : 'False';
    pdb.status = {
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: state,
          reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: pdb.metadata.generation,
          lastTransitionTime:
            previous?.status === state ? (previous.lastTransitionTime ?? time) : time,
        },
      ],
      currentHealthy: healthy,
      desiredHealthy: desired,
      disruptionsAllowed: allowed,
      expectedPods: expected,
      observedGeneration: pdb.metadata.generation,
    };
    host.write('policy', 'poddisruptionbudgets', pdb, CONTROLLER_MANAGER, 'status');
  }
}
