/** The ControllerHost the sandbox's controllers run against: one cluster's ObjectStore. */
import type { ObjectStore } from '../ObjectStore';
import type { ResourceType } from '../ResourceTypes';
import type { Target } from '../Target';
import { clone, deepEqual, recordUpdate } from '../managedFields';
import { now } from '../now';
import type { KubeObject } from '../types';
import type { ControllerHost } from './ControllerHost';

export function storeControllerHost(
  store: ObjectStore,
  version: string,
  mustType: (group: string, plural: string) => ResourceType,
  /** The stored object itself, or 404 Not Found. */
  stored: (t: Target) => KubeObject,
): ControllerHost {
  return {
    version,
    objects: (group, plural) =>
      store
        .entries({ group, plural })
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, o]) => clone(o)),
    write: (group, plural, changed, manager, subresource) => {
      // Stored as a copy: the controller may go on changing its object.
      const next = clone(changed);
      const rt = mustType(group, plural);
      const live = stored({
        rt,
        namespace: next.metadata.namespace,
        name: next.metadata.name,
      });
      if (deepEqual(live, next)) return;
      recordUpdate(rt, live, next, manager, now(), subresource);
      store.put(rt, next, 'MODIFIED');
    },
  };
}
