/**
 * What the sandbox's controllers (persistent volume binder, Job, APIService availability,
 * DaemonSet scheduling) may do to the store: read objects of a type and write an object back as
 * kube-controller-manager does, through an Update recorded in managedFields, with a new
 * resourceVersion and a MODIFIED event. Their writes do not run the controllers again.
 */
import type { KubeObject } from '../types';

export interface ControllerHost {
  /** Kubernetes minor version, e.g. `1.31`. */
  readonly version: string;
  /** Copies of the stored objects of a type (`group` '' for core), in key order. */
  objects(group: string, plural: string): KubeObject[];
  /**
   * Stores `next` (a changed copy of a stored object) as written by `manager`; `status` writes go
   * through the status subresource. A write that changes nothing is skipped.
   */
  write(
    group: string,
    plural: string,
    next: KubeObject,
    manager: string,
    subresource?: 'status',
  ): void;
}

/** The manager name kube-controller-manager's controllers write with. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

/** Kubernetes minor of `version` (`1.31` → 31). */
export function minor(version: string): number {
  return Number(version.split('.')[1] ?? 0);
}
