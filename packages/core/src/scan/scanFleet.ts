/**
 * Scans many clusters, yielding each report as soon as it is done. Concurrency is bounded
 * overall and per (account, region), because EKS rate limits are per account and region: a fleet
 * concentrated in one region must not throttle itself. A cluster that takes too long becomes a
 * report with a Timeout error; one that throws becomes a report with the error.
 */
import type { ClusterReport } from '../report/ClusterReport';
import type { ClusterTarget } from './ClusterObservation';
import { clusterErrorReport } from './clusterErrorReport';
import { toScanError } from './observeCluster';
import { startTimer } from './timers';

export interface ScanContext {
  /** True once the cluster's time is up or the consumer stopped: issue no new calls. */
  isCancelled(): boolean;
}

export type ScanOne = (target: ClusterTarget, ctx: ScanContext) => Promise<ClusterReport>;

export interface ScanFleetOptions {
  /** Clusters scanned at once, overall. Default 32. */
  concurrency?: number;
  /**
   * Clusters scanned at once per (account, region), or a function of the target asked each time
   * one could start (a paced scan keeps a few seconds of calls queued per scope). Default 8.
   */
  concurrencyPerRegion?: number | ((target: ClusterTarget) => number);
  /** Per-cluster time limit. Default 120 s. */
  timeoutMs?: number;
  /** Called when a cluster's scan starts (progress on stderr). */
  onStart?: (target: ClusterTarget) => void;
  now?: () => number;
}

/** The rate-limit scope of a target: account and region, or the target itself when neither is known. */
export function scanScope(t: ClusterTarget): string {
  return t.accountId === undefined && t.region === undefined
    ? `target:${t.context ?? t.name}`
    : `${t.accountId ?? ''}/${t.region ?? ''}`;
}

export async function* scanFleet(
  targets: Iterable<ClusterTarget>,
  scanOne: ScanOne,
  opts: ScanFleetOptions = {},
): AsyncGenerator<ClusterReport> {
  const concurrency = Math.max(1, opts.concurrency ?? 32);
  const perRegion = opts.concurrencyPerRegion ?? 8;
  const perScope = (t: ClusterTarget): number =>
    Math.max(1, typeof perRegion === 'function' ? perRegion(t) : perRegion);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const now = opts.now ?? Date.now;
  const pending = [...targets];
  const running = new Map<string, number>();
  const done: ClusterReport[] = [];
  let inFlight = 0;
  let closed = false;
  let wake: (() => void) | undefined;

  const run = (target: ClusterTarget): Promise<ClusterReport> => {
    const started = now();
    let cancelled = false;
    const ctx: ScanContext = { isCancelled: () => cancelled || closed };
    return new Promise<ClusterReport>((resolve) => {
      const stop = startTimer(timeoutMs, () => {
        cancelled = true;
        resolve(
          clusterErrorReport(
            target,
            [
              {
                kind: 'Timeout',
                message: `no answer within ${timeoutMs} ms`,
                service: 'scan',
                operation: 'scan cluster',
                step: 'scan cluster',
              },
            ],
            started,
            now() - started,
          ),
        );
      });
      let scan: Promise<ClusterReport>;
      try {
        scan = scanOne(target, ctx);
      } catch (error) {
        scan = Promise.reject(error);
      }
      scan.then(
        (report) => {
          stop();
          resolve(report);
        },
        (error: unknown) => {
          stop();
          resolve(
            clusterErrorReport(
              target,
              [toScanError('scan cluster', error)],
              started,
              now() - started,
            ),
          );
        },
      );
    });
  };

  const launch = (): void => {
    for (let i = 0; i < pending.length && inFlight < concurrency && !closed;) {
      const target = pending[i]!;
      const scope = scanScope(target);
      if ((running.get(scope) ?? 0) >= perScope(target)) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      inFlight++;
      running.set(scope, (running.get(scope) ?? 0) + 1);
      opts.onStart?.(target);
      void run(target).then((report) => {
        inFlight--;
        running.set(scope, running.get(scope)! - 1);
        done.push(report);
        launch();
        wake?.();
      });
    }
  };

  try {
    launch();
    while (pending.length > 0 || inFlight > 0 || done.length > 0) {
      const next = done.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    closed = true;
  }
}
