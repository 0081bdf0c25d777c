/** The vocabulary of the cluster's write verbs: which object a request addresses, and how it writes. */
import type { GroupResource } from './KubeStatusError';
import type { ResourceType } from './ResourceTypes';

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

export function groupResource(rt: ResourceType): GroupResource {
  return { group: rt.group, resource: rt.plural };
}
