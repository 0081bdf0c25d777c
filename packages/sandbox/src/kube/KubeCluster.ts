/**
 * One cluster's object store with kube-apiserver's write semantics: uids, a cluster-wide
 * resourceVersion counter, optimistic concurrency, generation, managedFields for every write,
 * server-side apply with conflicts, namespace existence and cascading namespace deletion, CRDs
 * that make new resources servable, and a trivial controller that keeps workload status in step
 * with spec (every replica is ready at once), PUT following each type's strategy (create on
 * update, unconditional update). The HTTP server and programmatic callers share it; the server
 * also asks it what its user is denied.
 */
import { KubeStatusError } from './KubeStatusError';
import { ClusterWriter } from './ClusterWriter';
import { ObjectStore, asVersion, type StoreCopy, type WatchEvent } from './ObjectStore';
import { BUILTIN_TYPES, typesFromCrd, type ResourceType } from './ResourceTypes';
import { groupResource, type PatchType, type Target, type WriteOptions } from './Target';
import { parseFieldSelector, parseLabelSelector } from './labelSelector';
import { printManager } from './managedFields';
import { now } from './now';
import { scaleOf } from './scaleSubresource';
import {
  aggregatedGroupVersions,
  aggregatedTypes,
  type AggregatedGroupVersion,
} from './controllers/apiServices';
import { eksNodes, withHeartbeats } from './controllers/nodes';
import { runControllers } from './controllers/runControllers';
import { storeControllerHost } from './controllers/storeControllerHost';
import { ApplyConflictError, type KubeClusterApi, type KubeObject, type ObjectRef } from './types';
import {
  ClusterAuthorizer,
  type AccessAttributes,
  type AccessDenial,
} from './rbac/ClusterAuthorizer';
import type {
  Decision,
  RbacObject,
  RbacPolicy,
  RequestAttributes,
  UserInfo,
} from './rbac/rbacAuthorizer';
import type { KubeRbacUser } from './rbac/rbacUsers';

export type { AccessAttributes, AccessDenial, PatchType, Target, WatchEvent, WriteOptions };
export { groupResource, now, printManager };

export interface KubeClusterOptions {
  /** EKS cluster name. */
  name: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version: string;
  /** Nodes (Node objects of an EKS managed node group) DaemonSets are scheduled on (default 2). */
  nodes?: number;
  /** AWS region, for the nodes' names and topology labels (default us-east-1). */
  region?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Patch versions EKS ran for each minor, for `/version` (`v1.31.4-eks-…`). */
const PATCH_RELEASE: Record<string, number> = {
  '1.23': 17,
  '1.24': 17,
  '1.25': 16,
  '1.26': 15,
  '1.27': 16,
  '1.28': 15,
  '1.29': 12,
  '1.30': 8,
  '1.31': 4,
  '1.32': 0,
  '1.33': 1,
  '1.34': 1,
};

export class KubeCluster implements KubeClusterApi {
  readonly name: string;
  readonly version: string;
  readonly nodes: number;
  readonly gitVersion: string;
  private readonly store = new ObjectStore();
  private readonly writer: ClusterWriter;
  private crdTypes: ResourceType[] = [];
  private crdRevision = 0;
  private readonly authorizer = new ClusterAuthorizer(() => this.rbacPolicy());
  private aggregated: AggregatedGroupVersion[] = [];
  /** True while controllers write, so their writes do not run the controllers again. */
  private reconciling = false;

  constructor(opts: KubeClusterOptions) {
    this.name = opts.name;
    this.version = opts.version;
    this.nodes = opts.nodes ?? 2;
    const suffix = Buffer.from(`${opts.name}/${opts.version}`).toString('hex').slice(0, 7);
    this.gitVersion = `v${opts.version}.${PATCH_RELEASE[opts.version] ?? 0}-eks-${suffix}`;
    this.writer = new ClusterWriter({
      store: this.store,
      version: this.version,
      types: () => this.types(),
      mustType: (group, plural) => this.mustType(group, plural),
      find: (t) => this.find(t),
      crdsChanged: () => this.refreshCrdTypes(),
      afterChange: (rt) => this.afterChange(rt),
    });
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.createIn(
        { rt: this.mustType('', 'namespaces'), name: ns },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        {},
      );
    }
    for (const node of eksNodes({
      clusterName: opts.name,
      region: opts.region ?? 'us-east-1',
      count: this.nodes,
      gitVersion: this.gitVersion,
    }))
      this.create(withHeartbeats(node, now()), 'kubelet');
  }

