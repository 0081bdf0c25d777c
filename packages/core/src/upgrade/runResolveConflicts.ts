/**
 * Carries out a ResolveConflictsPlan under the add-on's upgrade lock (the same Lease as its
 * upgrades: both change the add-on), fenced like an upgrade: UpdateAddon at the installed version
 * with resolveConflicts OVERWRITE, then waits for ACTIVE. When it does not get there, the rollback
 * writes the plan's objects back as they were (the fields EKS took over get their previous
 * values again). Every state change is an event.
 */
import type { AddonIssue } from '../health/addonIssues';
import type { EksGateway } from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';
import type { LeaseOptions } from '../migrate/migrationLock';
import { sleep as timerSleep } from '../scan/timers';
import type { ResolveConflictsPlan } from './planResolveConflicts';
import { UpgradeLock, UpgradeLockedError } from './upgradeLock';

export type ResolveConflictsStatus = 'succeeded' | 'rolled-back' | 'failed' | 'refused';

export interface ResolveConflictsEvent {
  /** ISO-8601. */
  at: string;
  type:
    | 'refused'
    | 'update-sent'
    | 'addon-status'
    | 'succeeded'
    | 'failed'
    | 'rollback-started'
    | 'rollback-progress'
    | 'rollback-done'
    | 'rollback-failed'
    | 'lock-lost';
  message: string;
  status?: string;
  issues?: AddonIssue[];
}

export interface ResolveConflictsOutcome {
  schemaVersion: 1;
  clusterName: string;
  addonName: string;
  addonVersion: string;
  status: ResolveConflictsStatus;
  /** Fields EKS owns now (succeeded) or would have owned. */
  takenOver: number;
  updateId?: string;
  issueCodes: string[];
  heldBy?: { holder: string; runId?: string; since?: string; expiresAt?: string };
  rollbackErrors: string[];
  events: ResolveConflictsEvent[];
  message: string;
}

export interface ResolveConflictsDeps {
  eks: EksGateway;
  kube: KubeGateway;
  /** The process (`user@host/pid-4242`), as the lock names it. */
  holder: string;
  runId: string;
  lease?: LeaseOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  timeoutMs?: number;
  /** How long DEGRADED may last after the update before it counts as failed. Default 2 min. */
  degradedGraceMs?: number;
  onEvent?: (e: ResolveConflictsEvent) => void;
}

