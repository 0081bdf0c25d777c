/**
 * Catalog entity names of the fleet's clusters, shared by the backend's entity provider (which
 * names the entities) and the portal (which links to them): DNS-label names, disambiguated by
 * region, then account, then a hash when cluster names collide. Pure, so the same answer on both
 * sides.
 */
import type { PortalCluster } from './contract';

const MAX_NAME = 63;

/** FNV-1a 32-bit of `s`, as 8 hex digits (a short, stable, isomorphic suffix; not security). */
function hash8(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A catalog entity name from an EKS cluster name: lower case, `[a-z0-9-]`, no leading, trailing
 * or repeated dashes, at most 63 characters (a DNS label), so it is also usable in URLs and as a
 * Kubernetes label value.
 */
export function dnsSafeName(raw: string): string {
  const s =
    raw
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || `cluster-${hash8(raw)}`;
  if (s.length <= MAX_NAME) return s;
  return `${s.slice(0, MAX_NAME - 9).replace(/-+$/, '')}-${hash8(raw)}`;
}

/**
 * Entity names for the clusters, in order: the cluster name when no other cluster shares it,
 * else the name with the region, then with the account too (clusters are unique per account and
 * region), and a hash of the portal id as the last resort.
 */
export function clusterEntityNames(clusters: PortalCluster[]): string[] {
  const candidates = clusters.map((c) => [
    dnsSafeName(c.name),
    dnsSafeName(`${c.name}-${c.region ?? ''}`),
    dnsSafeName(`${c.name}-${c.region ?? ''}-${c.accountId ?? ''}`),
    dnsSafeName(`${c.name.slice(0, 40)}-${hash8(c.id)}`),
  ]);
  const chosen = candidates.map((c) => c[0]!);
  for (let level = 1; level < 4; level++) {
    const counts = new Map<string, number>();
    for (const n of chosen) counts.set(n, (counts.get(n) ?? 0) + 1);
    let clash = false;
    chosen.forEach((n, i) => {
      if ((counts.get(n) ?? 0) > 1) {
        chosen[i] = candidates[i]![level]!;
        clash = true;
      }
    });
    if (!clash) break;
  }
  return chosen;
}

/** `resource:default/<name>` for each cluster, by portal cluster id. */
export function clusterEntityRefs(clusters: PortalCluster[]): Map<string, string> {
  const names = clusterEntityNames(clusters);
  return new Map(clusters.map((c, i) => [c.id, `resource:default/${names[i]}`]));
}
