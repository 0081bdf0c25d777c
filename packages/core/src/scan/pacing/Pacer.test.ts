import { GatewayError } from '../../ports/GatewayError';
import { InMemoryEksGateway } from '../../testing/InMemoryEksGateway';
import { PacedEksGateway } from './PacedEksGateway';
import { Pacer, type PacingTicket } from './Pacer';
import { InMemoryPacingStore } from './PacingStore';

const SCOPE = '111111111111/us-east-1';

/** Takes `n` tokens one after another, answering each with `answer`; the times they were let go. */
async function schedule(
  pacer: Pacer,
  n: number,
  answer: (ticket: PacingTicket, i: number) => void = (t) => pacer.succeeded(t),
  scope = SCOPE,
): Promise<number[]> {
  const times: number[] = [];
  const run = (async () => {
    for (let i = 0; i < n; i++) {
      const ticket = await pacer.take(scope);
      times.push(ticket.sentAt);
      answer(ticket, i);
    }
  })();
  await jest.advanceTimersByTimeAsync(60_000);
  await run;
  return times;
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('Pacer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('at a fixed rate (--rate-limit) lets one call go per 1/rate seconds, learning nothing', async () => {
    const pacer = new Pacer({ fixedRate: 10 });
    const times = await schedule(pacer, 5, (t, i) =>
      i === 2 ? pacer.throttled(t) : pacer.succeeded(t),
    );
    expect(times).toEqual([0, 100, 200, 300, 400]);
    expect(pacer.rate(SCOPE)).toBe(10);
  });

  it('starts at 10 requests/s by default and rises while calls succeed (additive increase)', async () => {
    // increase 4 (requests/s per second): each success adds 4/rate: 4 → 5 → 5.8 → 6.49 → 7.11 → 7.67 → 8.19
    const pacer = new Pacer({ params: { startRate: 4, increase: 4, maxIncrease: 8 } });
    const times = await schedule(pacer, 6);
    expect(times).toEqual([0, 200, 373, 528, 669, 800]);
    expect(pacer.state(SCOPE)!.rate).toBeCloseTo(8.1905, 3);
    expect(new Pacer().rate(SCOPE)).toBeUndefined();
    const fresh = new Pacer();
    expect(gaps(await schedule(fresh, 3))).toEqual([100, 100]);
  });

  it('does not raise a rate it does not use (a call every 500 ms at 10/s)', async () => {
    const pacer = new Pacer({ params: { increase: 1 } });
    const run = (async () => {
      for (let i = 0; i < 6; i++) {
        pacer.succeeded(await pacer.take(SCOPE));
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    await jest.advanceTimersByTimeAsync(10_000);
    await run;
    // The first two answers came before a full second had been measured: 10 + 1/10 + 1/10.1.
    // After that, 2 calls a second out of 10: no rise.
    expect(pacer.state(SCOPE)!.rate).toBeCloseTo(10 + 1 / 10 + 1 / 10.1, 10);
    // Busy again: the rate rises with each answer once a full second at the rate is measured.
    const busy = await schedule(pacer, 25);
    expect(pacer.state(SCOPE)!.rate).toBeGreaterThan(10.5);
    expect(busy.length).toBe(25);
  });

  it('cuts the rate by 10 % on throttling, once per rate (multiplicative decrease)', async () => {
    const pacer = new Pacer({ params: { increase: 0 } });
    // Calls 1 and 2 are throttled: 1 cuts 10 → 9 at 100 ms; call 2 was let go after that cut and
    // cuts again, 9 → 8.1. The answers to earlier calls, arriving late, cut nothing.
    const tickets: PacingTicket[] = [];
    const times = await schedule(pacer, 6, (t, i) => {
      tickets.push(t);
      if (i === 1 || i === 2) pacer.throttled(t);
      else pacer.succeeded(t);
      if (i === 3) pacer.throttled(tickets[0]!); // sent at 0, before both cuts
    });
    expect(times).toEqual([0, 100, 212, 336, 460, 584]);
    expect(gaps(times)).toEqual([100, 112, 124, 124, 124]);
    expect(pacer.state(SCOPE)).toMatchObject({ rate: 8.1, ceiling: 9, cutAt: 212 });
  });

  it('learns a limit below its start from the answers, then stays under it', async () => {
    // A server allowing 5 requests/s with a burst of 5 (the sandbox's bucket), answering at once.
    let tokens = 5;
    let last = 0;
    let refused = 0;
    const server = (): boolean => {
      const now = Date.now();
      tokens = Math.min(5, tokens + ((now - last) / 1000) * 5);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    };
    const pacer = new Pacer();
    const refusedBy: number[] = [];
    await schedule(pacer, 150, (t) => {
      if (server()) return pacer.succeeded(t);
      refused++;
      refusedBy.push(t.sentAt);
      pacer.throttled(t);
    });
    // Six cuts once the burst is spent (10 → 5.3 requests/s in 3.4 s), then one refusal per probe
    // above the limit, further and further apart: 150 calls, 9 refused.
    expect(refusedBy).toEqual([900, 1122, 1368, 1779, 2385, 3390, 5593, 13190, 25198]);
    expect(refused).toBe(9);
    expect(pacer.state(SCOPE)!.rate).toBeGreaterThan(4.7);
    expect(pacer.state(SCOPE)!.rate).toBeLessThan(5.1);
  });

  it('remembers what it learned for the next run (the store)', async () => {
    const store = new InMemoryPacingStore();
    const first = new Pacer({ store, memberId: 'run-1', params: { increase: 0 } });
    await schedule(first, 2, (t, i) => (i === 1 ? first.throttled(t) : first.succeeded(t)));
    await first.close();
    expect((await store.read(SCOPE))!.state).toMatchObject({ rate: 9, ceiling: 10, cutAt: 100 });
    // It left the scope: its entry is minus the time it left.
    expect((await store.read(SCOPE))!.members).toEqual({ 'run-1': -Date.now() });

    const second = new Pacer({ store, memberId: 'run-2', params: { increase: 0 } });
    const times = await schedule(second, 3);
    // From 9 requests/s at once, not the default 10.
    expect(gaps(times)).toEqual([112, 112]);
  });

  it("splits a scope between the replicas pacing it, and each adopts the others' cuts", async () => {
    const store = new InMemoryPacingStore();
    const a = new Pacer({ store, memberId: 'a', params: { increase: 0 } });
    const b = new Pacer({ store, memberId: 'b', params: { increase: 0 } });
    const timesA: number[] = [];
    const timesB: number[] = [];
    const run = (p: Pacer, out: number[], n: number, throttleAt?: number) =>
      (async () => {
        for (let i = 0; i < n; i++) {
          const t = await p.take(SCOPE);
          out.push(t.sentAt);
          if (i === throttleAt) p.throttled(t);
          else p.succeeded(t);
        }
      })();
    // a alone for half a second; b joins. Each syncs 100 ms after joining (to find members that
    // joined with it), then every second.
    const ra = run(a, timesA, 25, 20);
    await jest.advanceTimersByTimeAsync(500);
    const rb = run(b, timesB, 25);
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all([ra, rb]);
    // a: 10/s alone; 5/s once it has seen b (its sync at 1100 ms); 4.5/s after its cut at 2900 ms.
    expect(gaps(timesA)).toEqual([
      ...Array(11).fill(100),
      ...Array(9).fill(200),
      ...Array(4).fill(223),
    ]);
    // b joined knowing of a (5/s), and took a's cut (published at 2900 ms) at its next sync,
    // 3600 ms: 4.5/s from then.
    expect(timesB.slice(0, 3)).toEqual([500, 700, 900]);
    expect(gaps(timesB)).toEqual([...Array(16).fill(200), ...Array(8).fill(223)]);
    expect(b.state(SCOPE)).toMatchObject({ rate: 9, ceiling: 10 });
    expect(b.rate(SCOPE)).toBe(4.5);
    await a.close();
    await b.close();
    expect((await store.read(SCOPE))!.members).toEqual({ a: -Date.now(), b: -Date.now() });
    // b's next run finds a's departure, not a member: the whole rate is its own.
    const again = new Pacer({ store, memberId: 'b', params: { increase: 0 } });
    await again.take(SCOPE);
    expect(again.rate(SCOPE)).toBe(9);
  });
});

describe('PacedEksGateway', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('takes a token per call and feeds each answer back: throttling cuts, others raise', async () => {
    const pacer = new Pacer({ params: { increase: 1 } });
    const inner = new InMemoryEksGateway({ region: 'us-east-1' });
    const eks = new PacedEksGateway(inner, pacer, SCOPE);
    const throttle = jest
      .spyOn(inner, 'listClusters')
      .mockRejectedValueOnce(new GatewayError('Throttled', 'Rate exceeded', 'eks', 'ListClusters'))
      .mockRejectedValueOnce(new GatewayError('Unavailable', 'down', 'eks', 'ListClusters'));
    await expect(eks.listClusters()).rejects.toThrow('Rate exceeded');
    expect(pacer.state(SCOPE)!.rate).toBe(9);
    const second = eks.listClusters();
    await jest.advanceTimersByTimeAsync(200);
    await expect(second).rejects.toThrow('down');
    expect(pacer.state(SCOPE)!.rate).toBe(9);
    const third = eks.listClusters();
    await jest.advanceTimersByTimeAsync(200);
    await expect(third).resolves.toEqual([]);
    expect(pacer.state(SCOPE)!.rate).toBeCloseTo(9 + 1 / 9, 10);
    expect(throttle).toHaveBeenCalledTimes(3);
  });
});
