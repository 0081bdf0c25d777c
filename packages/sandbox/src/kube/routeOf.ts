/** Resource paths (`/api/v1/namespaces/ns/pods/name/status`, `/apis/group/version/plural`) resolved against the cluster's types. */
import type { KubeCluster } from './KubeCluster';
import type { ResourceType } from './ResourceTypes';

/** What a resource path names. */
export interface Route {
  group: string;
  version: string;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The resource a request path addresses, or undefined when it names none the cluster serves. */
export function routeOf(cluster: KubeCluster, path: string): Route | undefined {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) [group, version, rest] = ['', seg[1]!, seg.slice(2)];
  else if (seg[0] === 'apis' && seg.length >= 4)
    [group, version, rest] = [seg[1]!, seg[2]!, seg.slice(3)];
  else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const rt = cluster.resolve(group, version, rest[2]!);
    if (rt?.namespaced) {
      if (rest.length > 5) return undefined;
      return { group, version, rt, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const rt = cluster.resolve(group, version, rest[0]!);
  if (!rt || rest.length > 3) return undefined;
  return { group, version, rt, name: rest[1], subresource: rest[2] };
}
