/**
 * The cluster's write verbs with kube-apiserver's semantics: create (generateName, uid,
 * generation), update (PUT with optimistic concurrency, create-on-update for the types that
 * allow it), the three patch types, server-side apply with field-manager conflicts, delete with
 * preconditions and garbage collection (a Deployment's ReplicaSets, a namespace's objects, a CRD's
 * resources), and writes through the status and scale subresources. A write that changes nothing
 * is a no-op; managedFields record every writer.
 */
import { randomUUID } from 'node:crypto';
import { KubeStatusError, qualified } from './KubeStatusError';
import { asVersion, type ObjectStore } from './ObjectStore';
import type { ResourceType } from './ResourceTypes';
import { groupResource, type PatchType, type Target, type WriteOptions } from './Target';
import { admitObject, checkCrdNames, validateObject } from './admitObject';
import { normalizeBuiltin } from './apiDefaults';
import { reconcileOnWrite } from './controllers/reconcileOnWrite';
import { syncReplicaSets } from './controllers/replicaSets';
import { applyConfiguration, clone, deepEqual, isPlainObject, recordUpdate } from './managedFields';
import { now } from './now';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches';
import { parseScale, setReplicas } from './scaleSubresource';
import type { KubeObject } from './types';

/** What the write verbs need of the cluster they write to. */
export interface WriteHost {
  readonly store: ObjectStore;
  /** Kubernetes minor version, e.g. `1.31`. */
  readonly version: string;
  /** Every served resource type. */
  types(): ResourceType[];
  mustType(group: string, plural: string): ResourceType;
  /** The stored object as served at `t.rt`'s version, or undefined. */
  find(t: Target): KubeObject | undefined;
  /** A CustomResourceDefinition was stored or deleted. */
  crdsChanged(): void;
  /** An object of `rt` was stored or deleted: the controllers it concerns run. */
  afterChange(rt: ResourceType): void;
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

export class ClusterWriter {
  constructor(private readonly host: WriteHost) {}

  create(t: Target, body: unknown, opts: WriteOptions): KubeObject {
    const obj = admitObject(t, body, 'create');
    const full: Target = { ...t, name: obj.metadata.name };
    this.requireNamespace(full);
    if (this.host.find(full))
      throw KubeStatusError.alreadyExists(groupResource(t.rt), obj.metadata.name);
    if (t.rt.kind === 'CustomResourceDefinition') checkCrdNames(this.host.types(), obj);
    delete obj.metadata.resourceVersion;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = now();
    if (tracksGeneration(t.rt)) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    delete obj.metadata.managedFields;
    normalizeBuiltin(t.rt, obj);
    this.reconcile(t.rt, obj, true);
    recordUpdate(t.rt, undefined, obj, opts.fieldManager ?? 'unknown', now());
    return this.persist(t.rt, obj, opts.dryRun, 'ADDED');
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
    if (rt.kind === 'CustomResourceDefinition') checkCrdNames(this.host.types(), stored);
    validateObject(rt, stored);
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
      return asVersion(t.rt, live);
    }
    return this.persist(t.rt, stored, opts.dryRun, 'MODIFIED');
  }

  /** The stored object itself (not a copy), or 404 Not Found. */
  stored(t: Target): KubeObject {
    const o = this.lookup(t);
    if (!o) throw KubeStatusError.notFound(groupResource(t.rt), t.name);
    return o;
  }

