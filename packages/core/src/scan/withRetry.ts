/**
 * Retries a call that failed for a reason retrying can fix (throttling, 5xx, timeouts), with
 * exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * sleep a random time in [0, min(maxDelay, base * 2^attempt)), so clients throttled together do
 * not retry together.
 */
import { GatewayError } from '../ports/GatewayError';
import { sleep } from './timers';

export interface RetryOptions {
  /** Total tries, the first included. Default 4. */
  attempts?: number;
  /** Default 100 ms. */
  baseDelayMs?: number;
  /** Default 5000 ms. */
  maxDelayMs?: number;
  /** Default: a GatewayError whose `retryable` is true. */
  isRetryable?: (error: unknown) => boolean;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * The wait before a retry, when the caller knows better than the backoff (a paced caller
   * retries a throttled call at once: the pacer's next token is the wait). Undefined = backoff.
   */
  delayFor?: (error: unknown, attempt: number) => number | undefined;
  /** Called before each retry (progress, metrics). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export function isRetryableError(error: unknown): boolean {
  return error instanceof GatewayError && error.retryable;
}

/** The full-jitter delay before retry number `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 5000;
  const retryable = opts.isRetryable ?? isRetryableError;
  const wait = opts.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt + 1 >= attempts || !retryable(error)) throw error;
      const delay =
        opts.delayFor?.(error, attempt) ?? backoffDelay(attempt, base, max, opts.random);
      opts.onRetry?.(error, attempt + 1, delay);
      if (delay > 0) await wait(delay);
    }
  }
}
