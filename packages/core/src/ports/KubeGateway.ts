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
}

export interface KubeVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface KubeGateway {
  /** Context or cluster this gateway talks to, for messages. */
  readonly name: string;
  version(): Promise<KubeVersion>;
  /** Undefined when it does not exist (or the kind is not served). */
  get(ref: KubeRef): Promise<KubeObject | undefined>;
  /** Every object of a kind; an unserved kind (CRD not installed) lists as empty. */
  list(apiVersion: string, kind: string, opts?: KubeListOptions): Promise<KubeObject[]>;
}
