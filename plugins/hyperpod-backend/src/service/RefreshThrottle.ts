/**
 * Limits on-demand scans, which cost AWS and Kubernetes API calls on every cluster they touch: a
 * cluster is rescanned on request at most once per `clusterIntervalMs` (whoever asks), each caller
 * may ask for a whole-fleet scan at most once per `fleetIntervalMs`, and for at most
 * `userClusterLimit` cluster scans a minute. A refusal says when to try again (429 with
 * Retry-After). The windows are kept per replica (in memory): behind a load balancer with N
 * replicas a caller gets at most N times the limit, which still bounds a loop of refreshes.
 */
import type { Response } from 'express';

export interface RefreshLimits {
  clusterIntervalMs: number;
  fleetIntervalMs: number;
  userClusterLimit: number;
}

/** What one refresh asks for: each named window with how many it allows in how long. */
export interface Ask {
  key: string;
  limit: number;
  windowMs: number;
  /** Said in the 429 message: what was asked too often. */
  what: string;
}

export class RefreshThrottle {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limits: RefreshLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** The asks of a whole-fleet scan by `caller`. */
  fleet(caller: string): Ask[] {
    return [
      {
        key: `fleet\u0000${caller}`,
        limit: 1,
        windowMs: this.limits.fleetIntervalMs,
        what: 'a fleet refresh',
      },
    ];
  }

  /** The asks of a scan of one cluster by `caller`. */
  cluster(caller: string, clusterId: string, clusterName: string): Ask[] {
    return [
      {
        key: `cluster\u0000${clusterId}`,
        limit: 1,
        windowMs: this.limits.clusterIntervalMs,
        what: `a refresh of ${clusterName}`,
      },
      {
        key: `user-clusters\u0000${caller}`,
        limit: this.limits.userClusterLimit,
        windowMs: 60_000,
        what: `more than ${this.limits.userClusterLimit} cluster refreshes a minute`,
      },
    ];
  }

  /**
   * Takes every ask or none: undefined when allowed (and counted), else the refusal with the
   * milliseconds until the earliest retry that could pass.
   */
  take(asks: Ask[]): { retryAfterMs: number; message: string } | undefined {
    const now = this.now();
    let refusal: { retryAfterMs: number; message: string } | undefined;
    for (const a of asks) {
      const recent = (this.hits.get(a.key) ?? []).filter((t) => now - t < a.windowMs);
      this.hits.set(a.key, recent);
      if (recent.length >= a.limit) {
        const retryAfterMs = recent[recent.length - a.limit]! + a.windowMs - now;
        if (!refusal || retryAfterMs > refusal.retryAfterMs)
          refusal = {
            retryAfterMs,
            message: `too many refreshes: ${a.what} was already asked for within the last ${Math.round(a.windowMs / 1000)} s; the last scan is served meanwhile, try again in ${Math.ceil(retryAfterMs / 1000)} s`,
          };
      }
    }
    if (refusal) return refusal;
    for (const a of asks) this.hits.get(a.key)!.push(now);
    return undefined;
  }
}

/** Sends a refusal as Backstage's error body with status 429 and Retry-After (seconds). */
export function sendTooManyRequests(
  res: Response,
  refusal: { retryAfterMs: number; message: string },
): void {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))));
  res.status(429).json({
    error: { name: 'TooManyRequestsError', message: refusal.message },
    response: { statusCode: 429 },
  });
}
