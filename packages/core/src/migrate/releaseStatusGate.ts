/**
 * A Helm release whose newest revision is `failed` or `pending-*` is not a state to migrate from:
 * a Helm operation broke or never finished, so the newest revision's values and objects may not
 * be what runs. It blocks the plan, with the exact rollback that fixes it, unless a person
 * overrides it for that status (`--allow-release-status`), which the plan records.
 */

/** Statuses of a release's newest revision that block a migration. */
export const BLOCKING_RELEASE_STATUSES = [
  'failed',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
] as const;

export type BlockingReleaseStatus = (typeof BLOCKING_RELEASE_STATUSES)[number];

export function isBlockingReleaseStatus(status: string): status is BlockingReleaseStatus {
  return (BLOCKING_RELEASE_STATUSES as readonly string[]).includes(status);
}

export interface ReleaseRevisionStatus {
  revision: number;
  status: string;
}

/**
 * The revision `helm rollback` should go back to: the newest one before `current` that is
 * `deployed` (Helm keeps the last good revision deployed while an upgrade is pending or failed),
 * else the newest `superseded` one (it was deployed once). Undefined when none was.
 */
export function lastDeployedRevision(
  history: readonly ReleaseRevisionStatus[],
  current: number,
): number | undefined {
  const before = history
    .filter((r) => r.revision < current)
    .sort((a, b) => b.revision - a.revision);
  return (
    before.find((r) => r.status === 'deployed')?.revision ??
    before.find((r) => r.status === 'superseded')?.revision
  );
}

export interface ReleaseStatusBlocker {
  /** Stable id of the blocker, as an override records it. */
  id: `release-status:${BlockingReleaseStatus}`;
  status: BlockingReleaseStatus;
  message: string;
  /** The command that clears it, when the history names a revision to roll back to. */
  fix?: string;
}

/**
 * The blocker for a release's status, or undefined when the status does not block. `history`
 * undefined: the history could not be read (the fix then says how to find the revision).
 */
export function releaseStatusBlocker(release: {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  history?: readonly ReleaseRevisionStatus[];
}): ReleaseStatusBlocker | undefined {
  const { name, namespace, revision, status } = release;
  if (!isBlockingReleaseStatus(status)) return undefined;
  const what =
    status === 'failed'
      ? `its revision ${revision} failed`
      : `it is stuck in ${status} at revision ${revision} (a Helm operation never finished)`;
  const head = `Helm release ${namespace}/${name} is not deployed: ${what}, so its newest values and objects may not be what runs`;
  const override = `or migrate its newest revision anyway with --allow-release-status ${status}`;
  if (!release.history)
    return {
      id: `release-status:${status}`,
      status,
      message: `${head}; its history could not be read: find the last deployed revision with helm history ${name} -n ${namespace}, roll back to it (helm rollback ${name} <revision> -n ${namespace}), ${override}`,
    };
  const rev = lastDeployedRevision(release.history, revision);
  if (rev === undefined)
    return {
      id: `release-status:${status}`,
      status,
      message: `${head}; no earlier revision was ever deployed, so there is nothing to roll back to: remove it (helm uninstall ${name} -n ${namespace}) and install the add-on directly (aws eks create-addon), ${override}`,
    };
  const fix = `helm rollback ${name} ${rev} -n ${namespace}`;
  return {
    id: `release-status:${status}`,
    status,
    fix,
    message: `${head}; roll it back to revision ${rev}, the last deployed one: ${fix}, ${override}`,
  };
}
