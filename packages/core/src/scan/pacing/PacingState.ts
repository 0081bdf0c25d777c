/**
 * What a fleet scan has learned about one account and region's API rate limit, and the pure rules
 * that change it (additive increase, multiplicative decrease: AIMD, as TCP congestion control).
 * Serialisable, so the CLI keeps it in its cache directory and backend replicas share it through
 * the Backstage cache; every function takes the time as an argument.
 */

export interface PacingState {
  /** Requests per second the whole scope (every process that paces it) is allowed to send. */
  rate: number;
  /** The rate at which the last throttling answer came; undefined = never throttled. */
  ceiling?: number;
  /** When the rate was last cut (ms since epoch). A throttled call sent before it cuts nothing. */
  cutAt?: number;
  /**
   * The cut the last cut was made on top of (its `cutAt`), when there was one: a cut that knew of
   * another is not the same episode as it, however close in time.
   */
  afterCutAt?: number;
  /** Since when the rate has risen without a cut (ms): the probe speeds up with this age. */
  probeSince: number;
  /** When this state was last changed (ms). */
  updatedAt: number;
}

export interface PacingParams {
  /** Where a scope nobody has learned yet starts. Default 10 requests/s. */
  startRate: number;
  /** Never below. Default 0.5 requests/s. */
  minRate: number;
  /** Never above. Default 200 requests/s. */
  maxRate: number;
  /** The additive increase, in requests/s per second of successful calls. Default 0.05. */
  increase: number;
  /** The increase doubles every this many ms without a cut (a limit that was raised is found again). Default 20 s. */
  doublingMs: number;
  /** The increase never exceeds this (requests/s per second). Default 2. */
  maxIncrease: number;
  /** A throttling answer multiplies the rate by this. Default 0.9. */
  cut: number;
}

export const DEFAULT_PACING: PacingParams = {
  startRate: 10,
  minRate: 0.5,
  maxRate: 200,
  increase: 0.05,
  doublingMs: 20_000,
  maxIncrease: 2,
  cut: 0.9,
};

export function initialPacing(now: number, params: PacingParams = DEFAULT_PACING): PacingState {
  return { rate: params.startRate, probeSince: now, updatedAt: now };
}

/** The current additive increase (requests/s per second): `increase`, doubled per `doublingMs` since the last cut. */
export function pacingIncrease(
  state: PacingState,
  now: number,
  params: PacingParams = DEFAULT_PACING,
): number {
  const doublings = Math.max(0, Math.floor((now - state.probeSince) / params.doublingMs));
  return Math.min(params.maxIncrease, params.increase * 2 ** doublings);
}

/**
 * One call succeeded: the rate rises by increase/rate, so calls at the full rate raise it by
 * `increase` per second, and a scope with little to do does not raise it blindly.
 */
export function pacingSucceeded(
  state: PacingState,
  now: number,
  params: PacingParams = DEFAULT_PACING,
): PacingState {
  const rate = Math.min(
    params.maxRate,
    state.rate + pacingIncrease(state, now, params) / state.rate,
  );
  return { ...state, rate, updatedAt: now };
}

/**
 * One call sent at `sentAt` was throttled. Only the first throttling answer to calls sent at a
 * given rate cuts it: answers to calls sent before the last cut say nothing about the new rate.
 */
export function pacingThrottled(
  state: PacingState,
  sentAt: number,
  now: number,
  params: PacingParams = DEFAULT_PACING,
): PacingState {
  if (state.cutAt !== undefined && sentAt < state.cutAt) return state;
  return {
    rate: Math.max(params.minRate, state.rate * params.cut),
    ceiling: state.rate,
    cutAt: now,
    ...(state.cutAt !== undefined ? { afterCutAt: state.cutAt } : {}),
    probeSince: now,
    updatedAt: now,
  };
}

/**
 * Two views of one scope (this process's and the shared one): the one with the latest cut wins,
 * since it knows of a throttling the other has not seen; with the same cut, the higher rate (each
 * has only counted its own successes). Cuts less than `episodeMs` apart are one episode seen by
 * two processes before either heard of the other's cut: it is cut once, so the higher rate stays.
 * A cut made on top of the other (a process cutting again after its first cut was shared, as it
 * must when the limit dropped far) is no such episode: it wins.
 */
export function mergePacing(a: PacingState, b: PacingState, episodeMs = 0): PacingState {
  const ca = a.cutAt ?? -Infinity;
  const cb = b.cutAt ?? -Infinity;
  const [later, earlier] = ca > cb ? [a, b] : [b, a];
  const knewOfEarlier = later.afterCutAt !== undefined && later.afterCutAt >= (earlier.cutAt ?? 0);
  if (ca !== cb && (knewOfEarlier || !(Math.abs(ca - cb) < episodeMs))) return later;
  const [hi, lo] = a.rate >= b.rate ? [a, b] : [b, a];
  if (ca === cb) return hi;
  // One episode: the later cut's time (answers to calls sent before it cut nothing), the higher rate.
  return {
    ...hi,
    cutAt: later.cutAt!,
    ...(later.afterCutAt !== undefined ? { afterCutAt: later.afterCutAt } : {}),
    probeSince: Math.max(hi.probeSince, lo.probeSince),
  };
}

/** A stored state, or undefined when it is not one (a file edited by hand, an older shape). */
export function parsePacingState(value: unknown): PacingState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!num(v['rate']) || !(v['rate'] > 0) || !num(v['probeSince']) || !num(v['updatedAt']))
    return undefined;
  if (v['ceiling'] !== undefined && !num(v['ceiling'])) return undefined;
  if (v['cutAt'] !== undefined && !num(v['cutAt'])) return undefined;
  if (v['afterCutAt'] !== undefined && !num(v['afterCutAt'])) return undefined;
  return {
    rate: v['rate'],
    probeSince: v['probeSince'],
    updatedAt: v['updatedAt'],
    ...(v['ceiling'] !== undefined ? { ceiling: v['ceiling'] as number } : {}),
    ...(v['cutAt'] !== undefined ? { cutAt: v['cutAt'] as number } : {}),
    ...(v['afterCutAt'] !== undefined ? { afterCutAt: v['afterCutAt'] as number } : {}),
  };
}
