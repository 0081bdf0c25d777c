import {
  DEFAULT_PACING,
  initialPacing,
  mergePacing,
  pacingIncrease,
  pacingSucceeded,
  pacingThrottled,
  parsePacingState,
} from './PacingState';

describe('PacingState', () => {
  it('probes faster the longer no call was throttled: the increase doubles every 20 s, up to 2/s', () => {
    const s = initialPacing(0);
    expect([0, 19_999, 20_000, 40_000, 60_000, 200_000].map((t) => pacingIncrease(s, t))).toEqual([
      0.05, 0.05, 0.1, 0.2, 0.4, 2,
    ]);
    expect(pacingSucceeded(s, 20_000).rate).toBeCloseTo(10 + 0.1 / 10, 12);
  });

  it('a cut restarts the slow probe and never goes under the minimum rate', () => {
    const cut = pacingThrottled({ ...initialPacing(0), rate: 0.52 }, 60_000, 60_000);
    expect(cut).toEqual({
      rate: DEFAULT_PACING.minRate,
      ceiling: 0.52,
      cutAt: 60_000,
      probeSince: 60_000,
      updatedAt: 60_000,
    });
    expect(pacingIncrease(cut, 61_000)).toBe(0.05);
  });

  it('merges two views: the later cut wins, else the higher rate', () => {
    const base = initialPacing(0);
    const cutHere = pacingThrottled(base, 500, 1000);
    const risenThere = { ...base, rate: 12 };
    expect(mergePacing(cutHere, risenThere)).toBe(cutHere);
    expect(mergePacing(risenThere, cutHere)).toBe(cutHere);
    expect(mergePacing(base, risenThere)).toBe(risenThere);
  });

  it("counts two processes' cuts less than a sync apart as one episode: cut once", () => {
    const base = initialPacing(0);
    const cutA = pacingThrottled(base, 100, 200); // 10 → 9 at 200 ms
    const cutB = pacingThrottled({ ...base, rate: 9.5 }, 300, 900); // 9.5 → 8.55 at 900 ms
    expect(mergePacing(cutA, cutB, 1000)).toEqual({ ...cutA, cutAt: 900, probeSince: 900 });
    expect(mergePacing(cutA, cutB)).toBe(cutB);
  });

  it('lets a cut made on top of the shared one win, however close: the limit dropped far', () => {
    const first = pacingThrottled(initialPacing(0), 100, 200); // 10 → 9 at 200 ms, shared
    const again = pacingThrottled(first, 300, 400); // 9 → 8.1 at 400 ms, knowing the first
    expect(again).toMatchObject({ rate: 9 * 0.9, cutAt: 400, afterCutAt: 200 });
    expect(mergePacing(again, first, 1000)).toBe(again);
    expect(mergePacing(first, again, 1000)).toBe(again);
    expect(parsePacingState(JSON.parse(JSON.stringify(again)))).toEqual(again);
  });

  it('reads back what it wrote, and refuses what is not a state', () => {
    const s = pacingThrottled(initialPacing(0), 0, 10);
    expect(parsePacingState(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(parsePacingState({ rate: 0, probeSince: 0, updatedAt: 0 })).toBeUndefined();
    expect(parsePacingState({ rate: '5', probeSince: 0, updatedAt: 0 })).toBeUndefined();
    expect(parsePacingState('x')).toBeUndefined();
  });
});
