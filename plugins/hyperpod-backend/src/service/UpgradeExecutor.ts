/**
 * Carries out approved upgrade requests. Every replica polls; a request is run by the replica
 * whose conditional UPDATE moved it from approved to running (exactly one), under the add-on's
 * Lease when the cluster has a kubeconfig context. The running replica renews a heartbeat; a
 * request whose heartbeat stopped (the replica died) is taken over by another one, which looks at
 * the add-on and finishes the request: succeeded when it is ACTIVE at the target, back to approved
 * (run again from where it is) when it is ACTIVE elsewhere, needs-attention otherwise (or after
 * MAX_UPGRADE_ATTEMPTS runs). Never left running. That decision is core's lostUpgradeVerdict.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AddonNotInstalledError,
  executeUpgrade,
  lostUpgradeVerdict,
  prepareUpgrade,
  requestStateForOutcome,
  runUpgradeLocked,
  settledAddon,
  upgradeRequestOutcome,
  type ExecuteUpgradeDeps,
  type UpgradeOutcome,
  type UpgradeRequest,
} from '@hyperpod/core';
import { missingPermissionLine, missingPermissionOfText, refusalLine } from '@hyperpod/core-node';
import type { HyperpodConfig } from './config';
import type { FleetGateways } from './FleetGateways';
import type { FleetService } from './FleetService';
import type { RequestStore, RunningRequest } from '../database/RequestStore';

/** How many times a run waits for another holder's upgrade lease to lapse before it is refused. */
const LEASE_WAITS = 3;

/** The actor recorded for the executor's transitions. */
export const EXECUTOR_ACTOR = 'hyperpod-backend';

