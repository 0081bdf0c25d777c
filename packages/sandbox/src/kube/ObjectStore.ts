/**
 * One cluster's stored objects, keyed by `group/plural` and `namespace/name`, with the
 * cluster-wide resourceVersion counter and the watch stream: every stored change takes the next
 * resourceVersion and is an event, kept in a bounded history so a watch can resume from a recent
 * resourceVersion (else 410 Gone).
 */
import { groupVersion, type ResourceType } from './ResourceTypes';
import { clone } from './managedFields';
import type { KubeObject } from './types';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** `group/plural` of the object. */
  resource: string;
  resourceVersion: number;
  object: KubeObject;
}

/** The part of a resource type the store keys objects by. */
export type StoredType = Pick<ResourceType, 'group' | 'plural'>;

/** Every stored object by `group/plural`, then `namespace/name`. */
export type StoreCopy = Map<string, Map<string, KubeObject>>;

const EVENT_HISTORY = 1000;

export function typeKey(rt: StoredType): string {
  return `${rt.group}/${rt.plural}`;
}

export function objKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** A copy of a stored object as served at `rt`'s version. */
export function asVersion(rt: ResourceType, o: KubeObject): KubeObject {
  const c = clone(o);
  c.apiVersion = groupVersion(rt);
  return c;
}

export class ObjectStore {
  private rv = 0;
  private readonly buckets: StoreCopy = new Map();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<(e: WatchEvent) => void>();

  /** The resourceVersion of the latest change. */
  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(rt: StoredType): Map<string, KubeObject> {
    let b = this.buckets.get(typeKey(rt));
    if (!b) {
      b = new Map();
      this.buckets.set(typeKey(rt), b);
    }
    return b;
  }

  /** The stored object itself (not a copy); `namespace` undefined for cluster-scoped ones. */
  get(rt: StoredType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(typeKey(rt))?.get(objKey(namespace, name));
  }

  /** The stored objects of a type (not copies), in the order they were first stored. */
  objects(rt: StoredType): KubeObject[] {
    return [...(this.buckets.get(typeKey(rt))?.values() ?? [])];
  }

  /** The stored objects of a type (not copies) by `namespace/name` key, in storage order. */
  entries(rt: StoredType): [string, KubeObject][] {
    return [...(this.buckets.get(typeKey(rt))?.entries() ?? [])];
  }

  /** Stores `o` (itself, not a copy) at the next resourceVersion and tells the watchers. */
  put(rt: StoredType, o: KubeObject, type: 'ADDED' | 'MODIFIED'): void {
    o.metadata.resourceVersion = String(++this.rv);
    this.bucket(rt).set(objKey(o.metadata.namespace, o.metadata.name), o);
    this.emit(type, typeKey(rt), o);
  }

  /** Removes `o` at the next resourceVersion and tells the watchers. */
  remove(rt: StoredType, o: KubeObject): void {
    this.bucket(rt).delete(objKey(o.metadata.namespace, o.metadata.name));
    o.metadata.resourceVersion = String(++this.rv);
    this.emit('DELETED', typeKey(rt), o);
  }

  /** Forgets every object of a type at once, without events (its CRD is gone). */
  dropType(rt: StoredType): void {
    this.buckets.delete(typeKey(rt));
  }

  private emit(type: WatchEvent['type'], resource: string, o: KubeObject): void {
    const e: WatchEvent = {
      type,
      resource,
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

  /** Every stored object exactly as stored (uid, resourceVersion, managedFields). */
  copy(): StoreCopy {
    const out: StoreCopy = new Map();
    for (const [type, bucket] of this.buckets)
      out.set(type, new Map([...bucket].map(([k, o]) => [k, clone(o)])));
    return out;
  }

  /**
   * Puts the store back to a `copy()`. Objects that changed are written back (ADDED or
   * MODIFIED), objects that were not there are DELETED, each with a new resourceVersion, so
   * resourceVersions only move forward and watchers see a consistent stream. Untouched objects
   * keep theirs.
   */
  restore(copy: StoreCopy): void {
    const event = (type: WatchEvent['type'], resource: string, o: KubeObject) => {
      o.metadata.resourceVersion = String(++this.rv);
      this.emit(type, resource, o);
    };
    for (const type of new Set([...this.buckets.keys(), ...copy.keys()])) {
      const bucket = this.buckets.get(type) ?? new Map<string, KubeObject>();
      this.buckets.set(type, bucket);
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
  }
}
