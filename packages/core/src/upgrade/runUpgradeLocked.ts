/**
 * executeUpgrade under the add-on's upgrade lock, for every face: takes the Lease
 * `kube-system/kubectl-hyperpod-upgrade-<addonName>`, runs the plan, releases the lease however
 * the run ends. A lease held by another live run is an outcome (`refused`, naming the holder),
 * not an exception, so the CLI and the backend report it like any other refusal.
 */
import type { LeaseOptions } from '../migrate/migrationLock';
import type { KubeGateway } from '../ports/KubeGateway';
import { executeUpgrade, type ExecuteUpgradeDeps } from './executeUpgrade';
import {
  UPGRADE_OUTCOME_SCHEMA_VERSION,
  type UpgradeEvent,
  type UpgradeOutcome,
} from './UpgradeOutcome';
import type { UpgradePlan } from './planUpgrade';
import { UpgradeLock, UpgradeLockedError } from './upgradeLock';

export interface RunUpgradeDeps extends ExecuteUpgradeDeps {
  /** The cluster's Kubernetes API, where the lease lives. */
  kube: KubeGateway;
  /**
   * The process that runs it (`user@host/pid-4242`, the backend's instance), recorded in the lease
   * with a random part: no other process shares the lease, whatever run it works on.
   */
  holder: string;
  /** This run's id, recorded in the lease for messages (never a key to it). */
  runId: string;
  lease?: LeaseOptions;
}

export async function runUpgradeLocked(
  plan: UpgradePlan,
  deps: RunUpgradeDeps,
): Promise<UpgradeOutcome> {
  // A refused plan reads and changes nothing: no lock needed to say so.
  if (plan.refusals.length > 0) return executeUpgrade(plan, deps);
  let lock: UpgradeLock;
  try {
    lock = await UpgradeLock.acquire(
      deps.kube,
      plan.addonName,
      deps.holder,
      deps.runId,
      deps.lease,
    );
  } catch (e) {
    if (e instanceof UpgradeLockedError) return lockedOutcome(plan, e, deps);
    throw e;
  }
  try {
    // Fenced: every change first proves the lease is still this process's.
    return await executeUpgrade(plan, { ...deps, fence: () => lock.assertHeld() });
  } finally {
    // Not released (the API server is unreachable): it lapses after its duration.
    await lock.release().catch(() => lock.abandon());
  }
}

function lockedOutcome(
  plan: UpgradePlan,
  e: UpgradeLockedError,
  deps: RunUpgradeDeps,
): UpgradeOutcome {
  const now = deps.now ?? Date.now;
  const message = `refused: ${e.message}; nothing was changed`;
  const event: UpgradeEvent = { at: new Date(now()).toISOString(), type: 'refused', message };
  deps.onEvent?.(event);
  return {
    schemaVersion: UPGRADE_OUTCOME_SCHEMA_VERSION,
    clusterName: plan.clusterName,
    addonName: plan.addonName,
    status: 'refused',
    from: plan.from,
    ...(plan.to !== undefined ? { to: plan.to } : {}),
    hopsDone: [],
    issueCodes: [],
    updateIds: [],
    heldBy: {
      holder: e.holder,
      ...(e.runId !== undefined ? { runId: e.runId } : {}),
      ...(e.since !== undefined ? { since: e.since } : {}),
      ...(e.expiresAt !== undefined ? { expiresAt: e.expiresAt } : {}),
    },
    events: [event],
    message,
  };
}
