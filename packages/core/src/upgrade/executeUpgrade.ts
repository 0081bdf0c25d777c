/**
 * Runs an UpgradePlan against EKS and undoes it when it fails. EKS does not roll back a failed
 * add-on update (the Update goes Failed, the new version stays, the add-on goes DEGRADED or
 * UPDATE_FAILED), so this captures the add-on before any change and, on failure, puts that
 * version, configuration and role back: by UpdateAddon, or, when EKS refuses that, by deleting
 * and re-creating the add-on. Every state change is an event, for CLI progress and audit.
 */
import { isAddonInFlight } from '../addons/addonInFlight';
import type { AddonIssue } from '../health/addonIssues';
import type { EksAddon, EksGateway, EksUpdate } from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import { sleep as timerSleep } from '../scan/timers';
import type { UpgradePlan } from './planUpgrade';
import {
  UPGRADE_OUTCOME_SCHEMA_VERSION,
  type CapturedAddon,
  type UpgradeEvent,
  type UpgradeOutcome,
  type UpgradeStatus,
} from './UpgradeOutcome';

export interface ExecuteUpgradeDeps {
  eks: EksGateway;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Between polls of DescribeUpdate/DescribeAddon. Default 5 s. */
  pollMs?: number;
  /** Longest wait for one update (hop, rollback, delete, create) to settle. Default 20 min. */
  timeoutMs?: number;
  /** How long DEGRADED may last after an update before it counts as failed. Default 2 min. */
  degradedGraceMs?: number;
  onEvent?: (e: UpgradeEvent) => void;
  /**
   * Awaited right after the add-on is captured and before the first UpdateAddon, so a caller can
   * persist what a rollback needs (crash recovery). If it throws, nothing has been changed and
   * the error propagates.
   */
  onCaptured?: (c: CapturedAddon) => void | Promise<void>;
  /**
   * Awaited before every change (each hop, each rollback call): throws when this process no
   * longer holds the add-on's lock (runUpgradeLocked passes the lease's fence). A run that fails
   * it stops where it is, without rolling back: another process may be working on the add-on.
   */
  fence?: () => Promise<void>;
}

const DEFAULT_POLL_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 20 * 60_000;
const DEFAULT_DEGRADED_GRACE_MS = 2 * 60_000;
const FAILED = new Set(['UPDATE_FAILED', 'CREATE_FAILED', 'DELETE_FAILED']);

type Settled =
  | { ok: true; addon: EksAddon }
  | { ok: false; codes: string[]; issues: AddonIssue[]; reason: string };

