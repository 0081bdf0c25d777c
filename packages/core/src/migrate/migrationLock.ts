/**
 * Single-writer locks on a cluster: a Kubernetes Lease (coordination.k8s.io/v1) that one process
 * holds and renews. The lease names the holding process, never the run: every lock gets its own
 * holder identity (`<holder>/<random>`), so a second process is refused while the first is alive,
 * whatever run it works on (a `--resume` of a run that is still running included). A lease whose
 * holder stopped renewing may be taken once `leaseDurationSeconds` pass, or at once when released.
 *
 * Fencing: every write to the lease is a compare-and-swap on its resourceVersion, and the executors
 * call `assertHeld()` before each step, so a process whose lease lapsed and was taken over (or was
 * deleted) stops before its next change instead of writing alongside the new holder
 * (docs/adr/0007-lease-lock-holder-per-process.md). `LeaseLock` is the mechanism, named per use:
 * one migration per cluster (`MigrationLock`), one upgrade per add-on (`UpgradeLock`, ../upgrade).
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
  /** The error thrown when a live holder has the lease. */
  lockedError: (held: LeaseHolder) => LeaseLockedError;
}

/** A live holder (another process) has the lease; nothing was changed. Subclasses name the lock. */
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

/** The lease this process held was lost (lapsed and taken over, or deleted): stop changing things. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** 12 random hex digits: what makes two holders on one host (or in one process) different. */
export function holderToken(): string {
  const bytes = new Uint8Array(6);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A named Lease lock held by one process. Construct it, then `acquire()` (takes the lease and
 * renews it until `release()` or `abandon()`), or `check()` (throws the spec's error when a live
 * holder has it; changes nothing). While held, `assertHeld()` proves it is still ours.
 */
export class LeaseLock {
  private lease: KubeObject | undefined;
  private stopRenewal: (() => void) | undefined;
  private readonly ref: KubeRef;
  private readonly duration: number;
  private readonly now: () => Date;
  /** When the lease was last written by us (ms since the epoch). */
  private renewedAt = 0;
  /** This process's identity in the lease's holderIdentity: `<holder>/<random>`. */
  readonly holderIdentity: string;
  /** Set when the lease was found taken, deleted or released: the run must stop. */
  lost: string | undefined;

  constructor(
    private readonly kube: KubeGateway,
    private readonly spec: LeaseLockSpec,
    holder: string,
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
    this.holderIdentity = `${holder}/${holderToken()}`;
  }

  /** `namespace/name` of the Lease, for messages. */
  get leaseName(): string {
    return `${this.ref.namespace}/${this.ref.name}`;
  }

  /** Takes the lease (throws the spec's error when a live holder has it) and renews it. */
  async acquire(): Promise<this> {
    await this.take();
    this.stopRenewal = this.scheduleRenewal();
    return this;
  }

  /** Throws the spec's error when a live holder has the lease; changes nothing. */
  async check(): Promise<void> {
    const current = await this.kube.get(this.ref);
    if (current) this.refuseIfLive(current);
  }

  private body(existing: KubeObject | undefined, takeover: boolean): KubeObject {
    const now = microTime(this.now());
    const spec = (existing?.['spec'] ?? {}) as Record<string, unknown>;
    return {
      apiVersion: this.ref.apiVersion,
      kind: 'Lease',
      metadata: {
        name: this.ref.name,
        namespace: this.ref.namespace,
        annotations: { [RUN_ANNOTATION]: this.runId },
        // The compare-and-swap: refused (409) when anyone wrote the lease since we read it.
        ...(existing?.metadata.resourceVersion
          ? { resourceVersion: existing.metadata.resourceVersion }
          : {}),
      },
      spec: {
        holderIdentity: this.holderIdentity,
        leaseDurationSeconds: this.duration,
        acquireTime:
          !takeover && typeof spec['acquireTime'] === 'string' ? spec['acquireTime'] : now,
        renewTime: now,
        leaseTransitions: Number(spec['leaseTransitions'] ?? 0) + (existing && takeover ? 1 : 0),
      },
    };
  }

  private async take(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.kube.get(this.ref);
      const at = this.now().getTime();
      if (!current) {
        try {
          this.lease = await this.kube.create(this.body(undefined, true));
          this.renewedAt = at;
          return;
        } catch (e) {
          if (e instanceof GatewayError && e.kind === 'Conflict') continue;
          throw e;
        }
      }
      // Never shared: a live holder keeps it, whatever run it works on.
      this.refuseIfLive(current);
      try {
        this.lease = await this.kube.replace(this.body(current, true));
        this.renewedAt = at;
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

  /**
   * Renews now: a replace at the resourceVersion we last wrote. Records `lost` when the lease is
   * gone or another holder wrote it; transient errors are left to the next tick.
   */
  async renew(): Promise<void> {
    for (let attempt = 0; attempt < 2 && !this.lost && this.lease; attempt++) {
      const at = this.now().getTime();
      try {
        this.lease = await this.kube.replace(this.body(this.lease, false));
        this.renewedAt = at;
        return;
      } catch (e) {
        if (!(e instanceof GatewayError)) return;
        if (e.kind === 'NotFound') {
          this.lost = `the ${this.spec.purpose} lock ${this.leaseName} was deleted while this process held it`;
          return;
        }
        if (e.kind !== 'Conflict') return;
        // Our own earlier write whose answer was lost bumps the version too: only we write our
        // identity, so a lease that still names us is ours, at its new version.
        const current = await this.kube.get(this.ref).catch(() => undefined);
        if (!current) return;
        const holder = (current['spec'] as Record<string, unknown> | undefined)?.['holderIdentity'];
        if (holder === this.holderIdentity) {
          this.lease = current;
          continue;
        }
        const run = current.metadata.annotations?.[RUN_ANNOTATION];
        this.lost = `the ${this.spec.purpose} lock ${this.leaseName} was taken over by ${String(holder ?? 'someone else')}${run ? ` (run ${run})` : ''}`;
      }
    }
  }

  /**
   * The fence, called before each step: renews the lease by compare-and-swap and throws
   * LeaseLostError unless it is still ours. A step that passes it has a whole lease duration
   * before anyone else may take over.
   */
  async assertHeld(): Promise<void> {
    if (this.lost) throw new LeaseLostError(this.lost);
    const before = this.renewedAt;
    await this.renew();
    if (this.lost) throw new LeaseLostError(this.lost);
    if (this.renewedAt === before && this.now().getTime() - before >= this.duration * 1000) {
      // Not renewed for a whole lease duration: another process may take it at any moment.
      this.lost = `the ${this.spec.purpose} lock ${this.leaseName} could not be renewed for ${this.duration} s`;
      throw new LeaseLostError(this.lost);
    }
  }

  /** Stops renewing and deletes the lease if it is still ours; later assertHeld() calls throw. */
  async release(): Promise<void> {
    this.stopRenewal?.();
    const wasLost = this.lost;
    this.lost ??= `the ${this.spec.purpose} lock ${this.leaseName} was released`;
    if (wasLost) return;
    const current = await this.kube.get(this.ref);
    const holder = (current?.['spec'] as Record<string, unknown> | undefined)?.['holderIdentity'];
    if (current && holder === this.holderIdentity) await this.kube.delete(this.ref);
  }

  /** Stops renewing without deleting (the process is going away; the lease expires). */
  abandon(): void {
    this.stopRenewal?.();
  }

  /** Throws the spec's error when the lease has a holder that has not let it lapse. */
  private refuseIfLive(current: KubeObject): void {
    const spec = (current['spec'] ?? {}) as Record<string, unknown>;
    const renew = Date.parse(String(spec['renewTime'] ?? spec['acquireTime'] ?? ''));
    const ttl = Number(spec['leaseDurationSeconds'] ?? 0) * 1000;
    const expired = !Number.isFinite(renew) || renew + ttl < this.now().getTime();
    if (expired || spec['holderIdentity'] === undefined || spec['holderIdentity'] === '') return;
    const runId = current.metadata.annotations?.[RUN_ANNOTATION];
    throw this.spec.lockedError({
      holder: String(spec['holderIdentity']),
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

  /** Throws MigrationLockedError when a live holder has the cluster; changes nothing. */
  static async check(kube: KubeGateway, runId: string, opts: LeaseOptions = {}): Promise<void> {
    return new MigrationLock(kube, 'check', runId, opts).check();
  }
}
