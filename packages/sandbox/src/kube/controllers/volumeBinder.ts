/**
 * The persistent volume controller's binding, for statically provisioned volumes: a claim binds the
 * volume its `spec.volumeName` names (or whose `spec.claimRef` names it), otherwise the smallest
 * Available volume of its storage class that is large enough and offers its access modes. Both
 * sides become Bound with the annotations and claimRef the controller writes; a volume whose claim
 * is deleted is Released (what Retain, the default for static volumes, does), a claim whose volume
 * is deleted is Lost. Dynamic provisioning (a StorageClass with a provisioner) is not modelled:
 * such claims stay Pending.
 */
import { isPlainObject } from '../managedFields';
import type { KubeObject } from '../types';
import { CONTROLLER_MANAGER, minor, type ControllerHost } from './ControllerHost';

interface ClaimRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}
interface PvSpec {
  capacity?: { storage?: string };
  accessModes?: string[];
  storageClassName?: string;
  claimRef?: ClaimRef;
  persistentVolumeReclaimPolicy?: string;
  volumeMode?: string;
}
interface PvcSpec {
  accessModes?: string[];
  storageClassName?: string | null;
  volumeName?: string;
  resources?: { requests?: { storage?: string } };
  volumeMode?: string;
}

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  m: 1e-3,
};

/** A resource.Quantity in bytes (or units); NaN when it does not parse. */
export function quantity(q: unknown): number {
  if (typeof q === 'number') return q;
  const m = typeof q === 'string' ? q.trim().match(/^([0-9.]+)(e[0-9]+)?([a-zA-Z]*)$/) : null;
  if (!m || SUFFIX[m[3]!] === undefined) return NaN;
  return Number(m[1]! + (m[2] ?? '')) * SUFFIX[m[3]!]!;
}

/** What apiserver defaults on volumes and claims (their registry strategies and defaulters). */
export function defaultVolume(o: KubeObject): void {
  const spec = (isPlainObject(o.spec) ? o.spec : (o.spec = {})) as PvSpec;
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (o.status === undefined) o.status = { phase: 'Pending' };
}

export function defaultClaim(o: KubeObject): void {
  const spec = (isPlainObject(o.spec) ? o.spec : (o.spec = {})) as PvcSpec;
  spec.volumeMode ??= 'Filesystem';
  if (o.status === undefined) o.status = { phase: 'Pending' };
}

const className = (c: string | null | undefined) => c ?? '';
const phase = (o: KubeObject) => (o.status as { phase?: string } | undefined)?.phase;

function fits(pv: KubeObject, pvc: KubeObject): boolean {
  const v = (pv.spec ?? {}) as PvSpec;
  const c = (pvc.spec ?? {}) as PvcSpec;
  if (className(v.storageClassName) !== className(c.storageClassName)) return false;
  const want = quantity(c.resources?.requests?.storage ?? '0');
  const have = quantity(v.capacity?.storage ?? '0');
  if (!(have >= want)) return false;
  if ((v.volumeMode ?? 'Filesystem') !== (c.volumeMode ?? 'Filesystem')) return false;
  return (c.accessModes ?? []).every((m) => (v.accessModes ?? []).includes(m));
}

function claimedBy(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = (pv.spec as PvSpec | undefined)?.claimRef;
  return (
    !!ref &&
    ref.namespace === pvc.metadata.namespace &&
    ref.name === pvc.metadata.name &&
    (!ref.uid || ref.uid === pvc.metadata.uid)
  );
}

/** One pass of the binder over every volume and claim (both lists are small). */
export function syncVolumes(host: ControllerHost, time: string): void {
  const pvs = host.objects('', 'persistentvolumes');
  const pvcs = host.objects('', 'persistentvolumeclaims');
  const claimUids = new Set(pvcs.map((c) => c.metadata.uid));
  const write = (plural: string, o: KubeObject, sub?: 'status') =>
    host.write('', plural, o, CONTROLLER_MANAGER, sub);
  const setPhase = (
    o: KubeObject,
    plural: string,
    p: string,
    extra: Record<string, unknown> = {},
  ) => {
    const status: Record<string, unknown> = { ...extra, phase: p };
    // PersistentVolume.status.lastPhaseTransitionTime is GA from 1.31 (beta, on, since 1.29).
    if (plural === 'persistentvolumes' && minor(host.version) >= 29)
      status.lastPhaseTransitionTime = time;
    o.status = status;
    write(plural, o, 'status');
  };

  for (const pvc of pvcs) {
    if (pvc.metadata.deletionTimestamp) continue;
    const c = (pvc.spec ?? {}) as PvcSpec;
    if (phase(pvc) === 'Bound') {
      const pv = pvs.find((v) => v.metadata.name === c.volumeName);
      if (!pv) setPhase(pvc, 'persistentvolumeclaims', 'Lost');
      continue;
    }
    if (phase(pvc) === 'Lost') continue;
    let pv: KubeObject | undefined;
    if (c.volumeName) {
      pv = pvs.find((v) => v.metadata.name === c.volumeName);
      const ref = (pv?.spec as PvSpec | undefined)?.claimRef;
      if (pv && ref && !claimedBy(pv, pvc)) pv = undefined;
    } else {
      pv =
        pvs.find((v) => claimedBy(v, pvc)) ??
        pvs
          .filter((v) => !(v.spec as PvSpec | undefined)?.claimRef && phase(v) !== 'Released')
          .filter((v) => fits(v, pvc))
          .sort(
            (a, b) =>
              quantity((a.spec as PvSpec).capacity?.storage) -
              quantity((b.spec as PvSpec).capacity?.storage),
          )[0];
    }
    if (!pv || !fits(pv, pvc)) continue;
    const v = (pv.spec ?? {}) as PvSpec;
    const preBoundVolume = !!v.claimRef;
    v.claimRef = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      name: pvc.metadata.name,
      namespace: pvc.metadata.namespace,
      resourceVersion: pvc.metadata.resourceVersion,
      uid: pvc.metadata.uid,
    };
    if (!preBoundVolume)
      pv.metadata.annotations = {
        ...(pv.metadata.annotations ?? {}),
        'pv.kubernetes.io/bound-by-controller': 'yes',
      };
    write('persistentvolumes', pv);
    setPhase(pv, 'persistentvolumes', 'Bound');
    pvc.metadata.annotations = {
      ...(pvc.metadata.annotations ?? {}),
      'pv.kubernetes.io/bind-completed': 'yes',
      ...(c.volumeName ? {} : { 'pv.kubernetes.io/bound-by-controller': 'yes' }),
    };
    c.volumeName = pv.metadata.name;
    write('persistentvolumeclaims', pvc);
    setPhase(pvc, 'persistentvolumeclaims', 'Bound', {
      accessModes: v.accessModes,
      capacity: v.capacity,
    });
  }

  for (const pv of host.objects('', 'persistentvolumes')) {
    const ref = (pv.spec as PvSpec | undefined)?.claimRef;
    const p = phase(pv);
    if (ref?.uid) {
      if (!claimUids.has(ref.uid) && p !== 'Released' && p !== 'Failed')
        setPhase(pv, 'persistentvolumes', 'Released');
    } else if (p !== 'Available') {
      setPhase(pv, 'persistentvolumes', 'Available');
    }
  }
}
