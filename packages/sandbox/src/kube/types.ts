/**
 * The programmatic face of one sandbox cluster's Kubernetes API: what the EKS emulator (add-on
 * workloads applied with field manager `eks`), scenario seeding and snapshots use. The HTTP API
 * server serves the same store to kubectl, helm and @kubernetes/client-node.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: unknown[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One field another manager owns, found while applying. */
export interface ApplyConflict {
  manager: string;
  /** Field path in kubectl's notation, e.g. `.spec.replicas`, `.spec.template.spec.containers[name="manager"].image`. */
  field: string;
}

/** Server-side apply refused because fields are owned by other managers (HTTP 409 on the wire). */
export class ApplyConflictError extends Error {
  constructor(
    readonly object: ObjectRef,
    readonly conflicts: ApplyConflict[],
  ) {
    super(
      `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ` +
        conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join('; '),
    );
    this.name = 'ApplyConflictError';
  }
}

export interface KubeClusterApi {
  /** The EKS cluster name this API server belongs to. */
  readonly name: string;
  get(ref: ObjectRef): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): KubeObject[];
  /** Creates an object (fails if it exists), recording `fieldManager` with operation Update. */
  create(obj: KubeObject, fieldManager?: string): KubeObject;
  /** Server-side apply. With `force`, conflicting fields are taken over; without, throws ApplyConflictError. */
  apply(obj: KubeObject, opts: { fieldManager: string; force: boolean }): KubeObject;
  /** Deletes an object; returns false if it did not exist. */
  delete(ref: ObjectRef): boolean;
  /** Every stored object, for snapshots (cluster-scoped and namespaced, all kinds). */
  all(): KubeObject[];
}
