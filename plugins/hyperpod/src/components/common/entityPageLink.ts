/**
 * Links to catalog entity pages that degrade to no link: the fleet page may be mounted in an app
 * without the catalog, where `entityRouteRef` is not bound and `useRouteRef` would throw.
 */
import type { Entity } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteParams, entityRouteRef } from '@backstage/plugin-catalog-react';
import type { PortalCluster } from '@hyperpod/core';

/** The catalog entity of a cluster, as the backend names it (undefined from an older backend). */
export function clusterEntityRef(cluster: Pick<PortalCluster, 'entityRef'>): string | undefined {
  return cluster.entityRef;
}

type EntityRoute = (params: ReturnType<typeof entityRouteParams>) => string;

function useOptionalEntityRoute(): EntityRoute | undefined {
  try {
    // Every hook useRouteRef calls runs before it throws for an unbound ref, so the hook order
    // stays stable across renders.
    return useRouteRef(entityRouteRef);
  } catch {
    return undefined;
  }
}

/** `(entity or ref) => path of its catalog page`, or undefined when the catalog is not mounted. */
export function useEntityPageLink(): (entityOrRef: Entity | string) => string | undefined {
  const route = useOptionalEntityRoute();
  return (entityOrRef) => {
    if (!route) return undefined;
    try {
      return route(entityRouteParams(entityOrRef, { encodeParams: true }));
    } catch {
      // Not an entity ref (a free-form owner label): no page to link to.
      return undefined;
    }
  };
}
