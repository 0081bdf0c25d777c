/**
 * Strips what the server assigns on every write (uid, resourceVersion, creationTimestamp,
 * generation, managedFields timestamps), so tests can assert that a state was "restored exactly".
 */
import type { KubeObject } from './types';

export function normalizeForCompare(obj: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
  const m = copy.metadata;
  delete m.uid;
  delete m.resourceVersion;
  delete m.creationTimestamp;
  delete m.generation;
  delete m.selfLink;
  // Owners are re-created on restore, so their uids differ.
  if (Array.isArray(m.ownerReferences))
    m.ownerReferences = (m.ownerReferences as Record<string, unknown>[]).map(
      ({ uid: _uid, ...rest }) => rest,
    );
  if (m.managedFields) m.managedFields = m.managedFields.map(({ time: _time, ...rest }) => rest);
  if (copy.status && typeof copy.status === 'object') {
    const s = copy.status as Record<string, unknown>;
    delete s.observedGeneration;
    if (Array.isArray(s.conditions)) {
      s.conditions = (s.conditions as Record<string, unknown>[]).map(
        ({
          lastTransitionTime: _a,
          lastUpdateTime: _b,
          lastHeartbeatTime: _c,
          lastProbeTime: _d,
          ...rest
        }) => rest,
      );
    }
  }
  return copy;
}
