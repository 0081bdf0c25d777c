/**
 * The tag actions of a migration plan: the load balancers, certificates and certificate objects
 * the operator made get the tag the add-on recognises as its own; and whether the TLS bucket can
 * be used.
 */
import type { DiscoveredRelease, MigrationDiscovery } from './MigrationDiscovery';
import type { TagAction } from './MigrationPlan';
import { getPath } from './manifest';
import { CREATED_BY_TAG } from './profiles';

export function planTagActions(
  d: MigrationDiscovery,
  rel: DiscoveredRelease,
  blockers: string[],
  warnings: string[],
): TagAction[] {
  const tagActions: TagAction[] = [];
  for (const t of d.tagTargets) {
    const current = t.tags[CREATED_BY_TAG.key];
    if (current === CREATED_BY_TAG.value) continue;
    if (current !== undefined)
      warnings.push(
        `${describeTarget(t.target)} already has ${CREATED_BY_TAG.key}=${current}; it becomes ${CREATED_BY_TAG.value} (rollback puts ${current} back)`,
      );
    tagActions.push({
      id: `tag-${tagActions.length + 1}`,
      kind: 'tag',
      target: t.target,
      before: t.tags,
      after: { ...t.tags, [CREATED_BY_TAG.key]: CREATED_BY_TAG.value },
      summary: `tag ${describeTarget(t.target)} ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value} (found in ${t.foundIn})`,
      inverse: `put its tags back to the ${Object.keys(t.tags).length} it had`,
    });
  }
  if (!d.bucket) {
    if (getPath(rel.values, 'tlsCertificateS3Bucket'))
      blockers.push('the TLS certificate bucket could not be checked');
  } else if (d.bucket.head.access === 'missing')
    blockers.push(`TLS certificate bucket ${d.bucket.name} does not exist`);
  else if (d.bucket.head.access === 'forbidden')
    blockers.push(
      `TLS certificate bucket ${d.bucket.name} belongs to another account or may not be read`,
    );
  return tagActions;
}

function describeTarget(t: TagAction['target']): string {
  if (t.type === 'load-balancer') return `load balancer ${t.name ?? t.arn}`;
  if (t.type === 'certificate') return `certificate ${t.arn}`;
  return `s3://${t.bucket}/${t.key}`;
}
