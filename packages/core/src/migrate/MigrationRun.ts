/**
 * One run of the executor as its parts share it: the plan, the dependencies, the lock, and the
 * fenced, retried way every call to AWS or Kubernetes goes out.
 */
import type { MigrationJournalEntry } from '../ports/MigrationStore';
import { sleep as timerSleep } from '../scan/timers';
import { withRetry, type RetryOptions } from '../scan/withRetry';
import type { ExecuteMigrationDeps, MigrationEvent } from './ExecuteMigrationDeps';
import type { MigrationPlan } from './MigrationPlan';
import { LeaseLostError, MigrationLock } from './migrationLock';

export const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 200, maxDelayMs: 5_000 };

export class MigrationRun {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  lock: MigrationLock | undefined;
  constructor(
    readonly runId: string,
    readonly plan: MigrationPlan,
    readonly deps: ExecuteMigrationDeps,
  ) {
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? timerSleep;
  }

  emit(type: MigrationEvent['type'], message: string, extra: Partial<MigrationEvent> = {}): void {
    this.deps.onEvent?.({ at: this.now().toISOString(), type, message, ...extra });
  }

  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    // Fenced: nothing more goes to AWS or Kubernetes once the lease is lost.
    if (this.lock?.lost) return Promise.reject(new LeaseLostError(this.lock.lost));
    return withRetry(fn, {
      ...DEFAULT_RETRY,
      ...this.deps.retry,
      onRetry: (e, attempt, delay) =>
        this.emit(
          'retry',
          `${what}: ${e instanceof Error ? e.message : String(e)}; retry ${attempt} in ${delay} ms`,
        ),
    });
  }

  journal(entry: Omit<MigrationJournalEntry, 'at'>): Promise<void> {
    return this.deps.store.append(this.runId, { at: this.now().toISOString(), ...entry });
  }

  /** Takes the cluster's migration lock for this run, held by this process. */
  acquireLock(): Promise<MigrationLock> {
    return MigrationLock.acquire(
      this.deps.kube,
      this.deps.holder ?? this.deps.actor,
      this.runId,
      this.leaseOptions(),
    );
  }

  /** The lease options of this run's lock. */
  leaseOptions() {
    return { ...this.deps.lease, now: this.now };
  }
}
