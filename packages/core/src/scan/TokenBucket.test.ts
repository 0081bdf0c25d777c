import { InMemoryEksGateway } from '../testing/InMemoryEksGateway';
import { RateLimitedEksGateway } from './RateLimitedEksGateway';
import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('lets the burst through at once, then one request per 1/rate seconds, in order', async () => {
    const bucket = new TokenBucket(10, 2);
    const done: [number, number][] = [];
    const all = Array.from({ length: 5 }, (_, i) =>
      bucket.take().then(() => done.push([i, Date.now()])),
    );
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(done.map(([i]) => i)).toEqual([0, 1, 2, 3, 4]);
    expect(done.map(([, t]) => t)).toEqual([0, 0, 100, 200, 300]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket(0)).toThrow(/rate must be > 0/);
  });
});

describe('RateLimitedEksGateway', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('paces every call of the gateways that share a bucket (one per account)', async () => {
    const bucket = new TokenBucket(5, 1);
    const east = new RateLimitedEksGateway(new InMemoryEksGateway({ region: 'us-east-1' }), bucket);
    const west = new RateLimitedEksGateway(new InMemoryEksGateway({ region: 'us-west-2' }), bucket);
    const times: number[] = [];
    const calls = [east, west, east, west].map((g) =>
      g.listClusters().then(() => times.push(Date.now())),
    );
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all(calls);
    // Five per second across both regions: 200 ms apart.
    expect(times).toEqual([0, 200, 400, 600]);
    expect(west.region).toBe('us-west-2');
  });
});