export async function executeUpgrade(
  plan: UpgradePlan,
  deps: ExecuteUpgradeDeps,
): Promise<UpgradeOutcome> {
  const { eks } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? timerSleep;
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const graceMs = deps.degradedGraceMs ?? DEFAULT_DEGRADED_GRACE_MS;
  const { clusterName, addonName } = plan;
  const events: UpgradeEvent[] = [];
  const updateIds: string[] = [];
  const hopsDone: string[] = [];

  const emit = (e: Omit<UpgradeEvent, 'at'>): void => {
    const event: UpgradeEvent = { at: new Date(now()).toISOString(), ...e };
    events.push(event);
    deps.onEvent?.(event);
  };
  const emitUpdateStatus = (
    update: Pick<EksUpdate, 'id' | 'status'>,
    hop: string,
    what = 'update',
  ): void =>
    emit({
      type: 'update-status',
      message: `${what} ${update.id} is ${update.status}`,
      hop,
      updateId: update.id,
      status: update.status,
    });
  const outcome = (
    status: UpgradeStatus,
    message: string,
    extra: Partial<UpgradeOutcome> = {},
  ): UpgradeOutcome => ({
    schemaVersion: UPGRADE_OUTCOME_SCHEMA_VERSION,
    clusterName,
    addonName,
    status,
    from: plan.from,
    ...(plan.to !== undefined ? { to: plan.to } : {}),
    hopsDone,
    issueCodes: [],
    updateIds,
    events,
    message,
    ...extra,
  });

  if (plan.refusals.length > 0) {
    const message = `refused: ${plan.refusals.join('; ')}`;
    emit({ type: 'refused', message });
    return outcome('refused', message);
  }

  const current = await eks.describeAddon(clusterName, addonName);
  if (!current) {
    const message = `${addonName} is not installed on ${clusterName}`;
    emit({ type: 'refused', message });
    return outcome('refused', message);
  }
  if (current.addonVersion !== plan.from || isAddonInFlight(current.status)) {
    // The plan was made from another state; running it could skip or repeat a hop.
    const message = `${addonName} is ${current.addonVersion} (${current.status}) now, the plan was made from ${plan.from}; plan again`;
    emit({ type: 'refused', message, status: current.status });
    return outcome('refused', message);
  }
  const captured: CapturedAddon = {
    addonVersion: current.addonVersion,
    ...(current.configurationValues !== undefined
      ? { configurationValues: current.configurationValues }
      : {}),
    ...(current.serviceAccountRoleArn !== undefined
      ? { serviceAccountRoleArn: current.serviceAccountRoleArn }
      : {}),
  };
  emit({
    type: 'captured',
    message: `captured ${addonName} ${captured.addonVersion} (${current.status}) before the upgrade`,
    status: current.status,
  });
  await deps.onCaptured?.({ ...captured });

  /**
   * Polls DescribeUpdate (when there is one) and DescribeAddon until the add-on is ACTIVE at
   * `version`, it failed, or the time runs out. Retryable read errors are polled through.
   * `updateStatus` is the status UpdateAddon answered (already reported).
   */
  const follow = async (
    version: string,
    updateId: string | undefined,
    hop: string,
    updateStatus?: string,
  ): Promise<Settled> => {
    const start = now();
    let lastUpdate: string | undefined = updateStatus;
    let lastAddon: string | undefined;
    let degradedSince: number | undefined;
    for (;;) {
      let update: EksUpdate | undefined;
      let addon: EksAddon | undefined;
      try {
        if (updateId !== undefined)
          update = await eks.describeUpdate(clusterName, updateId, addonName);
        addon = await eks.describeAddon(clusterName, addonName);
      } catch (err) {
        if (!(err instanceof GatewayError) || !err.retryable) {
          const code = err instanceof GatewayError ? (err.code ?? err.kind) : 'Unknown';
          return { ok: false, codes: [code], issues: [], reason: errorMessage(err) };
        }
        emit({ type: 'poll-error', message: `${err.operation}: ${err.message}`, hop });
      }
      if (update && update.status !== lastUpdate) {
        lastUpdate = update.status;
        emitUpdateStatus(update, hop);
      }
      const addonState = addon ? `${addon.status}@${addon.addonVersion}` : 'absent';
      if (addonState !== lastAddon) {
        lastAddon = addonState;
        emit({
          type: 'addon-status',
          message: addon
            ? `${addonName} is ${addon.status} at ${addon.addonVersion}`
            : `${addonName} is not installed`,
          hop,
          status: addon?.status ?? 'ABSENT',
          ...(addon && addon.issues.length ? { issues: addon.issues } : {}),
        });
      }

      const issues = addon?.issues ?? [];
      const issueCodes = issues.map((i) => i.code);
      if (update && (update.status === 'Failed' || update.status === 'Cancelled')) {
        const codes = update.errors.map((e) => e.errorCode ?? 'Unknown');
        return {
          ok: false,
          codes: unique([...codes, ...issueCodes]),
          issues,
          reason: `update ${update.id} ${update.status}${update.errors.length ? `: ${update.errors.map((e) => e.errorMessage ?? e.errorCode).join('; ')}` : ''}`,
        };
      }
      if (addon && FAILED.has(addon.status)) {
        return {
          ok: false,
          codes: unique(issueCodes.length ? issueCodes : [addon.status]),
          issues,
          reason: `${addonName} is ${addon.status}`,
        };
      }
      const updateDone = update === undefined || update.status === 'Successful';
      if (addon && addon.status === 'ACTIVE' && addon.addonVersion === version && updateDone) {
        return { ok: true, addon };
      }
      if (addon && addon.status === 'DEGRADED') {
        degradedSince ??= now();
        if (now() - degradedSince >= graceMs) {
          return {
            ok: false,
            codes: unique(issueCodes.length ? issueCodes : ['DEGRADED']),
            issues,
            reason: `${addonName} stayed DEGRADED for ${Math.round((now() - degradedSince) / 1000)} s`,
          };
        }
      } else {
        degradedSince = undefined;
      }
      if (now() - start >= timeoutMs) {
        return {
          ok: false,
          codes: ['Timeout'],
          issues,
          reason: `${addonName} did not settle at ${version} within ${Math.round(timeoutMs / 1000)} s (last: ${addonState})`,
        };
      }
      await sleep(pollMs);
    }
  };

  const resolve = plan.resolveConflicts ? { resolveConflicts: plan.resolveConflicts } : {};

  for (const hop of plan.hops) {
    const lost = await fenced();
    if (lost !== undefined) {
      const message = `stopped before the hop to ${hop}: ${lost}; nothing more was changed and nothing was rolled back`;
      emit({ type: 'lock-lost', message, hop });
      return outcome('failed', message, { captured, issueCodes: ['LockLost'] });
    }
    emit({ type: 'hop-started', message: `updating ${addonName} to ${hop}`, hop });
    let settled: Settled;
    try {
      const update = await eks.updateAddon({
        clusterName,
        addonName,
        addonVersion: hop,
        ...resolve,
      });
      updateIds.push(update.id);
      emitUpdateStatus(update, hop);
      settled = await follow(hop, update.id, hop, update.status);
    } catch (err) {
      // EKS refused the update itself: nothing changed for this hop, but earlier hops did.
      const code = err instanceof GatewayError ? (err.code ?? err.kind) : 'Unknown';
      if (hopsDone.length === 0 && refusedOutright(err)) {
        // The first hop refused outright (no permission, a parameter, an update in flight):
        // nothing was changed, so there is nothing to roll back (a timeout is not this: the
        // update may have been made).
        const message = `refused: EKS refused the update of ${addonName} to ${hop}: ${errorMessage(err)}; nothing was changed`;
        emit({ type: 'refused', message, hop });
        return outcome('refused', message, { captured, issueCodes: [code] });
      }
      settled = { ok: false, codes: [code], issues: [], reason: errorMessage(err) };
    }
    if (settled.ok) {
      hopsDone.push(hop);
      emit({ type: 'hop-succeeded', message: `${addonName} is ACTIVE at ${hop}`, hop });
      continue;
    }
    emit({
      type: 'hop-failed',
      message: `hop to ${hop} failed: ${settled.reason}`,
      hop,
      ...(settled.issues.length ? { issues: settled.issues } : {}),
    });
    const rollback = await rollBack(hop);
    const failure = { failedHop: hop, issueCodes: settled.codes, captured };
    if (rollback.succeeded) {
      return outcome(
        'rolled-back',
        `${addonName} ${hop} failed (${settled.codes.join(', ')}): ${settled.reason}; rolled back to ${captured.addonVersion} by ${rollback.method === 'update' ? 'UpdateAddon' : 'delete and re-create'}`,
        { ...failure, rollback: { method: rollback.method, succeeded: true } },
      );
    }
    return outcome(
      'failed',
      `${addonName} ${hop} failed (${settled.codes.join(', ')}): ${settled.reason}; the rollback to ${captured.addonVersion} failed too: ${rollback.reason}`,
      { ...failure, rollback: { method: rollback.method, succeeded: false } },
    );
  }

  const message = plan.hops.length
    ? `${addonName} upgraded ${plan.from} → ${plan.hops.join(' → ')}`
    : `${addonName} is already at ${plan.from}`;
  emit({ type: 'succeeded', message });
  return outcome('succeeded', message, { captured });

  /** The fence's verdict: undefined while the lock is ours, else why not. */
  async function fenced(): Promise<string | undefined> {
    try {
      await deps.fence?.();
      return undefined;
    } catch (err) {
      return errorMessage(err);
    }
  }

  async function rollBack(
    failedHop: string,
  ): Promise<{ method: 'update' | 'recreate'; succeeded: boolean; reason: string }> {
    const hop = `rollback:${captured.addonVersion}`;
    emit({
      type: 'rollback-started',
      message: `rolling ${addonName} back to ${captured.addonVersion} after ${failedHop} failed`,
      hop,
    });
    let refused: GatewayError | undefined;
    const lost = await fenced();
    if (lost !== undefined) return fail('update', lost);
    try {
      const failed = await eks.describeAddon(clusterName, addonName);
      const update = await eks.updateAddon({
        clusterName,
        addonName,
        addonVersion: captured.addonVersion,
        // The captured values; an empty string clears one the add-on did not have before.
        ...restore(
          'configurationValues',
          captured.configurationValues,
          failed?.configurationValues,
        ),
        ...restore(
          'serviceAccountRoleArn',
          captured.serviceAccountRoleArn,
          failed?.serviceAccountRoleArn,
        ),
        ...resolve,
      });
      updateIds.push(update.id);
      emitUpdateStatus(update, hop, 'rollback update');
      const settled = await follow(captured.addonVersion, update.id, hop, update.status);
      return done('update', settled);
    } catch (err) {
      if (!(err instanceof GatewayError) || err.kind !== 'InvalidParameter') {
        return fail('update', errorMessage(err));
      }
      refused = err;
    }

    emit({
      type: 'rollback-refused',
      message: `EKS refused the rollback update (${refused.message}); deleting and re-creating ${addonName}`,
      hop,
    });
    const lostBeforeDelete = await fenced();
    if (lostBeforeDelete !== undefined) return fail('recreate', lostBeforeDelete);
    try {
      // Not preserved: the re-created add-on must own its objects again, at the captured version.
      await eks.deleteAddon(clusterName, addonName, { preserve: false });
      emit({ type: 'addon-deleting', message: `deleting ${addonName}`, hop });
      const gone = await waitGone(hop);
      if (!gone) return fail('recreate', `${addonName} was not deleted within the time allowed`);
      emit({ type: 'addon-deleted', message: `${addonName} deleted`, hop });
      const lostBeforeCreate = await fenced();
      if (lostBeforeCreate !== undefined) return fail('recreate', lostBeforeCreate);
      await eks.createAddon({
        clusterName,
        addonName,
        addonVersion: captured.addonVersion,
        ...(captured.configurationValues !== undefined
          ? { configurationValues: captured.configurationValues }
          : {}),
        ...(captured.serviceAccountRoleArn !== undefined
          ? { serviceAccountRoleArn: captured.serviceAccountRoleArn }
          : {}),
        ...resolve,
      });
      emit({
        type: 'addon-creating',
        message: `creating ${addonName} ${captured.addonVersion}`,
        hop,
      });
      return done('recreate', await follow(captured.addonVersion, undefined, hop));
    } catch (err) {
      return fail('recreate', errorMessage(err));
    }

    function done(method: 'update' | 'recreate', settled: Settled) {
      if (!settled.ok) return fail(method, settled.reason);
      emit({
        type: 'rollback-succeeded',
        message: `${addonName} is ACTIVE at ${captured.addonVersion} again`,
        hop,
      });
      return { method, succeeded: true, reason: '' };
    }
    function fail(method: 'update' | 'recreate', reason: string) {
      emit({ type: 'rollback-failed', message: `rollback failed: ${reason}`, hop });
      return { method, succeeded: false, reason };
    }
  }

  async function waitGone(hop: string): Promise<boolean> {
    const start = now();
    for (;;) {
      try {
        if ((await eks.describeAddon(clusterName, addonName)) === undefined) return true;
      } catch (err) {
        if (!(err instanceof GatewayError) || !err.retryable) throw err;
        emit({ type: 'poll-error', message: `${err.operation}: ${err.message}`, hop });
      }
      if (now() - start >= timeoutMs) return false;
      await sleep(pollMs);
    }
  }
}

function restore<K extends 'configurationValues' | 'serviceAccountRoleArn'>(
  key: K,
  captured: string | undefined,
  current: string | undefined,
): Partial<Record<K, string>> {
  if (captured !== undefined) return { [key]: captured } as Partial<Record<K, string>>;
  return current !== undefined ? ({ [key]: '' } as Partial<Record<K, string>>) : {};
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An answer that says the call was not carried out (as opposed to one that may have been). */
function refusedOutright(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    (err.kind === 'AccessDenied' ||
      err.kind === 'Unauthenticated' ||
      err.kind === 'InvalidParameter' ||
      err.kind === 'InUse' ||
      err.kind === 'NotFound')
  );
}
