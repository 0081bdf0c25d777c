/**
 * KubeGateway in memory: a cluster seeded with objects. Built-in kinds are served; a custom kind
 * is served once its CustomResourceDefinition is seeded or created (or an object of it is seeded),
 * as on a cluster, so "CRD not installed" lists as empty here too.
 *
 * Writes follow kube-apiserver: uids and creation timestamps assigned on create, one
 * cluster-wide resourceVersion counter bumped by every write that changes something, optimistic
 * concurrency on replace, JSON merge patch, dry runs that store nothing, namespaces that must
 * exist, and deletion of a Namespace or CRD taking its objects along. The caller may do anything
 * until a test takes a permission away with denyAccess; every mutating call is kept in `writes`.
 */
import { GatewayError } from '../ports/GatewayError';
import type {
  KubeAccessAnswer,
  KubeAccessQuery,
  KubeDeleteOptions,
  KubeGateway,
  KubeListOptions,
  KubeObject,
  KubeRef,
  KubeVersion,
  KubeWriteOptions,
} from '../ports/KubeGateway';
import { groupOf, refKey, refOf } from '../migrate/manifest';
import { compareText } from '../text/compareText';
import { clone } from './clone';
import { FakeFaults } from './FakeFaults';
import {
  canonical,
  managedEntry,
  timestamp,
  updatedManagedFields,
  withoutServerFields,
} from './managedFields';
import { matchLabelSelector, validateSelector } from './matchLabelSelector';
import { isPlainObject, mergePatch } from './mergePatch';
import {
  builtinServedKinds,
  crdServedKinds,
  pluralOf,
  resourceName,
  type ServedKind,
} from './servedKinds';

/** Namespaces every cluster has. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export interface InMemoryKubeGatewayOptions {
  name?: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version?: string;
  objects?: KubeObject[];
}

/** One mutating call made through the gateway (seeding with put/remove is not one). */
export interface KubeWriteRecord {
  op: 'create' | 'replace' | 'patch' | 'delete';
  ref: KubeRef;
  dryRun: boolean;
}

/**
 * A permission the caller lacks. `verb`, `group` and `resource` may be `*`; `resource` may name a
 * subresource (`deployments/scale`). Without `namespace` (or `name`) it holds for all of them.
 */
export interface KubeAccessDenial {
  verb: string;
  /** API group, '' for the core group. */
  group: string;
  /** Plural resource name, e.g. `leases`. */
  resource: string;
  namespace?: string;
  name?: string;
}

type Verb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';

export class InMemoryKubeGateway implements KubeGateway {
  readonly name: string;
  readonly faults = new FakeFaults();
  /**
   * Every create, replace, patch and delete called, in order, whether it succeeded or not (dry
   * runs included, flagged): `expect(kube.writes).toEqual([])` proves a caller changed nothing.
   */
  readonly writes: KubeWriteRecord[] = [];
  private readonly kubeVersion: string;
  private readonly objects = new Map<string, KubeObject>();
  /** `apiVersion/Kind` → how it is served. */
  private readonly served = builtinServedKinds();
  private denials: KubeAccessDenial[] = [];
  private rv = 1;
  private uids = 0;

  constructor(opts: InMemoryKubeGatewayOptions = {}) {
    this.name = opts.name ?? 'in-memory';
    this.kubeVersion = opts.version ?? '1.31';
    for (const o of opts.objects ?? []) this.put(o);
  }

  /** Creates or replaces an object as given (seeding: no checks, not recorded in `writes`). */
  put(obj: KubeObject): KubeObject {
    const copy = clone(obj);
    if (copy.kind === 'CustomResourceDefinition') this.serveCrd(copy);
    const kindKey = `${copy.apiVersion}/${copy.kind}`;
    if (!this.served.has(kindKey))
      this.served.set(kindKey, {
        namespaced: copy.metadata.namespace !== undefined,
        plural: pluralOf(copy.kind),
      });
    copy.metadata.resourceVersion = String(this.rv++);
    copy.metadata.uid ??= this.newUid();
    this.objects.set(refKey(refOf(copy)), copy);
    return clone(copy);
  }

  /** Removes an object (seeding: not recorded in `writes`). */
  remove(ref: KubeRef): boolean {
    return this.objects.delete(refKey(ref));
  }

