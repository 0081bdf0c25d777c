/** Which catalog entities are clusters, and the portal cluster id of one. */
import type { Entity } from '@backstage/catalog-model';
import { HYPERPOD_CLUSTER_ARN_ANNOTATION, HYPERPOD_CLUSTER_ENTITY_TYPE } from '@hyperpod/core';

export function clusterIdOfEntity(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[HYPERPOD_CLUSTER_ARN_ANNOTATION];
}

/** For `EntitySwitch.Case if={isHyperpodClusterEntity}`. */
export function isHyperpodClusterEntity(entity: Entity): boolean {
  return (
    entity.kind === 'Resource' &&
    (entity.spec as { type?: string } | undefined)?.type === HYPERPOD_CLUSTER_ENTITY_TYPE &&
    clusterIdOfEntity(entity) !== undefined
  );
}
