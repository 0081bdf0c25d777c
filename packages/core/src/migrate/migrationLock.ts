/**
 * Single-writer locks on a cluster: a Kubernetes Lease (coordination.k8s.io/v1) that a run holds
 * and renews. A second run is refused with who holds it and since when; a run whose process died
 * loses it once `leaseDurationSeconds` pass without renewal. The same run (resume, rollback) may
 * take its own lease back at once. `LeaseLock` is the mechanism, named per use: one migration per
 * cluster (`MigrationLock`), one upgrade per add-on (`UpgradeLock`, in ../upgrade).
 */
import { GatewayError } from '../ports/GatewayError';
import type { KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';
import { startTimer } from '../scan/timers';

export const MIGRATION_LEASE_NAME = 'kubectl-hyperpod-migration';
const RUN_ANNOTATION = 'kubectl-hyperpod.io/run';
const DEFAULT_NAMESPACE = 'kube-system';

export interface LeaseOptions {
  namespace?: string;
  /** Default 60 s; renewed every third of it. */
  durationSeconds?: number;
  now?: () => Date;
}

/** Who holds a lease, as the refusal reports it. */
export interface LeaseHolder {
  holder: string;
  /** The holder's acquireTime. */
  since?: string;
  runId?: string;
  /** When the lease lapses unless renewed. */
  expiresAt?: string;
}

/** Which lease a lock is, and how its refusal reads. */
export interface LeaseLockSpec {
  /** The Lease's name: a DNS subdomain name. */
  name: string;
  /** What the lock guards, as in "the <purpose> lock": `migration`, `vpc-cni upgrade`. */
  purpose: string;
  /** The error thrown when another live run holds the lease. */
  lockedError: (held: LeaseHolder) => LeaseLockedError;
}

/** Another live run holds the lease; nothing was changed. Subclasses name the lock. */
export class LeaseLockedError extends Error {
  readonly holder: string;
  readonly since: string | undefined;
  readonly runId: string | undefined;
  readonly expiresAt: string | undefined;

  constructor(
    /** The message's opening, e.g. `another migration holds this cluster`. */
    what: string,
    held: LeaseHolder,
  ) {
    super(
      `${what}: ${held.holder}${held.runId ? ` (run ${held.runId})` : ''}${held.since ? ` since ${held.since}` : ''}${held.expiresAt ? `; the lock expires at ${held.expiresAt} unless renewed` : ''}`,
    );
    this.holder = held.holder;
    this.since = held.since;
    this.runId = held.runId;
    this.expiresAt = held.expiresAt;
    this.name = 'LeaseLockedError';
  }
}

export class MigrationLockedError extends LeaseLockedError {
  constructor(
    holder: string,
    since: string | undefined,
    runId: string | undefined,
    expiresAt: string | undefined,
  ) {
    super('another migration holds this cluster', {
      holder,
      ...(since !== undefined ? { since } : {}),
      ...(runId !== undefined ? { runId } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    });
    this.name = 'MigrationLockedError';
  }
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * A named Lease lock. Construct it, then `acquire()` (takes the lease and renews it until
 * `release()` or `abandon()`), or `check()` (throws the spec's error when another live run holds
 * it; changes nothing).
 */
export class LeaseLock {
  private lease: KubeObject | undefined;
  private stopRenewal: (() => void) | undefined;
  private readonly ref: KubeRef;
  private readonly duration: number;
  private readonly now: () => Date;
  /** Set when a renewal found the lease taken or gone: the run must stop. */
  lost: string | undefined;

  constructor(
    private readonly kube: KubeGateway,
    private readonly spec: LeaseLockSpec,
    private readonly holder: string,
    private readonly runId: string,
    opts: LeaseOptions = {},
  ) {
    this.ref = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: opts.namespace ?? DEFAULT_NAMESPACE,
      name: spec.name,
    };
    this.duration = opts.durationSeconds ?? 60;
    this.now = opts.now ?? (() => new Date());
  }

  /** `namespace/name` of the Lease, for messages. */
  get leaseName(): string {
    return `${this.ref.namespace}/${this.ref.name}`;
  }

  /** Takes the lease (throws the spec's error when another live run holds it) and renews it. */
  async acquire(): Promise<this> {
    await this.take();
    this.stopRenewal = this.scheduleRenewal();
    return this;
  }

  /** Throws the spec's error when another live run holds the lease; changes nothing. */
  async check(): Promise<void> {
    const current = await this.kube.get(this.ref);
    if (current) this.heldByOther(current);
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
      this.heldByOther(current);
      try {
        this.lease = await this.kube.replace(this.body(current));
        return;
      } catch (e) {
        if (e instanceof GatewayError && (e.kind === 'Conflict' || e.kind === 'NotFound')) continue;
        throw e;
      }
    }
    throw new Error(`could not take the ${this.spec.purpose} lock: it kept changing under us`);
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
        this.lost = `the ${this.spec.purpose} lock was taken by someone else or deleted`;
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

  /** Throws the spec's error when the lease belongs to another run and has not lapsed. */
  private heldByOther(current: KubeObject): void {
    const spec = (current['spec'] ?? {}) as Record<string, unknown>;
    const ours = current.metadata.annotations?.[RUN_ANNOTATION] === this.runId;
    const renew = Date.parse(String(spec['renewTime'] ?? spec['acquireTime'] ?? ''));
    const ttl = Number(spec['leaseDurationSeconds'] ?? 0) * 1000;
    const expired = !Number.isFinite(renew) || renew + ttl < this.now().getTime();
    if (ours || expired) return;
    const runId = current.metadata.annotations?.[RUN_ANNOTATION];
    throw this.spec.lockedError({
      holder: String(spec['holderIdentity'] ?? 'unknown'),
      ...(typeof spec['acquireTime'] === 'string' ? { since: spec['acquireTime'] } : {}),
      ...(runId !== undefined ? { runId } : {}),
      ...(Number.isFinite(renew) ? { expiresAt: new Date(renew + ttl).toISOString() } : {}),
    });
  }
}

const MIGRATION_LOCK: LeaseLockSpec = {
  name: MIGRATION_LEASE_NAME,
  purpose: 'migration',
  lockedError: (h) => new MigrationLockedError(h.holder, h.since, h.runId, h.expiresAt),
};

/** One migration per cluster at a time: the Lease `kube-system/kubectl-hyperpod-migration`. */
export class MigrationLock extends LeaseLock {
  private constructor(kube: KubeGateway, holder: string, runId: string, opts: LeaseOptions) {
    super(kube, MIGRATION_LOCK, holder, runId, opts);
  }

  static async acquire(
    kube: KubeGateway,
    holder: string,
    runId: string,
    opts: LeaseOptions = {},
  ): Promise<MigrationLock> {
    return new MigrationLock(kube, holder, runId, opts).acquire();
  }

  /** Throws MigrationLockedError when another live run holds the cluster; changes nothing. */
  static async check(kube: KubeGateway, runId: string, opts: LeaseOptions = {}): Promise<void> {
    return new MigrationLock(kube, 'check', runId, opts).check();
  }
}
