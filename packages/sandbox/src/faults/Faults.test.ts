import { Faults } from './Faults';

/** A deterministic random source cycling through the given values. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('Faults', () => {
  it('answers ok when nothing is configured', () => {
    const f = new Faults();
    expect(f.check('eks.ListClusters', '111111111111')).toEqual({ kind: 'ok' });
  });

  it('throttles and fails AWS calls at the configured fractions', () => {
    const f = new Faults({ throttleRate: 0.2, errorRate: 0.1, random: seq(0.1, 0.25, 0.5) });
    expect(f.check('eks.ListClusters', 'a').kind).toBe('throttle');
    expect(f.check('eks.ListClusters', 'a').kind).toBe('server-error');
    expect(f.check('eks.ListClusters', 'a').kind).toBe('ok');
  });

  it('never throttles Kubernetes calls (no account)', () => {
    const f = new Faults({ throttleRate: 1 });
    expect(f.check('kube.get.deployments').kind).toBe('ok');
  });

  it('limits each account to its request rate, independently', () => {
    const f = new Faults({ rateLimitPerAccount: 3 });
    const kinds = Array.from({ length: 5 }, () => f.check('eks.DescribeAddon', 'a').kind);
    expect(kinds).toEqual(['ok', 'ok', 'ok', 'throttle', 'throttle']);
    expect(f.check('eks.DescribeAddon', 'b').kind).toBe('ok');
  });

  it('limits each region of an account on its own with rateLimitScope account-region', () => {
    const f = new Faults({ rateLimitPerAccount: 2, rateLimitScope: 'account-region' });
    const kinds = (region: string) =>
      Array.from({ length: 3 }, () => f.check('eks.DescribeAddon', 'a', region).kind);
    expect(kinds('us-east-1')).toEqual(['ok', 'ok', 'throttle']);
    expect(kinds('us-west-2')).toEqual(['ok', 'ok', 'throttle']);
    expect(() => f.set({ rateLimitScope: 'region' as never })).toThrow(/rateLimitScope/);
  });

  it('takes a new rate at run time: a lower limit applies to the very next call', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const f = new Faults({ rateLimitPerAccount: 10 });
      expect(f.check('eks.DescribeAddon', 'a').kind).toBe('ok');
      f.set({ rateLimitPerAccount: 2 });
      // The bucket held 9 tokens; the new limit caps it at 2, one of which was left.
      const kinds = Array.from({ length: 3 }, () => f.check('eks.DescribeAddon', 'a').kind);
      expect(kinds).toEqual(['ok', 'ok', 'throttle']);
      jest.advanceTimersByTime(500);
      expect(f.check('eks.DescribeAddon', 'a').kind).toBe('ok');
      expect(f.check('eks.DescribeAddon', 'a').kind).toBe('throttle');
    } finally {
      jest.useRealTimers();
    }
  });

  it('fires a named fault point the given number of times, matching wildcards', () => {
    const f = new Faults({
      faultPoints: [{ point: 'eks.Create*', times: 2, status: 500, code: 'ServerException' }],
    });
    expect(f.check('eks.CreateAddon', 'a')).toMatchObject({
      kind: 'fault',
      fault: { code: 'ServerException' },
    });
    expect(f.check('eks.ListAddons', 'a').kind).toBe('ok');
    expect(f.check('eks.CreateAddon', 'a').kind).toBe('fault');
    expect(f.check('eks.CreateAddon', 'a').kind).toBe('ok');
  });

  it('reports an after-fault so the call is carried out and then answered with the error', () => {
    const f = new Faults();
    f.addFaultPoint({ point: 'kube.delete.deployments', when: 'after', times: 1 });
    const outcome = f.check('kube.delete.deployments');
    expect(outcome).toMatchObject({ kind: 'ok', after: { point: 'kube.delete.deployments' } });
    expect(f.check('kube.delete.deployments')).toEqual({ kind: 'ok' });
  });

  it('counts hits per point', () => {
    const f = new Faults();
    f.check('iam.GetRole', 'a');
    f.check('iam.GetRole', 'a');
    expect(f.hits.get('iam.GetRole')).toBe(2);
  });

  it('rejects out-of-range settings and keeps the previous ones', () => {
    const f = new Faults({ throttleRate: 0.1 });
    expect(() => f.set({ throttleRate: 2 })).toThrow(/between 0 and 1/);
    expect(() => f.set({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(f.current).toMatchObject({ throttleRate: 0.1, latencyMs: 0 });
  });
});