export class UpgradeExecutor {
  readonly instanceId = `${hostname()}-${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, Promise<void>>();
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: RequestStore;
      fleet: FleetService;
      gateways: FleetGateways;
      config: HyperpodConfig;
      logger: LoggerService;
      auditor: AuditorService;
      onChange: () => Promise<void>;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Requests this replica is running now. */
  get running(): string[] {
    return [...this.active.keys()];
  }

  /** One round: recover lost runs, then claim and start every approved request it can. */
  tick(): Promise<void> {
    if (!this.deps.config.executor.enabled) return Promise.resolve();
    this.ticking ??= this.round().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    await this.recover();
    for (const id of await this.deps.store.approvedIds()) {
      if (this.stopped) return;
      const claimed = await this.deps.store.transition(
        id,
        ['approved'],
        'running',
        EXECUTOR_ACTOR,
        {
          note: `claimed by ${this.instanceId}`,
          claim: { by: this.instanceId, heartbeatAt: this.now(), attempt: true },
        },
      );
      if (!claimed) continue; // another replica was first
      const request = (await this.deps.store.get(id))!;
      await this.deps.onChange();
      this.track(id, this.run(request));
    }
  }

  private track(id: string, p: Promise<void>): void {
    this.active.set(
      id,
      p
        .catch((e: unknown) =>
          this.deps.logger.error(`upgrade request ${id}: ${e instanceof Error ? e.message : e}`),
        )
        .finally(() => this.active.delete(id)),
    );
  }

  /** Waits for this replica's runs (tests, shutdown with time to spare). */
  async idle(): Promise<void> {
    await this.ticking;
    await Promise.all(this.active.values());
  }

  stop(): void {
    this.stopped = true;
  }

  private heartbeat(id: string): () => void {
    const every = Math.max(50, Math.floor(this.deps.config.executor.staleAfterMs / 3));
    const timer = setInterval(() => {
      if (this.stopped) return;
      this.deps.store.heartbeat(id, this.instanceId, this.now()).then(
        (held) => {
          if (!held) this.deps.logger.warn(`upgrade request ${id}: another replica took it over`);
        },
        (e: unknown) =>
          this.deps.logger.warn(`upgrade request ${id}: heartbeat failed: ${String(e)}`),
      );
    }, every);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  private async finish(
    id: string,
    to: UpgradeRequest['state'],
    note: string,
    outcome?: UpgradeOutcome,
  ): Promise<void> {
    if (this.stopped) return;
    // The add-on changed (or may have): rescan first, so that once the request shows its end
    // the cluster's report (add-on list, fleet page) shows where the add-on is now.
    const clusterId = (await this.deps.store.get(id))?.cluster.id;
    if (clusterId) await this.deps.fleet.rescan(clusterId);
    if (this.stopped) return;
    const done = await this.deps.store.transition(id, ['running'], to, EXECUTOR_ACTOR, {
      note,
      claimedBy: this.instanceId,
      ...(outcome ? { outcome: upgradeRequestOutcome(outcome) } : {}),
      claim: { by: null, heartbeatAt: null },
    });
    if (!done)
      this.deps.logger.warn(`upgrade request ${id}: finished as ${to}, but no longer ours`);
    await this.deps.onChange();
  }

  private async run(request: UpgradeRequest): Promise<void> {
    const { config, gateways, fleet, store, logger } = this.deps;
    const stopHeartbeat = this.heartbeat(request.id);
    const audit = await this.deps.auditor.createEvent({
      eventId: 'upgrade-run',
      severityLevel: 'high',
      meta: {
        requestId: request.id,
        cluster: request.cluster.id,
        addon: request.addonName,
        to: request.targetVersion,
        replica: this.instanceId,
      },
    });
    let result: { status: string; message: string } = { status: 'failed', message: 'not run' };
    try {
      const entry = await fleet.find(request.cluster.id).catch(() => undefined);
      if (!entry) {
        await this.finish(
          request.id,
          'failed',
          `cluster ${request.cluster.id} is no longer in the fleet`,
        );
        return;
      }
      const eks = gateways.eks(entry.target);
      const kube = await gateways.kube(entry.target).catch(() => undefined);
      const plan = await prepareUpgrade(eks, {
        clusterName: entry.target.name,
        addonName: request.addonName,
        target: request.targetVersion,
      });
      const deps: ExecuteUpgradeDeps = {
        eks,
        pollMs: config.executor.upgradePollMs,
        timeoutMs: config.executor.upgradeTimeoutMs,
        degradedGraceMs: config.executor.degradedGraceMs,
        onCaptured: (c) => store.setCaptured(request.id, this.instanceId, c),
        onEvent: (e) =>
          logger.info(
            `upgrade request ${request.id} ${request.addonName}: ${e.type}: ${e.message}`,
          ),
      };
      const outcome = kube
        ? await this.runWhenLeaseFree(request, () =>
            runUpgradeLocked(plan, {
              ...deps,
              kube,
              holder: `${EXECUTOR_ACTOR}@${this.instanceId}`,
              runId: request.id,
            }),
          )
        : await executeUpgrade(plan, deps);
      result = outcome;
      // A refused call: the request's history names the permission and the file granting it.
      const refused = missingPermissionOfText(outcome.message, { forSet: 'upgrade' });
      await this.finish(
        request.id,
        requestStateForOutcome(outcome.status),
        refused ? `${outcome.status}: ${missingPermissionLine(refused)}` : outcome.message,
        outcome,
      );
    } catch (e) {
      const message =
        e instanceof AddonNotInstalledError
          ? e.message
          : `the upgrade could not run: ${refusalLine(e, 'upgrade') ?? (e instanceof Error ? e.message : String(e))}`;
      result = { status: 'failed', message };
      await this.finish(request.id, 'failed', message);
    } finally {
      stopHeartbeat();
      if (result.status === 'succeeded') await audit.success({ meta: { status: result.status } });
      else await audit.fail({ meta: { status: result.status }, error: new Error(result.message) });
    }
  }

  /**
   * Runs `attempt` until the add-on's upgrade lease is free. A replica that died mid-run leaves
   * its lease behind until it lapses (no other process may share a live holder's lease); the
   * request stays running here, with its heartbeat, while the lease runs out, then goes ahead.
   * A lease that is still held after LEASE_WAITS lapses (another live run renews it) is the refusal.
   */
  private async runWhenLeaseFree(
    request: UpgradeRequest,
    attempt: () => Promise<UpgradeOutcome>,
  ): Promise<UpgradeOutcome> {
    for (let waits = 0; ; waits++) {
      const outcome = await attempt();
      const expiresAt = outcome.heldBy?.expiresAt;
      if (outcome.status !== 'refused' || !expiresAt || waits >= LEASE_WAITS || this.stopped)
        return outcome;
      const wait = Math.min(Math.max(0, Date.parse(expiresAt) - this.now()) + 1000, 5 * 60_000);
      this.deps.logger.info(
        `upgrade request ${request.id}: the add-on's lease is held by ${outcome.heldBy!.holder} until ${expiresAt}; waiting ${wait} ms for it to lapse`,
      );
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Finishes requests whose executor stopped reporting (it crashed or lost the database). */
  private async recover(): Promise<void> {
    const { store, config } = this.deps;
    const stale = await store.staleRunning(this.now() - config.executor.staleAfterMs);
    for (const s of stale) {
      if (this.stopped || this.active.has(s.request.id)) continue;
      if (!(await store.takeOver(s.request.id, s.heartbeatAt, this.instanceId, this.now())))
        continue;
      this.track(s.request.id, this.settle(s));
    }
  }

  private async settle(s: RunningRequest): Promise<void> {
    const { request } = s;
    const lost = `the replica running it (${s.claimedBy ?? 'unknown'}) stopped reporting`;
    const stopHeartbeat = this.heartbeat(request.id);
    try {
      const entry = await this.deps.fleet.find(request.cluster.id);
      const eks = this.deps.gateways.eks(entry.target);
      const { addon, stopped } = await settledAddon(
        () => eks.describeAddon(entry.target.name, request.addonName),
        {
          timeoutMs: this.deps.config.executor.upgradeTimeoutMs,
          pollMs: this.deps.config.executor.upgradePollMs,
          now: () => this.now(),
          stopped: () => this.stopped,
        },
      );
      if (stopped) return;
      const verdict = lostUpgradeVerdict({
        request,
        addon,
        lost,
        ...(s.captured?.addonVersion ? { capturedVersion: s.captured.addonVersion } : {}),
      });
      if (verdict.to === 'approved') {
        if (this.stopped) return;
        await this.deps.store.transition(request.id, ['running'], 'approved', EXECUTOR_ACTOR, {
          note: verdict.note,
          claimedBy: this.instanceId,
          claim: { by: null, heartbeatAt: null },
        });
        await this.deps.onChange();
      } else {
        await this.finish(request.id, verdict.to, verdict.note);
      }
    } catch (e) {
      await this.finish(
        request.id,
        'needs-attention',
        `${lost}, and its add-on could not be read: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      stopHeartbeat();
    }
  }
}
