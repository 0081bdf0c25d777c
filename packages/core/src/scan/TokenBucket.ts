/**
 * A client-side token bucket: `take()` resolves when a request may be sent, in FIFO order, at most
 * `rate` per second after an initial `burst`. Pacing at the account's known limit means no call
 * is refused and retried, so a fleet scan runs at the limit instead of oscillating around it.
 */
import { startTimer } from './timers';

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiting: (() => void)[] = [];
  private timer: (() => void) | undefined;

  constructor(
    readonly rate: number,
    private readonly burst: number = Math.max(1, rate / 2),
    private readonly now: () => number = Date.now,
  ) {
    if (!(rate > 0)) throw new RangeError(`rate must be > 0 requests per second, got ${rate}`);
    this.tokens = burst;
    this.last = now();
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.drain();
    });
  }

  private drain(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    while (this.waiting.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiting.shift()!();
    }
    if (this.waiting.length > 0 && this.timer === undefined) {
      const waitMs = Math.ceil(((1 - this.tokens) / this.rate) * 1000);
      this.timer = startTimer(waitMs, () => {
        this.timer = undefined;
        this.drain();
      });
    }
  }
}
