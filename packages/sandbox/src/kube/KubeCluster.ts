/**
 * One cluster's object store with kube-apiserver's write semantics: uids, a cluster-wide
 * resourceVersion counter, optimistic concurrency, generation, managedFields for every write,
 * server-side apply with conflicts, namespace existence and cascading namespace deletion, CRDs
 * that make new resources servable, and a trivial controller that keeps workload status in step
 * with spec (every replica is ready at once), PUT following each type's strategy (create on
 * update, unconditional update). The HTTP server and programmatic callers share it; the server
 * also asks it what its user is denied.
 */
import { createHash, randomUUID } from 'node:crypto';
import { KubeStatusError, qualified, type GroupResource } from './KubeStatusError';
import { BUILTIN_TYPES, groupVersion, typesFromCrd, type ResourceType } from './ResourceTypes';
import { normalizeBuiltin } from './apiDefaults';
import { parseFieldSelector, parseLabelSelector } from './labelSelector';
import {
  applyConfiguration,
  clone,
  deepEqual,
  isPlainObject,
  printManager,
  recordUpdate,
} from './managedFields';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches';
import {
  aggregatedGroupVersions,
  aggregatedTypes,
  apiServiceErrors,
  type AggregatedGroupVersion,
} from './controllers/apiServices';
import type { ControllerHost } from './controllers/ControllerHost';
import { defaultCronJob, defaultJob } from './controllers/jobController';
import { daemonSetStatus, eksNodes, withHeartbeats } from './controllers/nodes';
import { runControllers } from './controllers/runControllers';
import { defaultClaim, defaultVolume } from './controllers/volumeBinder';
import { ApplyConflictError, type KubeClusterApi, type KubeObject, type ObjectRef } from './types';
import {
  authorize as authorizeRbac,
  type Decision,
  type RbacObject,
  type RbacPolicy,
  type RequestAttributes,
  type UserInfo,
} from './rbac/rbacAuthorizer';
import { isSuperuser, rbacUserFor, type KubeRbacUser } from './rbac/rbacUsers';

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

