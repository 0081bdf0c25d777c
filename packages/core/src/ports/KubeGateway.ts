/**
 * The Kubernetes API operations the product uses, on plain objects. One gateway speaks for one
 * cluster. Adapters: ClientNodeKubeGateway (core-node), InMemoryKubeGateway (tests).
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface KubeListOptions {
  /** Undefined = all namespaces (namespaced kinds) or cluster scope. */
  namespace?: string;
  labelSelector?: string;
  /**
   * Only the objects' metadata (names, labels...) is wanted: the objects come back with
   * `apiVersion`, `kind` and `metadata` alone. The server is asked for metadata only
   * (PartialObjectMetadataList, as kubectl and client-go's metadata client ask), which for kinds
   * with large objects is a fraction of the bytes: a CRD carries its whole OpenAPI schema, and a
   * cluster's CRD list runs to megabytes.
   */
  metadataOnly?: boolean;
}

export interface KubeVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

/** The field manager writes carry unless the caller names one, as kubectl's name does. */
export const DEFAULT_FIELD_MANAGER = 'kubectl-hyperpod';

/**
 * Metadata the API server owns: a create carrying resourceVersion is refused, the rest is ignored
 * in what a caller sends.
 */
export const SERVER_METADATA_FIELDS: readonly string[] = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'generation',
];

export interface KubeWriteOptions {
  /** Field manager recorded for this write. Default `kubectl-hyperpod`. */
  fieldManager?: string;
  /** `dryRun=All`: the server validates and answers, nothing is stored. */
  dryRun?: boolean;
}

export interface KubeDeleteOptions {
  dryRun?: boolean;
  /** Default `Background`, as kubectl. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

/** The attributes of a SelfSubjectAccessReview: may the caller do this? */
export interface KubeAccessQuery {
  verb: string;
  /** API group, '' for the core group. */
  group: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface KubeAccessAnswer {
  allowed: boolean;
  reason?: string;
}

export interface KubeGateway {
  /** Context or cluster this gateway talks to, for messages. */
  readonly name: string;
  version(): Promise<KubeVersion>;
  /** Undefined when it does not exist (or the kind is not served). */
  get(ref: KubeRef): Promise<KubeObject | undefined>;
  /** Every object of a kind; an unserved kind (CRD not installed) lists as empty. */
  list(apiVersion: string, kind: string, opts?: KubeListOptions): Promise<KubeObject[]>;
  /**
   * Creates the object (server-assigned fields such as uid and resourceVersion in `obj` are
   * ignored). Conflict (code `AlreadyExists`) when it exists.
   */
  create(obj: KubeObject, opts?: KubeWriteOptions): Promise<KubeObject>;
  /**
   * Replaces the object (PUT). With `metadata.resourceVersion` set, Conflict when the object
   * changed since; without it, the current version is replaced. NotFound when it does not exist.
   */
  replace(obj: KubeObject, opts?: KubeWriteOptions): Promise<KubeObject>;
  /** JSON merge patch (RFC 7386). NotFound when it does not exist. */
  patch(ref: KubeRef, patch: Record<string, unknown>, opts?: KubeWriteOptions): Promise<KubeObject>;
  /** True when it was deleted, false when it was not there. */
  delete(ref: KubeRef, opts?: KubeDeleteOptions): Promise<boolean>;
  /** SelfSubjectAccessReview. */
  canI(query: KubeAccessQuery): Promise<KubeAccessAnswer>;
}
