/**
 * Paces calls per scope (an AWS account and region) with a token bucket whose rate is learned:
 * every call takes a token first; its answer feeds back (success raises the rate, throttling cuts
 * it, see PacingState). With a store, the learned rate is read when a scope is first used, merged
 * with the shared one every `syncMs`, and written back; processes pacing one scope at once split
 * its rate between them, so together they stay within the limit one of them would have learned.
 * A fixed rate (`--rate-limit`) overrides learning and is never stored.
 */
import {
  DEFAULT_PACING,
  initialPacing,
  mergePacing,
  pacingSucceeded,
  pacingThrottled,
  parsePacingState,
  type PacingParams,
  type PacingState,
} from './PacingState';
import type { PacingStore } from './PacingStore';
import { startTimer } from '../timers';

export interface PacerOptions {
  /** Where learned rates are kept between runs and shared between processes. */
  store?: PacingStore;
  /** Requests per second per scope, not learned (the `--rate-limit` override). */
  fixedRate?: number;
  params?: Partial<PacingParams>;
  /** This process among the scope's members. Default: a random id. */
  memberId?: string;
  /** How often a busy scope is merged with the store. Default 1000 ms. */
  syncMs?: number;
  /** A member not seen for this long has stopped. Default 5000 ms. */
  memberTtlMs?: number;
  /** A store that fails is reported here; pacing goes on with what this process knows. */
  onStoreError?: (error: unknown) => void;
  now?: () => number;
  random?: () => number;
}

/** A token taken: which scope, and when the call was let go (to match its answer to a rate). */
export interface PacingTicket {
  readonly scope: string;
  readonly sentAt: number;
}

interface Scope {
  state: PacingState;
  /** Live members sharing the scope, this process included. */
  members: number;
  tokens: number;
  last: number;
  waiting: ((ticket: PacingTicket) => void)[];
  timer: (() => void) | undefined;
  lastSync: number;
  syncing: Promise<void> | undefined;
  /** A cut not yet written to the store. */
  publish: boolean;
  /** Every member seen live (id → last seen): a write another member lost does not hide it. */
  seen: Record<string, number>;
  /** The first sync after joining comes soon, to find members that joined at the same time. */
  joined: boolean;
  /** Tokens handed out since `windowStart`, and what that made per second in the last window. */
  handed: number;
  windowStart: number;
  achieved: number | undefined;
}

export class Pacer {
  private readonly params: PacingParams;
  private readonly now: () => number;
  private readonly memberId: string;
  private readonly syncMs: number;
  private readonly memberTtlMs: number;
  private readonly scopes = new Map<string, Promise<Scope>>();
  private readonly loaded = new Map<string, Scope>();

  constructor(private readonly opts: PacerOptions = {}) {
    if (opts.fixedRate !== undefined && !(opts.fixedRate > 0))
      throw new RangeError(`rate must be > 0 requests per second, got ${opts.fixedRate}`);
    this.params = { ...DEFAULT_PACING, ...opts.params };
    this.now = opts.now ?? Date.now;
    this.memberId =
      opts.memberId ?? Math.floor((opts.random ?? Math.random)() * 2 ** 48).toString(36);
    this.syncMs = opts.syncMs ?? 1000;
    this.memberTtlMs = opts.memberTtlMs ?? 5000;
  }

  /** Resolves when a call to `scope` may be sent, in FIFO order per scope. */
  async take(scope: string): Promise<PacingTicket> {
    const s = await this.scope(scope);
    return new Promise((resolve) => {
      s.waiting.push(resolve);
      this.drain(scope, s);
    });
  }

  /**
   * The call answered (any answer but throttling): the learned rate rises, unless this process
   * did not use its rate (under 90 % of it in the last second: too little to do, or a CPU too busy
   * to send on time). A rate that was never used has not been shown to be allowed.
   */
  succeeded(ticket: PacingTicket): void {
    const s = this.loaded.get(ticket.scope);
    if (!s || this.opts.fixedRate !== undefined) return;
    if (s.achieved !== undefined && s.achieved < 0.9 * this.currentRate(s)) return;
    this.update(ticket.scope, s, pacingSucceeded(s.state, this.now(), this.params));
  }

  /** The call was throttled: the rate is cut (once per rate). */
  throttled(ticket: PacingTicket): void {
    const s = this.loaded.get(ticket.scope);
    if (!s || this.opts.fixedRate !== undefined) return;
    const next = pacingThrottled(s.state, ticket.sentAt, this.now(), this.params);
    if (next === s.state) return;
    // A cut is news the other members need now, not at the next periodic sync.
    s.publish = true;
    this.update(ticket.scope, s, next);
  }

  /** What a scope nobody has learned starts at (or the fixed rate). */
  get startRate(): number {
    return this.opts.fixedRate ?? this.params.startRate;
  }

  /** The rate this process sends at to `scope` now (its share of the scope's rate). */
  rate(scope: string): number | undefined {
    const s = this.loaded.get(scope);
    if (this.opts.fixedRate !== undefined) return this.opts.fixedRate;
    return s ? s.state.rate / s.members : undefined;
  }

