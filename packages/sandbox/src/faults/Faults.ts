/**
 * Latency, throttling, 5xx answers and named fault points, settable at start and at run time.
 * Both the AWS endpoint and every Kubernetes API server ask `Faults.check()` before serving a call.
 */

export interface FaultPoint {
  /** `<service>.<Operation>` for AWS (e.g. `eks.CreateAddon`), `kube.<verb>.<resource>` for Kubernetes (e.g. `kube.delete.deployments`). `*` matches any suffix segment. */
  point: string;
  /** `before`: the call fails and changes nothing. `after`: the call is carried out, then answered with the error (a lost response). */
  when?: 'before' | 'after';
  /** How many calls it hits; undefined = every call until cleared. */
  times?: number;
  status?: number;
  code?: string;
  message?: string;
}

export interface FaultSettings {
  /** Added to every call, in milliseconds. */
  latencyMs?: number;
  /** Requests per second allowed per AWS account; beyond it calls get a throttling error. 0 = unlimited. */
  rateLimitPerAccount?: number;
  /**
   * What one rate limit covers: `account` (every region of the account together, the default) or
   * `account-region` (each region of an account on its own, as AWS meters its APIs).
   */
  rateLimitScope?: 'account' | 'account-region';
  /** Fraction (0..1) of AWS calls answered with a throttling error at random. */
  throttleRate?: number;
  /** Fraction (0..1) of AWS calls answered with a 5xx at random. */
  errorRate?: number;
  /** Random source for the fractions; tests pass a seeded one. */
  random?: () => number;
  faultPoints?: FaultPoint[];
}

export type FaultOutcome =
  | { kind: 'ok'; after?: FaultPoint }
  | { kind: 'throttle' }
  | { kind: 'server-error' }
  | { kind: 'fault'; fault: FaultPoint };

interface Bucket {
  tokens: number;
  last: number;
}

export class Faults {
  private settings: Required<Omit<FaultSettings, 'faultPoints'>>;
  private points: FaultPoint[] = [];
  private readonly buckets = new Map<string, Bucket>();
  /** How many calls each point matched, for tests that enumerate crash points. */
  readonly hits = new Map<string, number>();

  constructor(settings: FaultSettings = {}) {
    this.settings = {
      latencyMs: 0,
      rateLimitPerAccount: 0,
      rateLimitScope: 'account',
      throttleRate: 0,
      errorRate: 0,
      random: Math.random,
    };
    this.set(settings);
  }

  /** Changes some settings; invalid ones are refused and nothing changes. */
  set(settings: FaultSettings): void {
    const { faultPoints, ...rest } = settings;
    const next = { ...this.settings };
    for (const [k, v] of Object.entries(rest)) {
      if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    }
    for (const key of ['throttleRate', 'errorRate'] as const) {
      const v = next[key];
      if (!(v >= 0 && v <= 1)) throw new RangeError(`${key} must be between 0 and 1, got ${v}`);
    }
    if (!(next.latencyMs >= 0))
      throw new RangeError(`latencyMs must be >= 0, got ${next.latencyMs}`);
    if (next.rateLimitScope !== 'account' && next.rateLimitScope !== 'account-region')
      throw new RangeError(
        `rateLimitScope must be account or account-region, got ${String(next.rateLimitScope)}`,
      );
    if (!(next.rateLimitPerAccount >= 0))
      throw new RangeError(`rateLimitPerAccount must be >= 0, got ${next.rateLimitPerAccount}`);
    this.settings = next;
    if (faultPoints) this.points = faultPoints.map((p) => ({ when: 'before', ...p }));
  }

  get current(): FaultSettings {
    return { ...this.settings, faultPoints: this.points.map((p) => ({ ...p })) };
  }

  addFaultPoint(point: FaultPoint): void {
    this.points.push({ when: 'before', ...point });
  }

  clearFaultPoints(): void {
    this.points = [];
  }

  /** Waits the configured latency. */
  async delay(): Promise<void> {
    const ms = this.settings.latencyMs;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  /**
   * Decides how to answer one call. `account` is set for AWS calls (rate limits and random
   * throttling apply to AWS only, as they do in real life), `region` its signing region; `point`
   * names the operation.
   */
  check(point: string, account?: string, region?: string): FaultOutcome {
    this.hits.set(point, (this.hits.get(point) ?? 0) + 1);
    const fault = this.takeFault(point);
    if (fault && fault.when === 'before') return { kind: 'fault', fault };
    if (account !== undefined) {
      const key =
        this.settings.rateLimitScope === 'account-region' ? `${account}/${region ?? ''}` : account;
      if (!this.takeToken(key)) return { kind: 'throttle' };
      const r = this.settings.random();
      if (r < this.settings.throttleRate) return { kind: 'throttle' };
      if (r < this.settings.throttleRate + this.settings.errorRate) return { kind: 'server-error' };
    }
    return fault ? { kind: 'ok', after: fault } : { kind: 'ok' };
  }

  private takeFault(point: string): FaultPoint | undefined {
    const i = this.points.findIndex((p) => matches(p.point, point));
    if (i < 0) return undefined;
    const p = this.points[i]!;
    if (p.times !== undefined) {
      p.times -= 1;
      if (p.times <= 0) this.points.splice(i, 1);
    }
    return p;
  }

  private takeToken(account: string): boolean {
    const rate = this.settings.rateLimitPerAccount;
    if (!rate) return true;
    const now = Date.now();
    const b = this.buckets.get(account) ?? { tokens: rate, last: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.last) / 1000) * rate);
    b.last = now;
    this.buckets.set(account, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

function matches(pattern: string, point: string): boolean {
  if (pattern === point || pattern === '*') return true;
  if (pattern.endsWith('*')) return point.startsWith(pattern.slice(0, -1));
  return false;
}