  /** PUT: replaces the object; a resourceVersion in the body must match (optimistic concurrency). */
  update(t: Target, body: unknown, opts: WriteOptions): KubeObject {
    const obj = admitObject(t, body, 'update');
    const live = this.lookup(t);
    if (!live) {
      // PUT creates a missing object only for types that allow it (Lease, Service, RBAC...) and
      // only when the body names no resourceVersion; ConfigMaps, workloads and custom resources 404.
      if (!t.rt.createOnUpdate || obj.metadata.resourceVersion || opts.subresource)
        throw KubeStatusError.notFound(groupResource(t.rt), t.name);
      return this.create(t, obj, opts);
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

  patch(t: Target, type: PatchType, patch: unknown, opts: WriteOptions): KubeObject {
    const live = this.stored(t);
    const current = asVersion(t.rt, live);
    let next: unknown;
    if (type === 'json') next = applyJsonPatch(current, patch);
    else if (!isPlainObject(patch))
      throw KubeStatusError.badRequest(
        `json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`,
      );
    else if (type === 'merge') next = applyMergePatch(current, patch);
    else next = applyStrategicMergePatch(t.rt, current, patch);
    const obj = admitObject(t, next, 'update');
    if (
      obj.metadata.resourceVersion &&
      obj.metadata.resourceVersion !== live.metadata.resourceVersion
    ) {
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    }
    return this.commitUpdate(t, live, obj, opts, 'update');
  }

  /** Server-side apply; conflicts come back as a 409 Status with FieldManagerConflict causes. */
  apply(t: Target, body: unknown, opts: WriteOptions & { force?: boolean }): KubeObject {
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
    const applied = admitObject(
      t,
      { ...body, metadata: { ...meta, name: meta.name ?? t.name } },
      'apply',
    );
    const live = this.lookup(t);
    if (!live) {
      if (opts.subresource) throw KubeStatusError.notFound(groupResource(t.rt), t.name);
      this.requireNamespace(t);
      if (t.rt.kind === 'CustomResourceDefinition') checkCrdNames(this.host.types(), applied);
      const result = applyConfiguration(t.rt, undefined, applied, {
        manager,
        force: true,
        now: now(),
      });
      const obj = result.object;
      validateObject(t.rt, obj);
      obj.metadata.uid = randomUUID();
      obj.metadata.creationTimestamp = now();
      if (tracksGeneration(t.rt)) obj.metadata.generation = 1;
      normalizeBuiltin(t.rt, obj);
      this.reconcile(t.rt, obj, true);
      return this.persist(t.rt, obj, opts.dryRun, 'ADDED');
    }
    if (
      applied.metadata.resourceVersion &&
      applied.metadata.resourceVersion !== live.metadata.resourceVersion
    ) {
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    }
    const result = applyConfiguration(t.rt, asVersion(t.rt, live), applied, {
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

  delete(
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
    const out = asVersion(t.rt, live);
    if (opts.dryRun) return out;
    this.host.store.remove(t.rt, live);
    if (t.rt.kind === 'Deployment' && t.rt.group === 'apps') {
      // Garbage collection of the ReplicaSets the deployment owns.
      const rsType = this.host.mustType('apps', 'replicasets');
      for (const rs of this.host.store.objects(rsType)) {
        if (
          (rs.metadata.ownerReferences as { uid?: string }[] | undefined)?.some(
            (r) => r.uid === live.metadata.uid,
          )
        )
          this.delete({ rt: rsType, namespace: rs.metadata.namespace, name: rs.metadata.name });
      }
    }
    if (t.rt.kind === 'Namespace') {
      for (const rt of this.host.types()) {
        if (!rt.namespaced) continue;
        for (const o of this.host.store.objects(rt)) {
          if (o.metadata.namespace === live.metadata.name)
            this.delete({ rt, namespace: o.metadata.namespace, name: o.metadata.name });
        }
      }
    }
    if (t.rt.kind === 'CustomResourceDefinition') {
      const spec = live.spec as { group?: string; names?: { plural?: string } };
      if (spec.group && spec.names?.plural)
        this.host.store.dropType({ group: spec.group, plural: spec.names.plural });
      this.host.crdsChanged();
    }
    this.host.afterChange(t.rt);
    return out;
  }

  /** Writes a Scale (from PUT or a patched Scale) back to the object's replicas. */
  setScale(t: Target, scale: unknown, opts: WriteOptions): void {
    const { replicas, resourceVersion } = parseScale(t.name, scale);
    const live = this.stored(t);
    if (resourceVersion && resourceVersion !== live.metadata.resourceVersion)
      throw KubeStatusError.staleResourceVersion(groupResource(t.rt), t.name);
    const next = asVersion(t.rt, live);
    setReplicas(t.rt, next, replicas);
    this.commitUpdate(t, live, next, { ...opts, subresource: 'scale' }, 'update');
  }

  private lookup(t: Target): KubeObject | undefined {
    return this.host.store.get(t.rt, t.rt.namespaced ? t.namespace : undefined, t.name);
  }

  private requireNamespace(t: Target): void {
    if (!t.rt.namespaced) return;
    if (!t.namespace) throw KubeStatusError.badRequest('the namespace of the object must be set');
    if (!this.host.store.get({ group: '', plural: 'namespaces' }, undefined, t.namespace)) {
      throw KubeStatusError.notFound({ group: '', resource: 'namespaces' }, t.namespace);
    }
  }

  private reconcile(rt: ResourceType, o: KubeObject, specChanged: boolean): void {
    reconcileOnWrite(rt, o, specChanged, {
      resourceVersion: this.host.store.resourceVersion,
      version: this.host.version,
      nodes: () => this.host.store.objects({ group: '', plural: 'nodes' }),
    });
  }

  private persist(
    rt: ResourceType,
    o: KubeObject,
    dryRun: boolean | undefined,
    event: 'ADDED' | 'MODIFIED',
  ): KubeObject {
    if (dryRun) return asVersion(rt, o);
    this.host.store.put(rt, o, event);
    if (rt.kind === 'CustomResourceDefinition') this.host.crdsChanged();
    if (rt.kind === 'Deployment' && rt.group === 'apps')
      syncReplicaSets(this.host.store, this.host.mustType('apps', 'replicasets'), o);
    const out = asVersion(rt, o);
    this.host.afterChange(rt);
    return out;
  }
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
