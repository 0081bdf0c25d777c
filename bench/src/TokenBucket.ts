/**
 * A client-side token bucket: `take()` resolves when a request may be sent, in FIFO order, at
 * most `rate` per second after an initial burst. Pacing at the server's known limit means no call
 * is refused and retried, so a scan runs at the limit instead of oscillating around it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiting: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate,
    private readonly now: () => number = Date.now,
  ) {
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
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, waitMs);
    }
  }
}