  // ---- types -----------------------------------------------------------------------------

  /** Every served resource type: built-in first, then CRD-defined ones in creation order. */
  types(): ResourceType[] {
    return [...BUILTIN_TYPES, ...aggregatedTypes(this.aggregated), ...this.crdTypes];
  }

  /** Group-versions served through APIServices (kube-aggregator), for discovery. */
  aggregatedApis(): AggregatedGroupVersion[] {
    return this.aggregated.map((gv) => ({ ...gv }));
  }

  resolve(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types().find(
      (t) => t.group === group && t.version === version && t.plural === plural,
    );
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types().find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  private mustType(group: string, plural: string): ResourceType {
    const rt = this.types().find((t) => t.group === group && t.plural === plural);
    if (!rt) throw new Error(`no type ${group}/${plural}`);
    return rt;
  }

  private refreshCrdTypes(): void {
    const crds = [
      ...this.store.objects({ group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' }),
    ];
    crds.sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    );
    this.crdTypes = crds.flatMap(typesFromCrd);
    this.crdRevision++;
  }

  /** Changes whenever a CustomResourceDefinition is written, deleted or restored. */
  get crdsRevision(): number {
    return this.crdRevision;
  }

  get resourceVersion(): number {
    return this.store.resourceVersion;
  }

  // ---- authorization -------------------------------------------------------------------------

  /**
   * Takes a permission away from the API server's user (the cluster creator, otherwise
   * cluster-admin): matching requests get 403 Forbidden and SelfSubjectAccessReviews answer not
   * allowed. Programmatic calls on this object are not subject to it.
   */
  denyAccess(denial: AccessDenial): void {
    this.authorizer.denyAccess(denial);
  }

  /** Gives back every permission taken by denyAccess. */
  clearAccessDenials(): void {
    this.authorizer.clearAccessDenials();
  }

  /** Whether the API server's user may do this (see ClusterAuthorizer.allows). */
  allows(a: AccessAttributes): boolean {
    return this.authorizer.allows(a);
  }

  /**
   * Names the users (and service accounts) that may authenticate besides the creator; their
   * requests, like every impersonated one, are authorized by the cluster's RBAC objects.
   */
  setRbacUsers(users: KubeRbacUser[]): void {
    this.authorizer.setRbacUsers(users);
  }

  /** The named user a bearer token or an EKS token's access key authenticates as. */
  rbacUser(credential: { token?: string; accessKeyId?: string }): UserInfo | undefined {
    return this.authorizer.rbacUser(credential);
  }

  /** The stored Roles, ClusterRoles and bindings, as the RBAC authorizer reads them. */
  rbacPolicy(): RbacPolicy {
    const read = (kind: string) =>
      this.list('rbac.authorization.k8s.io/v1', kind) as unknown as RbacObject[];
    return {
      roles: read('Role'),
      clusterRoles: read('ClusterRole'),
      roleBindings: read('RoleBinding'),
      clusterRoleBindings: read('ClusterRoleBinding'),
    };
  }

  /** Whether `user` may make the request (see ClusterAuthorizer.authorize). */
  authorize(user: UserInfo, a: RequestAttributes): Decision {
    return this.authorizer.authorize(user, a);
  }

  // ---- reads -------------------------------------------------------------------------------

  /** The stored object as served at `rt`'s version, or undefined. */
  find(t: Target): KubeObject | undefined {
    const o = this.store.get(t.rt, t.rt.namespaced ? t.namespace : undefined, t.name);
    return o ? asVersion(t.rt, o) : undefined;
  }

  getIn(t: Target): KubeObject {
    const o = this.find(t);
    if (!o) throw KubeStatusError.notFound(groupResource(t.rt), t.name);
    return o;
  }

  listIn(rt: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector);
    let start = '';
    let rv = this.store.resourceVersion;
    if (opts.continue) {
      try {
        const tok = JSON.parse(Buffer.from(opts.continue, 'base64').toString('utf8')) as {
          rv: number;
          start: string;
        };
        if (typeof tok.start !== 'string' || typeof tok.rv !== 'number') throw new Error('bad');
        start = tok.start;
        rv = tok.rv;
      } catch {
        throw KubeStatusError.badRequest(
          'continue key is not valid: illegal base64 data at input byte 0',
        );
      }
    }
    const entries = this.store
      .entries(rt)
      .filter(
        ([k, o]) =>
          (!rt.namespaced || namespace === undefined || o.metadata.namespace === namespace) &&
          k > start,
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([, o]) => labels(o.metadata.labels ?? {}) && fields(o));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : entries.length;
    const page = entries.slice(0, limit);
    const result: ListResult = {
      items: page.map(([, o]) => asVersion(rt, o)),
      resourceVersion: String(rv),
    };
    if (entries.length > limit) {
      const last = page[page.length - 1]![0];
      result.continue = Buffer.from(
        JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: last }),
      ).toString('base64');
      result.remainingItemCount = entries.length - limit;
    }
    return result;
  }

  /** Subscribes to every change; returns the unsubscribe function. Events after `sinceRv` still in history are replayed first. */
  watch(listener: (e: WatchEvent) => void, sinceRv?: number): () => void {
    return this.store.watch(listener, sinceRv);
  }

  /** Whether events after `rv` can still be replayed (else a watch from it gets 410 Gone). */
  canWatchFrom(rv: number): boolean {
    return this.store.canWatchFrom(rv);
  }

  // ---- controllers -------------------------------------------------------------------------

  private rawObjects(group: string, plural: string): KubeObject[] {
    return this.store.objects({ group, plural });
  }

  /** Runs the controllers a change of `rt` concerns, and refreshes aggregated discovery. */
  private afterChange(rt: ResourceType): void {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      runControllers(
        storeControllerHost(
          this.store,
          this.version,
          (group, plural) => this.mustType(group, plural),
          (t) => this.writer.stored(t),
        ),
        rt,
        now(),
      );
      if (rt.kind === 'APIService')
        this.aggregated = aggregatedGroupVersions(this.rawObjects(rt.group, rt.plural));
    } finally {
      this.reconciling = false;
    }
  }

  // ---- writes ------------------------------------------------------------------------------

  createIn(t: Target, body: unknown, opts: WriteOptions): KubeObject {
    return this.writer.create(t, body, opts);
  }

  /** PUT: replaces the object; a resourceVersion in the body must match (optimistic concurrency). */
  updateIn(t: Target, body: unknown, opts: WriteOptions): KubeObject {
    return this.writer.update(t, body, opts);
  }

  patchIn(t: Target, type: PatchType, patch: unknown, opts: WriteOptions): KubeObject {
    return this.writer.patch(t, type, patch, opts);
  }

  /** Server-side apply; conflicts come back as a 409 Status with FieldManagerConflict causes. */
  applyIn(t: Target, body: unknown, opts: WriteOptions & { force?: boolean }): KubeObject {
    return this.writer.apply(t, body, opts);
  }

  deleteIn(
    t: Target,
    opts: { dryRun?: boolean; preconditionUid?: string; preconditionRv?: string } = {},
  ): KubeObject {
    return this.writer.delete(t, opts);
  }

  // ---- scale subresource -------------------------------------------------------------------

  getScale(t: Target): KubeObject {
    return scaleOf(t.rt, this.getIn(t));
  }

  /** Writes a Scale (from PUT or a patched Scale) back to the object's replicas. */
  setScale(t: Target, scale: unknown, opts: WriteOptions): KubeObject {
    this.writer.setScale(t, scale, opts);
    return this.getScale(t);
  }

  // ---- programmatic API (KubeClusterApi) --------------------------------------------------

  private targetOf(ref: ObjectRef | KubeObject): Target | undefined {
    const name = 'metadata' in ref ? ref.metadata.name : ref.name;
    const namespace = 'metadata' in ref ? ref.metadata.namespace : ref.namespace;
    const rt = this.byKind(ref.apiVersion, ref.kind);
    if (!rt) return undefined;
    return { rt, name, namespace: rt.namespaced ? (namespace ?? 'default') : undefined };
  }

  private mustTarget(ref: ObjectRef | KubeObject): Target {
    const t = this.targetOf(ref);
    if (!t)
      throw new KubeStatusError(
        404,
        'NotFound',
        `the server doesn't have a resource type for ${ref.apiVersion}, Kind=${ref.kind}`,
      );
    return t;
  }

  get(ref: ObjectRef): KubeObject | undefined {
    const t = this.targetOf(ref);
    return t ? this.find(t) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): KubeObject[] {
    const rt = this.byKind(apiVersion, kind);
    if (!rt) return [];
    return this.listIn(rt, rt.namespaced ? namespace : undefined, { labelSelector }).items;
  }

  create(obj: KubeObject, fieldManager = 'sandbox'): KubeObject {
    return this.createIn(this.mustTarget(obj), obj, { fieldManager });
  }

  /** Replaces an object (PUT); a resourceVersion in `obj` must match. */
  update(obj: KubeObject, fieldManager = 'sandbox'): KubeObject {
    return this.updateIn(this.mustTarget(obj), obj, { fieldManager });
  }

  patch(ref: ObjectRef, type: PatchType, patch: unknown, fieldManager = 'sandbox'): KubeObject {
    return this.patchIn(this.mustTarget(ref), type, patch, { fieldManager });
  }

  /** Sets an object's status through the status subresource (seeding unready or degraded workloads). */
  setStatus(ref: ObjectRef, status: Record<string, unknown>, fieldManager = 'sandbox'): KubeObject {
    const t = this.mustTarget(ref);
    const live = this.getIn(t);
    return this.updateIn(
      t,
      { ...live, status },
      { fieldManager, subresource: t.rt.subresources.includes('status') ? 'status' : undefined },
    );
  }

  apply(obj: KubeObject, opts: { fieldManager: string; force: boolean }): KubeObject {
    try {
      return this.applyIn(this.mustTarget(obj), obj, opts);
    } catch (e) {
      if (
        e instanceof KubeStatusError &&
        e.code === 409 &&
        e.reason === 'Conflict' &&
        e.details?.causes?.length
      ) {
        throw new ApplyConflictError(
          {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            namespace: obj.metadata.namespace,
            name: obj.metadata.name,
          },
          e.details.causes.map((c) => ({
            manager: (c as { manager?: string }).manager ?? '',
            field: c.field ?? '',
          })),
        );
      }
      throw e;
    }
  }

  delete(ref: ObjectRef): boolean {
    const t = this.targetOf(ref);
    if (!t || !this.find(t)) return false;
    this.deleteIn(t);
    return true;
  }

  /** Every stored object exactly as stored (uid, resourceVersion, managedFields), for a restore. */
  copyStore(): StoreCopy {
    return this.store.copy();
  }

  /**
   * Puts the store back to a `copyStore()` copy. Objects that changed are written back (ADDED or
   * MODIFIED), objects that were not there are DELETED, each with a new resourceVersion, so
   * resourceVersions only move forward and watchers see a consistent stream. Untouched objects
   * keep theirs. No controller runs: the copied state was already reconciled.
   */
  restoreStore(copy: StoreCopy): void {
    this.store.restore(copy);
    this.refreshCrdTypes();
    this.aggregated = aggregatedGroupVersions(
      this.rawObjects('apiregistration.k8s.io', 'apiservices'),
    );
  }

  all(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const rt of this.types()) {
      // One entry per stored type: skip non-storage versions of multi-version CRDs.
      if (this.types().find((x) => x.group === rt.group && x.plural === rt.plural) !== rt) continue;
      for (const o of this.store.objects(rt)) out.push(asVersion(rt, o));
    }
    return out;
  }
}