export interface Target {
  rt: ResourceType;
  namespace?: string;
  name: string;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /** `status` or `scale`: the write goes to that subresource. */
  subresource?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic';

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

/** What a request asks to do, as an authorizer sees it (SubjectAccessReview resourceAttributes). */
export interface AccessAttributes {
  verb: string;
  /** API group, '' for the core group. */
  group: string;
  /** Plural resource name. */
  resource: string;
  subresource?: string;
  /** Undefined for cluster-scoped requests and lists across all namespaces. */
  namespace?: string;
  name?: string;
}

/**
 * A permission the sandbox user lacks. `verb`, `group` and `resource` may be `*`; `resource` may
 * name a subresource (`deployments/scale`). Without `namespace` it holds in every namespace.
 */
export interface AccessDenial {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** `group/plural` of the object. */
  resource: string;
  resourceVersion: number;
  object: KubeObject;
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

const EVENT_HISTORY = 1000;

export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function typeKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${rt.group}/${rt.plural}`;
}

function objKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function groupResource(rt: ResourceType): GroupResource {
  return { group: rt.group, resource: rt.plural };
}

/** Types whose metadata.generation tracks spec changes. */
function tracksGeneration(rt: ResourceType): boolean {
  return (
    !rt.builtin ||
    [
      'apps',
      'batch',
      'apiextensions.k8s.io',
      'networking.k8s.io',
      'policy',
      'autoscaling',
    ].includes(rt.group)
  );
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class KubeCluster implements KubeClusterApi {
  readonly name: string;
  readonly version: string;
  readonly nodes: number;
  readonly gitVersion: string;
  private rv = 0;
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private crdTypes: ResourceType[] = [];
  private crdRevision = 0;
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<(e: WatchEvent) => void>();
  private denials: AccessDenial[] = [];
  private rbacUsers: KubeRbacUser[] = [];
  private aggregated: AggregatedGroupVersion[] = [];
  /** True while controllers write, so their writes do not run the controllers again. */
  private reconciling = false;

  constructor(opts: KubeClusterOptions) {
    this.name = opts.name;
    this.version = opts.version;
    this.nodes = opts.nodes ?? 2;
    const suffix = Buffer.from(`${opts.name}/${opts.version}`).toString('hex').slice(0, 7);
    this.gitVersion = `v${opts.version}.${PATCH_RELEASE[opts.version] ?? 0}-eks-${suffix}`;
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
      ...(this.store.get('apiextensions.k8s.io/customresourcedefinitions')?.values() ?? []),
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
    return this.rv;
  }

  // ---- authorization -------------------------------------------------------------------------

  /**
   * Takes a permission away from the API server's user (the cluster creator, otherwise
   * cluster-admin): matching requests get 403 Forbidden and SelfSubjectAccessReviews answer not
   * allowed. Programmatic calls on this object are not subject to it.
   */
  denyAccess(denial: AccessDenial): void {
    this.denials.push({ ...denial });
  }

  /** Gives back every permission taken by denyAccess. */
  clearAccessDenials(): void {
    this.denials = [];
  }

  /**
   * Whether the API server's user may do this. A request without a namespace (cluster scope, or a
   * list across namespaces) is refused when any namespace is denied, as RBAC would.
   */
  allows(a: AccessAttributes): boolean {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return !this.denials.some(
      (d) =>
        (d.verb === '*' || d.verb === a.verb) &&
        (d.group === '*' || d.group === a.group) &&
        (d.resource === '*' || d.resource === resource) &&
        (d.namespace === undefined || a.namespace === undefined || d.namespace === a.namespace) &&
        (d.name === undefined || d.name === a.name),
    );
  }

  /**
   * Names the users (and service accounts) that may authenticate besides the creator; their
   * requests, like every impersonated one, are authorized by the cluster's RBAC objects.
   */
  setRbacUsers(users: KubeRbacUser[]): void {
    this.rbacUsers = users.map((u) => ({ ...u, groups: u.groups && [...u.groups] }));
  }

  /** The named user a bearer token or an EKS token's access key authenticates as. */
  rbacUser(credential: { token?: string; accessKeyId?: string }): UserInfo | undefined {
    return rbacUserFor(this.rbacUsers, credential);
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

  /**
   * Whether `user` may make the request: system:masters (the creator) may do anything but what
   * denyAccess took away, and may always ask what it may do; anyone else gets what RBAC grants.
   */
  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (isSuperuser(user)) {
      const allowed =
        a.resource === undefined ||
        a.group === 'authorization.k8s.io' ||
        this.allows({ ...a, group: a.group ?? '', resource: a.resource });
      return allowed
        ? { allowed, reason: 'sandbox: the cluster creator is cluster-admin' }
        : { allowed };
    }
    return authorizeRbac(this.rbacPolicy(), user, a);
  }

  // ---- reads -------------------------------------------------------------------------------

  private bucket(rt: ResourceType): Map<string, KubeObject> {
    let b = this.store.get(typeKey(rt));
    if (!b) {
      b = new Map();
      this.store.set(typeKey(rt), b);
    }
    return b;
  }

  /** The stored object as served at `rt`'s version, or undefined. */
  find(t: Target): KubeObject | undefined {
    const o = this.store
      .get(typeKey(t.rt))
      ?.get(objKey(t.rt.namespaced ? t.namespace : undefined, t.name));
    return o ? this.asVersion(t.rt, o) : undefined;
  }

  getIn(t: Target): KubeObject {
    const o = this.find(t);
    if (!o) throw KubeStatusError.notFound(groupResource(t.rt), t.name);
    return o;
  }

  private asVersion(rt: ResourceType, o: KubeObject): KubeObject {
    const c = clone(o);
    c.apiVersion = groupVersion(rt);
    return c;
  }

  listIn(rt: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector);
    let start = '';
    let rv = this.rv;
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
    const entries = [...(this.store.get(typeKey(rt))?.entries() ?? [])]
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
      items: page.map(([, o]) => this.asVersion(rt, o)),
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

  // ---- writes ------------------------------------------------------------------------------

  private checkBody(t: Target, input: unknown, verb: 'create' | 'update' | 'apply'): KubeObject {
    const rt = t.rt;
    if (!isPlainObject(input))
      throw KubeStatusError.badRequest(
        `the object provided is unrecognized (must be of type ${rt.kind})`,
      );
    let body: Record<string, unknown> = input;
    const gv = groupVersion(rt);
    // Built-in endpoints decode into their type, so a body may omit kind/apiVersion; custom resources may not.
    if (
      rt.builtin &&
      (body.kind === undefined || body.kind === '') &&
      (body.apiVersion === undefined || body.apiVersion === '')
    ) {
      body = { ...body, apiVersion: gv, kind: rt.kind };
    }
    if (typeof body.kind !== 'string' || body.kind === '') {
      throw KubeStatusError.badRequest(
        `Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`,
      );
    }
    if (body.apiVersion !== undefined && body.apiVersion !== gv) {
      throw KubeStatusError.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${gv})`,
      );
    }
    if (body.kind !== rt.kind) {
      throw KubeStatusError.badRequest(
        `the object provided is unrecognized (must be of type ${rt.kind}): couldn't get version/kind; kind ${JSON.stringify(body.kind)} is not ${rt.kind}`,
      );
    }
    const meta = body.metadata;
    if (meta !== undefined && !isPlainObject(meta))
      throw KubeStatusError.badRequest(
        `json: cannot unmarshal ${typeof meta} into Go struct field ${rt.kind}.metadata of type v1.ObjectMeta`,
      );
    const obj = clone(body) as KubeObject;
    obj.apiVersion = gv;
    obj.metadata = (obj.metadata ?? {}) as KubeObject['metadata'];
    if (rt.namespaced) {
      if (
        obj.metadata.namespace !== undefined &&
        obj.metadata.namespace !== '' &&
        obj.metadata.namespace !== t.namespace
      ) {
        throw KubeStatusError.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = t.namespace;
    } else {
      delete obj.metadata.namespace;
    }
    if (
      verb === 'create' &&
      !obj.metadata.name &&
      typeof obj.metadata.generateName === 'string' &&
      obj.metadata.generateName
    ) {
      obj.metadata.name = obj.metadata.generateName + randomUUID().replace(/-/g, '').slice(0, 5);
    }
    if (verb !== 'create' && obj.metadata.name && obj.metadata.name !== t.name) {
      throw KubeStatusError.badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${t.name})`,
      );
    }
    if (verb !== 'create' && !obj.metadata.name) obj.metadata.name = t.name;
    // An apply configuration is partial: it is validated once merged.
    if (verb !== 'apply') this.validate(rt, obj);
    return obj;
  }

  private validate(rt: ResourceType, obj: KubeObject): void {
    const name = obj.metadata.name;
    const invalid = (field: string, type: string, detail: string, value?: unknown) =>
      KubeStatusError.invalid(rt.kind, rt.group, typeof name === 'string' ? name : '', [
        { field, type, detail, value },
      ]);
    if (typeof name !== 'string' || name === '')
      throw invalid('metadata.name', 'Required value', 'name or generateName is required');
    if (rt.group === 'rbac.authorization.k8s.io') {
      // RBAC names are path segments (`system:metrics-server`, `foo:leaderelection`).
      const bad =
        name === '.' || name === '..'
          ? `may not be '${name}'`
          : name.includes('/')
            ? "may not contain '/'"
            : name.includes('%')
              ? "may not contain '%'"
              : undefined;
      if (bad) throw invalid('metadata.name', 'Invalid value', bad, name);
    } else if (
      rt.plural === 'namespaces'
        ? !DNS_LABEL.test(name) || name.length > 63
        : !DNS_SUBDOMAIN.test(name) || name.length > 253
    ) {
      throw invalid(
        'metadata.name',
        'Invalid value',
        rt.plural === 'namespaces'
          ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
          : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        name,
      );
    }
    for (const field of ['labels', 'annotations'] as const) {
      const m = obj.metadata[field];
      if (m === undefined) continue;
      // JSON null decodes into an empty map (charts render a bare `annotations:`): none stored.
      if (m === null) {
        delete obj.metadata[field];
        continue;
      }
      if (!isPlainObject(m) || Object.values(m).some((v) => typeof v !== 'string')) {
        throw KubeStatusError.badRequest(
          `json: cannot unmarshal into Go struct field ObjectMeta.metadata.${field} of type string`,
        );
      }
    }
    if (rt.kind === 'Secret' && obj.data !== undefined) {
      if (!isPlainObject(obj.data))
        throw KubeStatusError.badRequest(
          'json: cannot unmarshal into Go struct field Secret.data of type map[string][]uint8',
        );
      for (const [k, v] of Object.entries(obj.data)) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
          throw KubeStatusError.badRequest(
            `illegal base64 data at input byte 0 (Secret.data.${k})`,
          );
        }
      }
    }
    if (rt.kind === 'Deployment') {
      const spec = obj.spec as Record<string, unknown> | undefined;
      if (!isPlainObject(spec) || !isPlainObject(spec.selector))
        throw invalid('spec.selector', 'Required value', '');
      if (spec.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
        throw invalid(
          'spec.replicas',
          'Invalid value',
          'must be greater than or equal to 0',
          spec.replicas,
        );
      }
    }
    if (rt.kind === 'APIService') {
      const errs = apiServiceErrors(obj);
      if (errs.length) throw KubeStatusError.invalid(rt.kind, rt.group, name, errs);
    }
    if (rt.kind === 'CustomResourceDefinition') {
      const spec = obj.spec as Record<string, unknown> | undefined;
      const names = isPlainObject(spec) && isPlainObject(spec.names) ? spec.names : undefined;
      if (
        !spec ||
        typeof spec.group !== 'string' ||
        !names ||
        typeof names.plural !== 'string' ||
        typeof names.kind !== 'string'
      ) {
        throw invalid('spec.names.plural', 'Required value', '');
      }
      if (name !== `${names.plural}.${spec.group}`) {
        throw invalid(
          'metadata.name',
          'Invalid value',
          `must be spec.names.plural+"."+spec.group`,
          name,
        );
      }
    }
  }

  private requireNamespace(t: Target): void {
    if (!t.rt.namespaced) return;
    if (!t.namespace) throw KubeStatusError.badRequest('the namespace of the object must be set');
    if (!this.store.get('/namespaces')?.has(objKey(undefined, t.namespace))) {
      throw KubeStatusError.notFound({ group: '', resource: 'namespaces' }, t.namespace);
    }
  }

  /** Fills in what apiserver defaults and keeps workload status in step with spec. */
  private reconcile(rt: ResourceType, o: KubeObject, specChanged: boolean): void {
    const spec = (isPlainObject(o.spec) ? o.spec : undefined) as
      Record<string, unknown> | undefined;
    switch (`${rt.group}/${rt.kind}`) {
      case '/Namespace':
        o.metadata.labels = {
          ...(o.metadata.labels ?? {}),
          'kubernetes.io/metadata.name': o.metadata.name,
        };
        o.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
        o.status = { phase: 'Active' };
        return;
      case '/Secret':
        if (isPlainObject(o.stringData)) {
          const data: Record<string, string> = { ...((o.data as Record<string, string>) ?? {}) };
          for (const [k, v] of Object.entries(o.stringData))
            data[k] = Buffer.from(String(v)).toString('base64');
          o.data = data;
          delete o.stringData;
        }
        o.type ??= 'Opaque';
        return;
      case '/Service':
        if (spec) {
          spec.type ??= 'ClusterIP';
          if (spec.clusterIP === undefined && spec.type !== 'ExternalName') {
            const n = this.rv % 65000;
            spec.clusterIP = `10.100.${Math.floor(n / 250)}.${(n % 250) + 1}`;
            spec.clusterIPs = [spec.clusterIP];
          }
        }
        return;
      case 'apps/Deployment':
      case 'apps/StatefulSet':
      case 'apps/ReplicaSet': {
        if (!spec) return;
        spec.replicas ??= 1;
        if (!specChanged) return;
        const r = spec.replicas as number;
        const status: Record<string, unknown> = { observedGeneration: o.metadata.generation };
        if (r > 0)
          Object.assign(status, {
            replicas: r,
            updatedReplicas: r,
            readyReplicas: r,
            availableReplicas: r,
          });
        if (rt.kind === 'Deployment') {
          const t = now();
          status.conditions = [
            {
              type: 'Available',
              status: 'True',
              lastUpdateTime: t,
              lastTransitionTime: t,
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
            },
            {
              type: 'Progressing',
              status: 'True',
              lastUpdateTime: t,
              lastTransitionTime: t,
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${o.metadata.name}-${podTemplateHash(spec.template)}" has successfully progressed.`,
            },
          ];
        }
        if (rt.kind === 'StatefulSet')
          Object.assign(status, { currentReplicas: r, availableReplicas: r });
        o.status = status;
        return;
      }
      case 'apps/DaemonSet':
        if (specChanged) o.status = daemonSetStatus(o, this.rawObjects('', 'nodes'));
        return;
      case '/PersistentVolume':
        defaultVolume(o);
        return;
      case '/PersistentVolumeClaim':
        defaultClaim(o);
        return;
      case 'batch/Job':
        defaultJob(o, this.version);
        return;
      case 'batch/CronJob':
        defaultCronJob(o);
        return;
      case 'apiextensions.k8s.io/CustomResourceDefinition': {
        if (!spec) return;
        const t = now();
        const versions = Array.isArray(spec.versions)
          ? (spec.versions as Record<string, unknown>[])
          : [];
        o.status = {
          acceptedNames: spec.names,
          conditions: [
            {
              type: 'NamesAccepted',
              status: 'True',
              lastTransitionTime: t,
              reason: 'NoConflicts',
              message: 'no conflicts found',
            },
            {
              type: 'Established',
              status: 'True',
              lastTransitionTime: t,
              reason: 'InitialNamesAccepted',
              message: 'the initial names have been accepted',
            },
          ],
          storedVersions: versions.filter((v) => v.storage === true).map((v) => v.name),
        };
        return;
      }
      default:
        return;
    }
  }

  private emit(type: WatchEvent['type'], rt: ResourceType, o: KubeObject): void {
    const e: WatchEvent = {
      type,
      resource: typeKey(rt),
      resourceVersion: Number(o.metadata.resourceVersion),
      object: clone(o),
    };
    this.history.push(e);
    if (this.history.length > EVENT_HISTORY) this.history.shift();
    for (const w of this.watchers) w(e);
  }

  /** Subscribes to every change; returns the unsubscribe function. Events after `sinceRv` still in history are replayed first. */
  watch(listener: (e: WatchEvent) => void, sinceRv?: number): () => void {
    if (sinceRv !== undefined)
      for (const e of this.history) if (e.resourceVersion > sinceRv) listener(e);
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Whether events after `rv` can still be replayed (else a watch from it gets 410 Gone). */
  canWatchFrom(rv: number): boolean {
    if (rv >= this.rv) return true;
    const oldest = this.history[0];
    return oldest !== undefined && oldest.resourceVersion <= rv + 1;
  }

  private store_(
    rt: ResourceType,
    o: KubeObject,
    dryRun: boolean | undefined,
    event: WatchEvent['type'],
  ): KubeObject {
    if (dryRun) return this.asVersion(rt, o);
    o.metadata.resourceVersion = String(++this.rv);
    this.bucket(rt).set(objKey(o.metadata.namespace, o.metadata.name), o);
    this.emit(event, rt, o);
    if (rt.kind === 'CustomResourceDefinition') this.refreshCrdTypes();
    if (rt.kind === 'Deployment' && rt.group === 'apps') this.syncReplicaSets(o);
    const out = this.asVersion(rt, o);
    this.afterChange(rt);
    return out;
  }

  // ---- controllers -------------------------------------------------------------------------

  private rawObjects(group: string, plural: string): KubeObject[] {
    return [...(this.store.get(`${group}/${plural}`)?.values() ?? [])];
  }

  /** The store as the controllers see it. */
  private controllerHost(): ControllerHost {
    return {
      version: this.version,
      objects: (group, plural) =>
        [...(this.store.get(`${group}/${plural}`)?.entries() ?? [])]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([, o]) => clone(o)),
      write: (group, plural, changed, manager, subresource) => {
        // Stored as a copy: the controller may go on changing its object.
        const next = clone(changed);
        const rt = this.mustType(group, plural);
        const live = this.stored({
          rt,
          namespace: next.metadata.namespace,
          name: next.metadata.name,
        });
        if (deepEqual(live, next)) return;
        recordUpdate(rt, live, next, manager, now(), subresource);
        next.metadata.resourceVersion = String(++this.rv);
        this.bucket(rt).set(objKey(next.metadata.namespace, next.metadata.name), next);
        this.emit('MODIFIED', rt, next);
      },
    };
  }

  /** Runs the controllers a change of `rt` concerns, and refreshes aggregated discovery. */
  private afterChange(rt: ResourceType): void {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      runControllers(this.controllerHost(), rt, now());
      if (rt.kind === 'APIService')
        this.aggregated = aggregatedGroupVersions(this.rawObjects(rt.group, rt.plural));
    } finally {
      this.reconciling = false;
    }
  }

  createIn(t: Target, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.checkBody(t, body, 'create');
    const full: Target = { ...t, name: obj.metadata.name };
    this.requireNamespace(full);
    if (this.find(full))
      throw KubeStatusError.alreadyExists(groupResource(t.rt), obj.metadata.name);
    if (t.rt.kind === 'CustomResourceDefinition') this.checkCrdNames(obj);
    delete obj.metadata.resourceVersion;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = now();
    if (tracksGeneration(t.rt)) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    delete obj.metadata.managedFields;
    normalizeBuiltin(t.rt, obj);
    this.reconcile(t.rt, obj, true);
    recordUpdate(t.rt, undefined, obj, opts.fieldManager ?? 'unknown', now());
    return this.store_(t.rt, obj, opts.dryRun, 'ADDED');
  }

  private checkCrdNames(crd: KubeObject): void {
    const spec = crd.spec as { group: string; names: { plural: string; kind: string } };
    const clash = this.types().find(
      (rt) =>
        rt.group === spec.group &&
        rt.builtin &&
        (rt.plural === spec.names.plural || rt.kind === spec.names.kind),
    );
    if (clash)
      throw KubeStatusError.invalid(
        'CustomResourceDefinition',
        'apiextensions.k8s.io',
        crd.metadata.name,
        [
          {
            field: 'spec.group',
            type: 'Invalid value',
            detail: 'is a built-in group',
            value: spec.group,
          },
        ],
      );
  }

  /**
   * Stores `next` as the new state of `live`, keeping server-owned metadata, bumping generation on
   * spec changes and recording the writer in managedFields (operation Update).
   */
  private commitUpdate(
    t: Target,
    live: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
    managed: 'update' | 'keep',
  ): KubeObject {
    const rt = t.rt;
    const stored = clone(next);
    if (opts.subresource !== 'status') normalizeBuiltin(rt, stored);
    stored.apiVersion = live.apiVersion;
    stored.metadata.uid = live.metadata.uid;
    stored.metadata.creationTimestamp = live.metadata.creationTimestamp;
    stored.metadata.name = live.metadata.name;
    if (rt.namespaced) stored.metadata.namespace = live.metadata.namespace;
    if (managed === 'update') stored.metadata.managedFields = live.metadata.managedFields;
    if (live.metadata.deletionTimestamp)
      stored.metadata.deletionTimestamp = live.metadata.deletionTimestamp;
    const statusViaSub = rt.subresources.includes('status');
    if (opts.subresource === 'status') {
      // Only status changes through /status.
      const { status } = stored;
      const keep = clone(live);
      if (status === undefined) delete keep.status;
      else keep.status = status;
      return this.finishUpdate(t, live, keep, opts, managed, false);
    }
    if (statusViaSub) {
      if (live.status === undefined) delete stored.status;
      else stored.status = clone(live.status);
    }
    const strip = (o: KubeObject) => {
      const { metadata: _m, status: _s, ...rest } = o;
      return rest;
    };
    const specChanged = !deepEqual(strip(live), strip(stored));
    if (tracksGeneration(rt))
      stored.metadata.generation = (live.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    else delete stored.metadata.generation;
    if (rt.kind === 'CustomResourceDefinition') this.checkCrdNames(stored);
    this.validate(rt, stored);
    this.reconcile(rt, stored, specChanged);
    return this.finishUpdate(t, live, stored, opts, managed, specChanged);
  }

  private finishUpdate(
    t: Target,
    live: KubeObject,
    stored: KubeObject,
    opts: WriteOptions,
    managed: 'update' | 'keep',
    _specChanged: boolean,
  ): KubeObject {
    if (managed === 'update')
      recordUpdate(
        t.rt,
        live,
        stored,
        opts.fieldManager ?? 'unknown',
        now(),
        opts.subresource === 'status' || opts.subresource === 'scale'
          ? opts.subresource
          : undefined,
      );
    // A write that changes nothing is a no-op: same resourceVersion, no event (as apiserver does).
    if (
      deepEqual(
        withoutTimes(live),
        withoutTimes({
          ...stored,
          metadata: { ...stored.metadata, resourceVersion: live.metadata.resourceVersion },
        }),
      )
    ) {
      return this.asVersion(t.rt, live);
    }
    return this.store_(t.rt, stored, opts.dryRun, 'MODIFIED');
  }

  private stored(t: Target): KubeObject {
    const o = this.store
      .get(typeKey(t.rt))
      ?.get(objKey(t.rt.namespaced ? t.namespace : undefined, t.name));
    if (!o) throw KubeStatusError.notFound(groupResource(t.rt), t.name);
    return o;
  }

  /** PUT: replaces the object; a resourceVersion in the body must match (optimistic concurrency). */
  updateIn(t: Target, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.checkBody(t, body, 'update');
    const live = this.store
      .get(typeKey(t.rt))
      ?.get(objKey(t.rt.namespaced ? t.namespace : undefined, t.name));
    if (!live) {
      // PUT creates a missing object only for types that allow it (Lease, Service, RBAC...) and
      // only when the body names no resourceVersion; ConfigMaps, workloads and custom resources 404.
      if (!t.rt.createOnUpdate || obj.metadata.resourceVersion || opts.subresource)
        throw KubeStatusError.notFound(groupResource(t.rt), t.name);
      return this.createIn(t, obj, opts);
    }
    if (!obj.metadata.resourceVersion && !t.rt.unconditionalUpdate) {
      throw new KubeStatusError(
        422,
        'Invalid',
        `${qualified(groupResource(t.rt))} "${t.name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
        {
          name: t.name,
          ...(t.rt.group ? { group: t.rt.group } : {}),
          kind: t.rt.plural,
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: 0x0: must be specified for an update',
              field: 'metadata.resourceVersion',
            },
          ],
        },
      );
    }
    if (
      obj.metadata.resourceVersion &&
      obj.metadata.resourceVersion !== live.metadata.resourceVersion
    ) {
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    }
    return this.commitUpdate(t, live, obj, opts, 'update');
  }

  patchIn(t: Target, type: PatchType, patch: unknown, opts: WriteOptions): KubeObject {
    const live = this.stored(t);
    const current = this.asVersion(t.rt, live);
    let next: unknown;
    if (type === 'json') next = applyJsonPatch(current, patch);
    else if (!isPlainObject(patch))
      throw KubeStatusError.badRequest(
        `json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`,
      );
    else if (type === 'merge') next = applyMergePatch(current, patch);
    else next = applyStrategicMergePatch(t.rt, current, patch);
    const obj = this.checkBody(t, next, 'update');
    if (
      obj.metadata.resourceVersion &&
      obj.metadata.resourceVersion !== live.metadata.resourceVersion
    ) {
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    }
    return this.commitUpdate(t, live, obj, opts, 'update');
  }

  /** Server-side apply; conflicts come back as a 409 Status with FieldManagerConflict causes. */
  applyIn(t: Target, body: unknown, opts: WriteOptions & { force?: boolean }): KubeObject {
    const manager = opts.fieldManager;
    if (!manager)
      throw KubeStatusError.badRequest(
        'PATCH, application/apply-patch+yaml requires fieldManager to be set',
      );
    if (!isPlainObject(body))
      throw KubeStatusError.badRequest(
        'error decoding YAML: the apply configuration must be an object',
      );
    if (
      typeof body.apiVersion !== 'string' ||
      typeof body.kind !== 'string' ||
      !body.apiVersion ||
      !body.kind
    ) {
      throw KubeStatusError.badRequest(
        `invalid object type: ${body.apiVersion ?? ''}, Kind=${body.kind ?? ''}`,
      );
    }
    const meta = (isPlainObject(body.metadata) ? body.metadata : {}) as Record<string, unknown>;
    const applied = this.checkBody(
      t,
      { ...body, metadata: { ...meta, name: meta.name ?? t.name } },
      'apply',
    );
    const live = this.store
      .get(typeKey(t.rt))
      ?.get(objKey(t.rt.namespaced ? t.namespace : undefined, t.name));
    if (!live) {
      if (opts.subresource) throw KubeStatusError.notFound(groupResource(t.rt), t.name);
      this.requireNamespace(t);
      if (t.rt.kind === 'CustomResourceDefinition') this.checkCrdNames(applied);
      const result = applyConfiguration(t.rt, undefined, applied, {
        manager,
        force: true,
        now: now(),
      });
      const obj = result.object;
      this.validate(t.rt, obj);
      obj.metadata.uid = randomUUID();
      obj.metadata.creationTimestamp = now();
      if (tracksGeneration(t.rt)) obj.metadata.generation = 1;
      normalizeBuiltin(t.rt, obj);
      this.reconcile(t.rt, obj, true);
      return this.store_(t.rt, obj, opts.dryRun, 'ADDED');
    }
    if (
      applied.metadata.resourceVersion &&
      applied.metadata.resourceVersion !== live.metadata.resourceVersion
    ) {
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    }
    const result = applyConfiguration(t.rt, this.asVersion(t.rt, live), applied, {
      manager,
      force: !!opts.force,
      now: now(),
      subresource: opts.subresource,
    });
    if (result.conflicts.length > 0 && !opts.force)
      throw applyConflictStatus(
        result.conflicts.map((c, i) => ({ ...c, printed: result.conflictManagers[i]! })),
      );
    return this.commitUpdate(t, live, result.object, opts, 'keep');
  }

  deleteIn(
    t: Target,
    opts: { dryRun?: boolean; preconditionUid?: string; preconditionRv?: string } = {},
  ): KubeObject {
    const live = this.stored(t);
    if (opts.preconditionUid && opts.preconditionUid !== live.metadata.uid) {
      throw KubeStatusError.conflict(
        groupResource(t.rt),
        t.name,
        `Precondition failed: UID in precondition: ${opts.preconditionUid}, UID in object meta: ${live.metadata.uid}`,
      );
    }
    if (opts.preconditionRv && opts.preconditionRv !== live.metadata.resourceVersion) {
      throw KubeStatusError.conflict(
        groupResource(t.rt),
        t.name,
        `Precondition failed: ResourceVersion in precondition: ${opts.preconditionRv}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`,
      );
    }
    const out = this.asVersion(t.rt, live);
    if (opts.dryRun) return out;
    this.bucket(t.rt).delete(objKey(live.metadata.namespace, live.metadata.name));
    live.metadata.resourceVersion = String(++this.rv);
    this.emit('DELETED', t.rt, live);
    if (t.rt.kind === 'Deployment' && t.rt.group === 'apps') {
      // Garbage collection of the ReplicaSets the deployment owns.
      const rsType = this.mustType('apps', 'replicasets');
      for (const rs of [...(this.store.get(typeKey(rsType))?.values() ?? [])]) {
        if (
          (rs.metadata.ownerReferences as { uid?: string }[] | undefined)?.some(
            (r) => r.uid === live.metadata.uid,
          )
        )
          this.deleteIn({ rt: rsType, namespace: rs.metadata.namespace, name: rs.metadata.name });
      }
    }
    if (t.rt.kind === 'Namespace') {
      for (const rt of this.types()) {
        if (!rt.namespaced) continue;
        for (const o of [...(this.store.get(typeKey(rt))?.values() ?? [])]) {
          if (o.metadata.namespace === live.metadata.name)
            this.deleteIn({ rt, namespace: o.metadata.namespace, name: o.metadata.name });
        }
      }
    }
    if (t.rt.kind === 'CustomResourceDefinition') {
      const spec = live.spec as { group?: string; names?: { plural?: string } };
      if (spec.group && spec.names?.plural) this.store.delete(`${spec.group}/${spec.names.plural}`);
      this.refreshCrdTypes();
    }
    this.afterChange(t.rt);
    return out;
  }

  /**
   * The deployment controller's visible effect: one ReplicaSet per pod template, owned by the
   * Deployment, the current one at spec.replicas (all ready), older ones at 0. helm --wait and
   * `kubectl rollout` look for it.
   */
  private syncReplicaSets(dep: KubeObject): void {
    const rsType = this.mustType('apps', 'replicasets');
    const spec = (dep.spec ?? {}) as {
      replicas?: number;
      template?: { metadata?: { labels?: Record<string, string> } } & Record<string, unknown>;
      selector?: { matchLabels?: Record<string, string> };
    };
    const hash = podTemplateHash(spec.template);
    const name = `${dep.metadata.name}-${hash}`;
    const replicas = spec.replicas ?? 1;
    const bucket = this.bucket(rsType);
    const owned = [...bucket.values()].filter(
      (rs) =>
        rs.metadata.namespace === dep.metadata.namespace &&
        (rs.metadata.ownerReferences as { uid?: string }[] | undefined)?.some(
          (r) => r.uid === dep.metadata.uid,
        ),
    );
    for (const rs of owned) {
      if (rs.metadata.name === name) continue;
      const s = rs.spec as { replicas?: number };
      if (s.replicas === 0) continue;
      s.replicas = 0;
      rs.status = { replicas: 0, observedGeneration: (rs.metadata.generation ?? 1) + 1 };
      rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
      rs.metadata.resourceVersion = String(++this.rv);
      this.emit('MODIFIED', rsType, rs);
    }
    const existing = bucket.get(objKey(dep.metadata.namespace, name));
    const labels = { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash };
    const status: Record<string, unknown> = {
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      observedGeneration: 1,
    };
    if (replicas === 0)
      for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
        delete status[k];
    if (existing) {
      const s = existing.spec as { replicas?: number };
      if (s.replicas === replicas) return;
      s.replicas = replicas;
      existing.metadata.generation = (existing.metadata.generation ?? 1) + 1;
      existing.status = { ...status, observedGeneration: existing.metadata.generation };
      existing.metadata.resourceVersion = String(++this.rv);
      this.emit('MODIFIED', rsType, existing);
      return;
    }
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: dep.metadata.namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + 1),
          'deployment.kubernetes.io/revision': String(owned.length + 1),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: dep.metadata.name,
            uid: dep.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        uid: randomUUID(),
        creationTimestamp: now(),
        generation: 1,
        resourceVersion: String(++this.rv),
      },
      spec: {
        replicas,
        selector: {
          matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
        },
        template: {
          ...clone(spec.template ?? {}),
          metadata: { ...(clone(spec.template?.metadata) ?? {}), labels },
        },
      },
      status,
    };
    bucket.set(objKey(rs.metadata.namespace, name), rs);
    this.emit('ADDED', rsType, rs);
  }

  // ---- scale subresource -------------------------------------------------------------------

  private scalePaths(rt: ResourceType): { spec: string[]; status: string[]; selector?: string[] } {
    const split = (p: string) => p.replace(/^\./, '').split('.');
    if (rt.scale)
      return {
        spec: split(rt.scale.specReplicasPath),
        status: split(rt.scale.statusReplicasPath),
        selector: rt.scale.labelSelectorPath ? split(rt.scale.labelSelectorPath) : undefined,
      };
    return { spec: ['spec', 'replicas'], status: ['status', 'replicas'] };
  }

  getScale(t: Target): KubeObject {
    const o = this.getIn(t);
    const p = this.scalePaths(t.rt);
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

  /** Writes a Scale (from PUT or a patched Scale) back to the object's replicas. */
  setScale(t: Target, scale: unknown, opts: WriteOptions): KubeObject {
    if (!isPlainObject(scale) || !isPlainObject(scale.spec))
      throw KubeStatusError.badRequest(
        'the object provided is unrecognized (must be of type Scale)',
      );
    const replicas = scale.spec.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw KubeStatusError.invalid('Scale', 'autoscaling', t.name, [
        {
          field: 'spec.replicas',
          type: 'Invalid value',
          detail: 'must be greater than or equal to 0',
          value: replicas,
        },
      ]);
    }
    const live = this.stored(t);
    const meta = isPlainObject(scale.metadata) ? scale.metadata : {};
    if (
      typeof meta.resourceVersion === 'string' &&
      meta.resourceVersion &&
      meta.resourceVersion !== live.metadata.resourceVersion
    ) {
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    }
    const next = this.asVersion(t.rt, live);
    const path = this.scalePaths(t.rt).spec;
    let node = next as Record<string, unknown>;
    for (const k of path.slice(0, -1)) {
      if (!isPlainObject(node[k])) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = replicas;
    this.commitUpdate(t, live, next, { ...opts, subresource: 'scale' }, 'update');
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
  copyStore(): Map<string, Map<string, KubeObject>> {
    const out = new Map<string, Map<string, KubeObject>>();
    for (const [type, bucket] of this.store)
      out.set(type, new Map([...bucket].map(([k, o]) => [k, clone(o)])));
    return out;
  }

  /**
   * Puts the store back to a `copyStore()` copy. Objects that changed are written back (ADDED or
   * MODIFIED), objects that were not there are DELETED, each with a new resourceVersion, so
   * resourceVersions only move forward and watchers see a consistent stream. Untouched objects
   * keep theirs. No controller runs: the copied state was already reconciled.
   */
  restoreStore(copy: Map<string, Map<string, KubeObject>>): void {
    const event = (type: WatchEvent['type'], resource: string, o: KubeObject) => {
      o.metadata.resourceVersion = String(++this.rv);
      const e: WatchEvent = {
        type,
        resource,
        resourceVersion: this.rv,
        object: clone(o),
      };
      this.history.push(e);
      if (this.history.length > EVENT_HISTORY) this.history.shift();
      for (const w of this.watchers) w(e);
    };
    for (const type of new Set([...this.store.keys(), ...copy.keys()])) {
      const bucket = this.store.get(type) ?? new Map<string, KubeObject>();
      this.store.set(type, bucket);
      const want = copy.get(type) ?? new Map<string, KubeObject>();
      for (const [k, o] of [...bucket]) {
        if (want.has(k)) continue;
        bucket.delete(k);
        event('DELETED', type, clone(o));
      }
      for (const [k, o] of want) {
        const now = bucket.get(k);
        if (now && JSON.stringify(now) === JSON.stringify(o)) continue;
        const back = clone(o);
        bucket.set(k, back);
        event(now ? 'MODIFIED' : 'ADDED', type, back);
      }
    }
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
      for (const o of this.store.get(typeKey(rt))?.values() ?? []) out.push(this.asVersion(rt, o));
    }
    return out;
  }
}

/** Deterministic stand-in for the ReplicaSet pod-template-hash. */
function podTemplateHash(template: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest('hex')
    .slice(0, 10);
}

function withoutTimes(o: KubeObject): KubeObject {
  return {
    ...o,
    metadata: {
      ...o.metadata,
      managedFields: o.metadata.managedFields?.map(({ time: _t, ...rest }) => rest),
    },
  };
}

/** The 409 apiserver answers for apply conflicts, with its exact message layout. */
function applyConflictStatus(
  conflicts: { manager: string; field: string; printed: string }[],
): KubeStatusError {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${conflicts[0]!.printed}: ${conflicts[0]!.field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts)
      byManager.set(c.printed, [...(byManager.get(c.printed) ?? []), c.field]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const f of byManager.get(m)!) lines.push(`- ${f}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  const err = new KubeStatusError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${c.printed}`,
      field: c.field,
    })),
  });
  // Keep the bare manager names for the programmatic ApplyConflictError (not serialised on the wire).
  err.details!.causes!.forEach((cause, i) =>
    Object.defineProperty(cause, 'manager', { value: conflicts[i]!.manager, enumerable: false }),
  );
  return err;
}

export { printManager };
