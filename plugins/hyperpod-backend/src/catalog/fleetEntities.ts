/**
 * The fleet as catalog entities: one `Resource` (type `kubernetes-cluster`) per cluster, carrying
 * the portal cluster id and region annotations the frontend plugin reads, plus `Group` entities
 * for the owners and the configured (demo) `User` entities, so that a user's catalog `memberOf`
 * gives the permission framework the ownership claims the demo policy checks.
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  clusterEntityNames,
  HYPERPOD_CLUSTER_ARN_ANNOTATION,
  HYPERPOD_CLUSTER_ENTITY_TYPE,
  HYPERPOD_CLUSTER_REGION_ANNOTATION,
  type PortalCluster,
} from '@hyperpod/core';

export interface CatalogUser {
  /** Entity name in the default namespace, or a full ref (`user:default/guest`). */
  name: string;
  displayName?: string;
  email?: string;
  /** Group refs, e.g. `group:default/ml-platform`. */
  memberOf: string[];
}

export interface FleetEntitiesOptions {
  /** `spec.owner` of clusters without an owner. */
  defaultOwner: string;
  /** Emit a `Group` for every group referenced as an owner or membership. */
  groups: boolean;
  users: CatalogUser[];
  /** Written to the managed-by-location annotations. */
  location: string;
}

function normalizeRef(ref: string, defaultKind: 'group' | 'user'): string {
  return stringifyEntityRef(parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }));
}

function titleOf(name: string): string {
  return name
    .split(/[-_.]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

export function fleetEntities(clusters: PortalCluster[], options: FleetEntitiesOptions): Entity[] {
  const managed = {
    [ANNOTATION_LOCATION]: options.location,
    [ANNOTATION_ORIGIN_LOCATION]: options.location,
  };
  const names = clusterEntityNames(clusters);
  const groupRefs = new Set<string>();
  const noteGroup = (ref: string) => {
    if (parseEntityRef(ref).kind.toLowerCase() === 'group') groupRefs.add(ref);
  };

  const resources = clusters.map((c, i): Entity => {
    const owner = normalizeRef(c.owner ?? options.defaultOwner, 'group');
    noteGroup(owner);
    const where = [c.region, c.accountId && `account ${c.accountId}`].filter(Boolean).join(', ');
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: names[i]!,
        title: c.name,
        description: `EKS cluster ${c.name}${where ? ` (${where})` : ''}`,
        annotations: {
          ...managed,
          // The portal's cluster id: the EKS ARN when the account is known, else `region/name`.
          [HYPERPOD_CLUSTER_ARN_ANNOTATION]: c.id,
          ...(c.region ? { [HYPERPOD_CLUSTER_REGION_ANNOTATION]: c.region } : {}),
        },
        tags: ['eks'],
      },
      spec: { type: HYPERPOD_CLUSTER_ENTITY_TYPE, owner },
    };
  });

  const users = options.users.map((u): Entity => {
    const ref = parseEntityRef(normalizeRef(u.name, 'user'));
    const memberOf = u.memberOf.map((g) => normalizeRef(g, 'group'));
    memberOf.forEach(noteGroup);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: ref.name, namespace: ref.namespace, annotations: { ...managed } },
      spec: {
        profile: {
          displayName: u.displayName ?? titleOf(ref.name),
          ...(u.email ? { email: u.email } : {}),
        },
        memberOf,
      },
    };
  });

  const groups = options.groups
    ? [...groupRefs].sort().map((r): Entity => {
        const ref = parseEntityRef(r);
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: ref.name, namespace: ref.namespace, annotations: { ...managed } },
          spec: { type: 'team', profile: { displayName: titleOf(ref.name) }, children: [] },
        };
      })
    : [];

  return [...resources, ...groups, ...users];
}