export async function runResolveConflicts(
  plan: ResolveConflictsPlan,
  deps: ResolveConflictsDeps,
): Promise<ResolveConflictsOutcome> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? timerSleep;
  const pollMs = deps.pollMs ?? 5_000;
  const timeoutMs = deps.timeoutMs ?? 20 * 60_000;
  const graceMs = deps.degradedGraceMs ?? 2 * 60_000;
  const { clusterName, addonName, addonVersion } = plan;
  const events: ResolveConflictsEvent[] = [];
  const emit = (e: Omit<ResolveConflictsEvent, 'at'>) => {
    const event = { at: new Date(now()).toISOString(), ...e };
    events.push(event);
    deps.onEvent?.(event);
  };
  const outcome = (
    status: ResolveConflictsStatus,
    message: string,
    extra: Partial<ResolveConflictsOutcome> = {},
  ): ResolveConflictsOutcome => ({
    schemaVersion: 1,
    clusterName,
    addonName,
    addonVersion,
    status,
    takenOver: plan.takeovers.length,
    issueCodes: [],
    rollbackErrors: [],
    events,
    message,
    ...extra,
  });
  const refuse = (message: string, extra: Partial<ResolveConflictsOutcome> = {}) => {
    emit({ type: 'refused', message });
    return outcome('refused', `refused: ${message}; nothing was changed`, extra);
  };

  if (plan.refusals.length > 0) return refuse(plan.refusals.join('; '));
  let lock: UpgradeLock;
  try {
    lock = await UpgradeLock.acquire(deps.kube, addonName, deps.holder, deps.runId, deps.lease);
  } catch (e) {
    if (!(e instanceof UpgradeLockedError)) throw e;
    return refuse(e.message, {
      heldBy: {
        holder: e.holder,
        ...(e.runId !== undefined ? { runId: e.runId } : {}),
        ...(e.since !== undefined ? { since: e.since } : {}),
        ...(e.expiresAt !== undefined ? { expiresAt: e.expiresAt } : {}),
      },
    });
  }
  try {
    const current = await deps.eks.describeAddon(clusterName, addonName);
    if (!current || current.addonVersion !== addonVersion || current.status !== plan.status)
      return refuse(
        `${addonName} is ${current ? `${current.addonVersion} (${current.status})` : 'not installed'} now, the plan was made from ${addonVersion} (${plan.status}); plan again`,
      );
    await lock.assertHeld();
    const update = await deps.eks.updateAddon({
      clusterName,
      addonName,
      addonVersion,
      resolveConflicts: 'OVERWRITE',
    });
    emit({
      type: 'update-sent',
      message: `update ${update.id}: ${addonName} ${addonVersion} re-applied with resolveConflicts OVERWRITE (${update.status})`,
    });
    const start = now();
    let last = '';
    let degradedSince: number | undefined;
    let failure: { codes: string[]; reason: string } | undefined;
    for (;;) {
      // Fenced on every poll (a compare-and-swap renewal): a lost lease ends the wait.
      const lost = await lock.assertHeld().then(
        () => undefined,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      if (lost !== undefined) {
        emit({ type: 'lock-lost', message: lost });
        return outcome('failed', `stopped while waiting: ${lost}; nothing was written back`, {
          updateId: update.id,
          issueCodes: ['LockLost'],
        });
      }
      const [u, a] = await Promise.all([
        deps.eks.describeUpdate(clusterName, update.id, addonName),
        deps.eks.describeAddon(clusterName, addonName),
      ]);
      if (a && a.status !== last) {
        last = a.status;
        emit({
          type: 'addon-status',
          message: `${addonName} is ${a.status}`,
          status: a.status,
          ...(a.issues.length ? { issues: a.issues } : {}),
        });
      }
      const codes = a?.issues.map((i) => i.code) ?? [];
      if (
        u.status === 'Failed' ||
        u.status === 'Cancelled' ||
        (a && a.status.endsWith('_FAILED'))
      ) {
        failure = {
          codes: [...new Set([...u.errors.map((e) => e.errorCode ?? 'Unknown'), ...codes])],
          reason: `update ${update.id} ${u.status}, ${addonName} ${a?.status ?? 'absent'}${u.errors.length ? `: ${u.errors.map((e) => e.errorMessage ?? e.errorCode).join('; ')}` : ''}`,
        };
        break;
      }
      if (a?.status === 'ACTIVE' && u.status === 'Successful') {
        const message = `${addonName} ${addonVersion} is ACTIVE: EKS owns the ${plan.takeovers.length} field(s) it took over`;
        emit({ type: 'succeeded', message });
        return outcome('succeeded', message, { updateId: update.id });
      }
      if (a?.status === 'DEGRADED' && u.status !== 'InProgress') {
        degradedSince ??= now();
        if (now() - degradedSince >= graceMs) {
          failure = { codes, reason: `${addonName} stayed DEGRADED` };
          break;
        }
      }
      if (now() - start >= timeoutMs) {
        failure = {
          codes: ['Timeout'],
          reason: `${addonName} was not ACTIVE within ${Math.round(timeoutMs / 1000)} s (last ${a?.status ?? 'absent'})`,
        };
        break;
      }
      await sleep(pollMs);
    }
    emit({ type: 'failed', message: failure.reason });
    const errors = await restore(plan, deps, lock, emit);
    return outcome(
      errors.length ? 'failed' : 'rolled-back',
      errors.length
        ? `${failure.reason}; restoring the objects left ${errors.length} thing(s) to fix`
        : `${failure.reason}; the ${plan.rollbackObjects.length} object(s) were written back as they were`,
      { updateId: update.id, issueCodes: failure.codes, rollbackErrors: errors },
    );
  } finally {
    await lock.release().catch(() => lock.abandon());
  }
}

/** Writes each saved object back over what is there now (or creates it). */
async function restore(
  plan: ResolveConflictsPlan,
  deps: ResolveConflictsDeps,
  lock: UpgradeLock,
  emit: (e: Omit<ResolveConflictsEvent, 'at'>) => void,
): Promise<string[]> {
  const errors: string[] = [];
  emit({
    type: 'rollback-started',
    message: `writing back ${plan.rollbackObjects.length} object(s) as they were`,
  });
  for (const saved of plan.rollbackObjects) {
    const ref: KubeRef = {
      apiVersion: saved.apiVersion,
      kind: saved.kind,
      name: saved.metadata.name,
      ...(saved.metadata.namespace ? { namespace: saved.metadata.namespace } : {}),
    };
    const what = `${saved.kind} ${saved.metadata.namespace ? `${saved.metadata.namespace}/` : ''}${saved.metadata.name}`;
    try {
      await lock.assertHeld();
      await writeBack(deps.kube, ref, saved);
      emit({ type: 'rollback-progress', message: `restored ${what}` });
    } catch (e) {
      errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  emit(
    errors.length
      ? { type: 'rollback-failed', message: errors.join('; ') }
      : { type: 'rollback-done', message: 'objects restored' },
  );
  return errors;
}

async function writeBack(kube: KubeGateway, ref: KubeRef, saved: KubeObject): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const live = await kube.get(ref);
    try {
      if (!live) await kube.create(saved);
      else
        await kube.replace({
          ...saved,
          metadata: { ...saved.metadata, resourceVersion: live.metadata.resourceVersion },
        });
      return;
    } catch (e) {
      if (e instanceof GatewayError && (e.kind === 'Conflict' || e.kind === 'NotFound')) continue;
      throw e;
    }
  }
  throw new Error('it kept changing while it was restored');
}