  /** What this process knows about `scope` (undefined before its first call). */
  state(scope: string): PacingState | undefined {
    return this.loaded.get(scope)?.state;
  }

  /**
   * Writes every scope's state to the store and leaves the scopes (the end of a scan). The pacer
   * still works after: a later call joins its scope again.
   */
  async close(): Promise<void> {
    for (const [scope, s] of this.loaded) {
      // Timers stay: another scan of this process may still be waiting for tokens.
      await s.syncing;
      if (this.opts.store && this.opts.fixedRate === undefined)
        await this.sync(scope, s, true).catch((e: unknown) => this.opts.onStoreError?.(e));
    }
  }

  private scope(scope: string): Promise<Scope> {
    let p = this.scopes.get(scope);
    if (!p) {
      p = this.load(scope);
      this.scopes.set(scope, p);
    }
    return p;
  }

  private async load(scope: string): Promise<Scope> {
    const now = this.now();
    const s: Scope = {
      state: initialPacing(now, this.params),
      members: 1,
      tokens: 1,
      last: now,
      waiting: [],
      timer: undefined,
      lastSync: now,
      syncing: undefined,
      publish: false,
      seen: {},
      joined: false,
      handed: 0,
      windowStart: now,
      achieved: undefined,
    };
    if (this.opts.store && this.opts.fixedRate === undefined) {
      try {
        await this.sync(scope, s, false, true);
      } catch (e) {
        this.opts.onStoreError?.(e);
      }
      s.last = this.now();
    }
    this.loaded.set(scope, s);
    return s;
  }

  /**
   * Reads the shared record, merges, counts the live members and writes the merge back. On the
   * first read a stored state replaces the initial one (what an earlier run learned).
   */
  private async sync(scope: string, s: Scope, leave: boolean, first = false): Promise<void> {
    const store = this.opts.store!;
    const shared = await store.read(scope);
    const now = this.now();
    const stored = parsePacingState(shared?.state);
    // Per member, the latest word: seen at t (t > 0) or left at t (-t). What this process saw
    // itself counts too, so a write another member lost does not hide that member.
    const latest: Record<string, number> = {};
    for (const [id, v] of [...Object.entries(s.seen), ...Object.entries(shared?.members ?? {})])
      if (id !== this.memberId && typeof v === 'number' && Math.abs(v) > Math.abs(latest[id] ?? 0))
        latest[id] = v;
    const members: Record<string, number> = {};
    let live = 0;
    for (const [id, v] of Object.entries(latest)) {
      if (now - Math.abs(v) >= this.memberTtlMs) continue;
      members[id] = v;
      if (v > 0) live++;
    }
    s.seen = { ...members };
    members[this.memberId] = leave ? -now : now;
    const merge = (a: PacingState, b: PacingState) => mergePacing(a, b, this.syncMs);
    const merged = stored ? (first ? stored : merge(s.state, stored)) : s.state;
    await store.write(scope, { state: merged, members });
    s.lastSync = this.now();
    this.accrue(s);
    s.state = first ? merged : merge(s.state, merged);
    s.members = live + 1;
  }

  private update(scope: string, s: Scope, next: PacingState): void {
    this.accrue(s);
    s.state = next;
    this.maybeSync(scope, s);
  }

  private maybeSync(scope: string, s: Scope): void {
    if (!this.opts.store || this.opts.fixedRate !== undefined || s.syncing) return;
    const due = s.joined ? this.syncMs : this.syncMs / 10;
    if (!s.publish && this.now() - s.lastSync < due) return;
    s.publish = false;
    s.joined = true;
    s.syncing = this.sync(scope, s, false)
      .catch((e: unknown) => this.opts.onStoreError?.(e))
      .finally(() => {
        s.syncing = undefined;
        this.drain(scope, s);
      });
  }

  private currentRate(s: Scope): number {
    return this.opts.fixedRate ?? s.state.rate / s.members;
  }

  /** Adds the tokens earned since the last look, at the rate in force until now (burst: one). */
  private accrue(s: Scope): void {
    const t = this.now();
    s.tokens = Math.min(1, s.tokens + ((t - s.last) / 1000) * this.currentRate(s));
    s.last = t;
  }

  private drain(scope: string, s: Scope): void {
    this.accrue(s);
    const now = this.now();
    if (now - s.windowStart >= 1000) {
      s.achieved = (s.handed * 1000) / (now - s.windowStart);
      s.handed = 0;
      s.windowStart = now;
    }
    while (s.waiting.length > 0 && s.tokens >= 1) {
      s.tokens -= 1;
      s.handed++;
      s.waiting.shift()!({ scope, sentAt: now });
    }
    if (s.waiting.length > 0) {
      s.timer?.();
      const waitMs = Math.max(1, Math.ceil(((1 - s.tokens) / this.currentRate(s)) * 1000));
      s.timer = startTimer(waitMs, () => {
        s.timer = undefined;
        this.drain(scope, s);
      });
    }
    this.maybeSync(scope, s);
  }
}