  /**
   * Takes a permission away: canI answers not allowed for it and the calls it covers fail with
   * AccessDenied (403 Forbidden), as under RBAC. A query without a namespace (cluster scope, or
   * across all namespaces) is refused when any namespace is denied.
   */
  denyAccess(denial: KubeAccessDenial): void {
    this.denials.push({ ...denial });
  }

  /** Gives back every permission taken by denyAccess. */
  clearAccessDenials(): void {
    this.denials = [];
  }

  async version(): Promise<KubeVersion> {
    this.faults.check('kubernetes', 'get version');
    const [major, minor] = this.kubeVersion.split('.');
    return {
      major: major ?? '1',
      minor: minor ?? '0',
      gitVersion: `v${this.kubeVersion}.0-eks-0000000`,
    };
  }

  async get(ref: KubeRef): Promise<KubeObject | undefined> {
    const operation = `get ${ref.kind.toLowerCase()}`;
    this.faults.check('kubernetes', operation);
    const served = this.served.get(`${ref.apiVersion}/${ref.kind}`);
    if (served === undefined) return undefined;
    const namespace = served.namespaced ? ref.namespace : undefined;
    this.authorize('get', ref.apiVersion, served, namespace, ref.name, operation);
    const o = this.objects.get(refKey({ ...ref, namespace }));
    return o ? clone(o) : undefined;
  }

  async list(apiVersion: string, kind: string, opts: KubeListOptions = {}): Promise<KubeObject[]> {
    const operation = `list ${kind.toLowerCase()}`;
    this.faults.check('kubernetes', operation);
    const served = this.served.get(`${apiVersion}/${kind}`);
    if (served === undefined) return [];
    const namespaced = served.namespaced;
    this.authorize(
      'list',
      apiVersion,
      served,
      namespaced ? opts.namespace : undefined,
      undefined,
      operation,
    );
    if (opts.labelSelector !== undefined) validateSelector(opts.labelSelector, kind);
    return [...this.objects.values()]
      .filter((o) => o.apiVersion === apiVersion && o.kind === kind)
      .filter(
        (o) =>
          !namespaced || opts.namespace === undefined || o.metadata.namespace === opts.namespace,
      )
      .filter((o) => matchLabelSelector(opts.labelSelector, o.metadata.labels))
      .sort(
        (a, b) =>
          compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
          compareText(a.metadata.name, b.metadata.name),
      )
      .map((o) =>
        opts.metadataOnly
          ? clone({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata })
          : clone(o),
      );
  }

  async create(obj: KubeObject, opts: KubeWriteOptions = {}): Promise<KubeObject> {
    const operation = `create ${obj.kind.toLowerCase()}`;
    const { served, ref } = this.beginWrite('create', refOf(obj), opts.dryRun, operation);
    const namespace = ref.namespace;
    const generateName = obj.metadata['generateName'];
    if (!ref.name && typeof generateName === 'string' && generateName)
      ref.name = generateName + Math.random().toString(36).slice(2, 7).padEnd(5, '0');
    if (!ref.name)
      throw this.error(
        'InvalidParameter',
        `${resourceName(ref.apiVersion, served)} "" is invalid: metadata.name: Required value: name or generateName is required`,
        operation,
        'Invalid',
        422,
      );
    if (namespace !== undefined && !this.namespaceExists(namespace))
      throw this.error(
        'NotFound',
        `namespaces "${namespace}" not found`,
        operation,
        'NotFound',
        404,
      );
    if (this.objects.has(refKey(ref)))
      throw this.error(
        'Conflict',
        `${resourceName(ref.apiVersion, served)} "${ref.name}" already exists`,
        operation,
        'AlreadyExists',
        409,
      );
    const stored = withoutServerFields(obj);
    stored.metadata.name = ref.name;
    if (namespace === undefined) delete stored.metadata.namespace;
    else stored.metadata.namespace = namespace;
    stored.metadata.uid = this.newUid();
    stored.metadata.creationTimestamp = timestamp();
    stored.metadata.managedFields = [managedEntry(stored, opts.fieldManager)];
    if (opts.dryRun) return clone(stored);
    stored.metadata.resourceVersion = String(this.rv++);
    this.objects.set(refKey(ref), stored);
    if (stored.kind === 'CustomResourceDefinition') this.serveCrd(stored);
    return clone(stored);
  }

