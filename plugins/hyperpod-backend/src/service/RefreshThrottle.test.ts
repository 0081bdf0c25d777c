import { RefreshThrottle } from './RefreshThrottle';

const LIMITS = { clusterIntervalMs: 30_000, fleetIntervalMs: 300_000, userClusterLimit: 3 };

describe('RefreshThrottle', () => {
  let now = 0;
  const throttle = () => new RefreshThrottle(LIMITS, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a cluster be refreshed once per interval, whoever asks, and says when again', () => {
    const t = throttle();
    expect(t.take(t.cluster('user:a', 'c1', 'ml-a'))).toBeUndefined();
    now += 10_000;
    const refused = t.take(t.cluster('user:b', 'c1', 'ml-a'));
    expect(refused).toEqual({
      retryAfterMs: 20_000,
      message: expect.stringContaining(
        'a refresh of ml-a was already asked for within the last 30 s',
      ),
    });
    expect(t.take(t.cluster('user:b', 'c2', 'ml-b'))).toBeUndefined();
    now += 20_000;
    expect(t.take(t.cluster('user:b', 'c1', 'ml-a'))).toBeUndefined();
  });

  it('limits one caller to a fleet refresh per interval and a few cluster refreshes a minute', () => {
    const t = throttle();
    expect(t.take(t.fleet('user:a'))).toBeUndefined();
    expect(t.take(t.fleet('user:a'))?.retryAfterMs).toBe(300_000);
    expect(t.take(t.fleet('user:b'))).toBeUndefined();
    for (const c of ['c1', 'c2', 'c3']) expect(t.take(t.cluster('user:a', c, c))).toBeUndefined();
    const refused = t.take(t.cluster('user:a', 'c4', 'c4'));
    expect(refused?.message).toContain('more than 3 cluster refreshes a minute');
    expect(refused?.retryAfterMs).toBe(60_000);
    // A refused ask counts nothing: c4 is still free for someone else.
    expect(t.take(t.cluster('user:b', 'c4', 'c4'))).toBeUndefined();
  });
});
