/**
 * One migration per cluster at a time: a Kubernetes Lease (coordination.k8s.io/v1) that the run
 * holds and renews. A second run is refused with who holds it and since when; a run whose process
 * died loses it once `leaseDurationSeconds` pass without renewal. The same run (resume, rollback)
 * may take its own lease back at once.
 */
import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';
import { startTimer } from '../scan/timers';

export const MIGRATION_LEASE_NAME = 'kubectl-hyperpod-migration';
const RUN_ANNOTATION = 'kubectl-hyperpod.io/run';

export interface LeaseOptions {
  namespace?: string;
  /** Default 60 s; renewed every third of it. */
  durationSeconds?: number;
  now?: () => Date;
}

export class MigrationLockedError extends Error {
  constructor(
    readonly holder: string,
    readonly since: string | undefined,
    readonly runId: string | undefined,
    readonly expiresAt: string | undefined,
  ) {
    super(
      `another migration holds this cluster: ${holder}${runId ? ` (run ${runId})` : ''}${since ? ` since ${since}` : ''}${expiresAt ? `; the lock expires at ${expiresAt} unless renewed` : ''}`,
    );
    this.name = 'MigrationLockedError';
  }
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class MigrationLock {
  private lease: KubeObject | undefined;
  private stopRenewal: (() => void) | undefined;
  /** Set when a renewal found the lease taken or gone: the run must stop. */
  lost: string | undefined;

  private constructor(
    private readonly kube: KubeGateway,
    private readonly ref: KubeRef,
    private readonly holder: string,
    private readonly runId: string,
    private readonly duration: number,
    private readonly now: () => Date,
  ) {}

  static async acquire(
    kube: KubeGateway,
    holder: string,
    runId: string,
    opts: LeaseOptions = {},
  ): Promise<MigrationLock> {
    const ref: KubeRef = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: opts.namespace ?? 'kube-system',
      name: MIGRATION_LEASE_NAME,
    };
    const lock = new MigrationLock(
      kube,
      ref,
      holder,
      runId,
      opts.durationSeconds ?? 60,
      opts.now ?? (() => new Date()),
    );
    await lock.take();
    lock.stopRenewal = lock.scheduleRenewal();
    return lock;
  }

  /** Throws MigrationLockedError when another live run holds the cluster; changes nothing. */
  static async check(kube: KubeGateway, runId: string, opts: LeaseOptions = {}): Promise<void> {
    const current = await kube.get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: opts.namespace ?? 'kube-system',
      name: MIGRATION_LEASE_NAME,
    });
    if (current) heldByOther(current, runId, (opts.now ?? (() => new Date()))());
  }

  private body(existing?: KubeObject): KubeObject {
    const now = microTime(this.now());
    const spec = (existing?.['spec'] ?? {}) as Record<string, unknown>;
    const sameHolder = existing?.metadata.annotations?.[RUN_ANNOTATION] === this.runId;
    return {
      apiVersion: this.ref.apiVersion,
      kind: 'Lease',
      metadata: {
        name: this.ref.name,
        namespace: this.ref.namespace,
        annotations: { [RUN_ANNOTATION]: this.runId },
        ...(existing?.metadata.resourceVersion
          ? { resourceVersion: existing.metadata.resourceVersion }
          : {}),
      },
      spec: {
        holderIdentity: this.holder,
        leaseDurationSeconds: this.duration,
        acquireTime:
          sameHolder && typeof spec['acquireTime'] === 'string' ? spec['acquireTime'] : now,
        renewTime: now,
        leaseTransitions: Number(spec['leaseTransitions'] ?? 0) + (existing && !sameHolder ? 1 : 0),
      },
    };
  }

  private async take(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.kube.get(this.ref);
      if (!current) {
        try {
          this.lease = await this.kube.create(this.body());
          return;
        } catch (e) {
          if (e instanceof GatewayError && e.kind === 'Conflict') continue;
          throw e;
        }
      }
      heldByOther(current, this.runId, this.now());
      try {
        this.lease = await this.kube.replace(this.body(current));
        return;
      } catch (e) {
        if (e instanceof GatewayError && (e.kind === 'Conflict' || e.kind === 'NotFound')) continue;
        throw e;
      }
    }
    throw new Error('could not take the migration lock: it kept changing under us');
  }

  private scheduleRenewal(): () => void {
    let cancel = (): void => {};
    let stopped = false;
    const tick = () => {
      cancel = startTimer((this.duration * 1000) / 3, () => {
        void this.renew().finally(() => {
          if (!stopped && !this.lost) tick();
        });
      });
    };
    tick();
    return () => {
      stopped = true;
      cancel();
    };
  }

  /** Renews now; records `lost` when the lease is no longer ours. */
  async renew(): Promise<void> {
    try {
      this.lease = await this.kube.replace(this.body(this.lease));
    } catch (e) {
      if (e instanceof GatewayError && (e.kind === 'Conflict' || e.kind === 'NotFound')) {
        this.lost = 'the migration lock was taken by someone else or deleted';
      }
      // Transient errors: the next tick retries; the lease lasts three ticks.
    }
  }

  /** Stops renewing and deletes the lease if it is still ours. */
  async release(): Promise<void> {
    this.stopRenewal?.();
    const current = await this.kube.get(this.ref);
    if (current?.metadata.annotations?.[RUN_ANNOTATION] === this.runId)
      await this.kube.delete(this.ref);
  }

  /** Stops renewing without deleting (the process is going away; the lease expires). */
  abandon(): void {
    this.stopRenewal?.();
  }
}

/** Throws MigrationLockedError when the lease belongs to another run and has not lapsed. */
function heldByOther(current: KubeObject, runId: string, now: Date): void {
  const spec = (current['spec'] ?? {}) as Record<string, unknown>;
  const ours = current.metadata.annotations?.[RUN_ANNOTATION] === runId;
  const renew = Date.parse(String(spec['renewTime'] ?? spec['acquireTime'] ?? ''));
  const ttl = Number(spec['leaseDurationSeconds'] ?? 0) * 1000;
  const expired = !Number.isFinite(renew) || renew + ttl < now.getTime();
  if (ours || expired) return;
  throw new MigrationLockedError(
    String(spec['holderIdentity'] ?? 'unknown'),
    typeof spec['acquireTime'] === 'string' ? spec['acquireTime'] : undefined,
    current.metadata.annotations?.[RUN_ANNOTATION],
    Number.isFinite(renew) ? new Date(renew + ttl).toISOString() : undefined,
  );
}