  async replace(obj: KubeObject, opts: KubeWriteOptions = {}): Promise<KubeObject> {
    const operation = `replace ${obj.kind.toLowerCase()}`;
    const { served, ref } = this.beginWrite('update', refOf(obj), opts.dryRun, operation);
    const live = this.mustFind(ref, served, operation);
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== live.metadata.resourceVersion)
      throw this.staleError(ref, served, operation);
    return this.commit(ref, live, withoutServerFields(obj), opts);
  }

  async patch(
    ref: KubeRef,
    patch: Record<string, unknown>,
    opts: KubeWriteOptions = {},
  ): Promise<KubeObject> {
    const operation = `patch ${ref.kind.toLowerCase()}`;
    const begun = this.beginWrite('patch', ref, opts.dryRun, operation);
    const { served } = begun;
    const live = this.mustFind(begun.ref, served, operation);
    const next = mergePatch(clone(live), patch) as KubeObject;
    if (!isPlainObject(next.metadata) || next.metadata.name !== live.metadata.name)
      throw this.error(
        'InvalidParameter',
        `the name of the object (${String(next.metadata?.name)}) does not match the name on the URL (${live.metadata.name})`,
        operation,
        'BadRequest',
        400,
      );
    if (next.apiVersion !== live.apiVersion || next.kind !== live.kind)
      throw this.error(
        'InvalidParameter',
        `the object provided is unrecognized (must be of type ${live.kind})`,
        operation,
        'BadRequest',
        400,
      );
    // A resourceVersion in the patch is a precondition, as on the server.
    const rv = next.metadata.resourceVersion;
    if (rv !== undefined && rv !== live.metadata.resourceVersion)
      throw this.staleError(begun.ref, served, operation);
    return this.commit(begun.ref, live, withoutServerFields(next), opts);
  }

  async delete(ref: KubeRef, opts: KubeDeleteOptions = {}): Promise<boolean> {
    const operation = `delete ${ref.kind.toLowerCase()}`;
    this.writes.push({ op: 'delete', ref: { ...ref }, dryRun: !!opts.dryRun });
    this.faults.check('kubernetes', operation);
    const served = this.served.get(`${ref.apiVersion}/${ref.kind}`);
    if (served === undefined) return false;
    if (served.namespaced && !ref.namespace) throw this.namespaceRequired(ref, operation);
    const namespace = served.namespaced ? ref.namespace : undefined;
    this.authorize('delete', ref.apiVersion, served, namespace, ref.name, operation);
    const k = refKey({ ...ref, namespace });
    const live = this.objects.get(k);
    if (!live) return false;
    if (opts.dryRun) return true;
    // Propagation only decides when dependents go; the fake has no owner references to follow.
    this.objects.delete(k);
    this.rv++;
    if (ref.kind === 'Namespace' && ref.apiVersion === 'v1') {
      for (const [ok, o] of [...this.objects])
        if (o.metadata.namespace === ref.name) this.objects.delete(ok);
    }
    if (ref.kind === 'CustomResourceDefinition') this.unserveCrd(live);
    return true;
  }

  async canI(query: KubeAccessQuery): Promise<KubeAccessAnswer> {
    this.faults.check('kubernetes', 'create selfsubjectaccessreview');
    return { allowed: this.allows(query) };
  }

  private beginWrite(
    verb: 'create' | 'update' | 'patch',
    given: KubeRef,
    dryRun: boolean | undefined,
    operation: string,
  ): { served: ServedKind; ref: KubeRef } {
    const op = verb === 'update' ? 'replace' : verb;
    this.writes.push({ op, ref: { ...given }, dryRun: !!dryRun });
    this.faults.check('kubernetes', operation);
    const served = this.served.get(`${given.apiVersion}/${given.kind}`);
    if (served === undefined)
      throw this.error(
        'NotFound',
        `the server could not find the requested resource (${given.apiVersion}, Kind=${given.kind} is not served)`,
        operation,
        'NotFound',
        404,
      );
    if (served.namespaced && !given.namespace) throw this.namespaceRequired(given, operation);
    const ref = { ...given, namespace: served.namespaced ? given.namespace : undefined };
    this.authorize(verb, ref.apiVersion, served, ref.namespace, ref.name, operation);
    return { served, ref };
  }

  /** Stores `next` as the new state of `live`; a write that changes nothing keeps the version. */
  private commit(
    ref: KubeRef,
    live: KubeObject,
    next: KubeObject,
    opts: KubeWriteOptions,
  ): KubeObject {
    next.apiVersion = live.apiVersion;
    next.kind = live.kind;
    next.metadata.name = live.metadata.name;
    if (ref.namespace === undefined) delete next.metadata.namespace;
    else next.metadata.namespace = ref.namespace;
    next.metadata.uid = live.metadata.uid;
    if (live.metadata.creationTimestamp !== undefined)
      next.metadata.creationTimestamp = live.metadata.creationTimestamp;
    next.metadata.resourceVersion = live.metadata.resourceVersion;
    if (canonical(next) === canonical(live)) return clone(live);
    next.metadata.managedFields = updatedManagedFields(live, next, opts.fieldManager);
    if (opts.dryRun) return clone(next);
    next.metadata.resourceVersion = String(this.rv++);
    this.objects.set(refKey(ref), next);
    if (next.kind === 'CustomResourceDefinition') this.serveCrd(next);
    return clone(next);
  }

  private mustFind(ref: KubeRef, served: ServedKind, operation: string): KubeObject {
    const live = this.objects.get(refKey(ref));
    if (!live)
      throw this.error(
        'NotFound',
        `${resourceName(ref.apiVersion, served)} "${ref.name}" not found`,
        operation,
        'NotFound',
        404,
      );
    return live;
  }

  private namespaceRequired(ref: KubeRef, operation: string): GatewayError {
    return this.error(
      'InvalidParameter',
      `${ref.kind} is namespaced: a namespace is required`,
      operation,
    );
  }

  private staleError(ref: KubeRef, served: ServedKind, operation: string): GatewayError {
    return this.error(
      'Conflict',
      `Operation cannot be fulfilled on ${resourceName(ref.apiVersion, served)} "${ref.name}": the object has been modified; please apply your changes to the latest version and try again`,
      operation,
      'Conflict',
      409,
    );
  }

  private error(
    kind: GatewayError['kind'],
    message: string,
    operation: string,
    code?: string,
    statusCode?: number,
  ): GatewayError {
    return new GatewayError(
      kind,
      `${this.name}: ${message}`,
      'kubernetes',
      operation,
      code,
      statusCode,
    );
  }

  private authorize(
    verb: Verb,
    apiVersion: string,
    served: ServedKind,
    namespace: string | undefined,
    name: string | undefined,
    operation: string,
  ): void {
    const group = groupOf(apiVersion);
    if (this.allows({ verb, group, resource: served.plural, namespace, name })) return;
    const gr = resourceName(apiVersion, served);
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    throw this.error(
      'AccessDenied',
      `${name ? `${gr} "${name}"` : gr} is forbidden: User "in-memory" cannot ${verb} resource "${served.plural}" in API group "${group}" ${scope}`,
      operation,
      'Forbidden',
      403,
    );
  }

  private allows(q: KubeAccessQuery): boolean {
    const resource = q.subresource ? `${q.resource}/${q.subresource}` : q.resource;
    return !this.denials.some(
      (d) =>
        (d.verb === '*' || d.verb === q.verb) &&
        (d.group === '*' || d.group === q.group) &&
        (d.resource === '*' || d.resource === resource) &&
        (d.namespace === undefined || q.namespace === undefined || d.namespace === q.namespace) &&
        (d.name === undefined || d.name === q.name),
    );
  }

  /** A Namespace object, one every cluster has, or one seeded objects live in. */
  private namespaceExists(namespace: string): boolean {
    if (SYSTEM_NAMESPACES.includes(namespace)) return true;
    if (this.objects.has(refKey({ apiVersion: 'v1', kind: 'Namespace', name: namespace })))
      return true;
    for (const o of this.objects.values()) if (o.metadata.namespace === namespace) return true;
    return false;
  }

  private newUid(): string {
    return `00000000-0000-4000-8000-${(++this.uids).toString(16).padStart(12, '0')}`;
  }

  private serveCrd(crd: KubeObject): void {
    const kinds = crdServedKinds(crd);
    for (const k of kinds?.keys ?? []) this.served.set(k, { ...kinds!.served });
  }

  /** A deleted CRD stops being served, and its objects go with it. */
  private unserveCrd(crd: KubeObject): void {
    const kinds = crdServedKinds(crd);
    for (const k of kinds?.keys ?? []) {
      this.served.delete(k);
      for (const [ok, o] of [...this.objects])
        if (`${o.apiVersion}/${o.kind}` === k) this.objects.delete(ok);
    }
  }
}
