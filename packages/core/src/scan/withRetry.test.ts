import { GatewayError } from '../ports/GatewayError';
import { backoffDelay, withRetry } from './withRetry';

describe('withRetry', () => {
  it('retries Throttled with backoff, then succeeds', async () => {
    const sleeps: number[] = [];
    let n = 0;
    const result = await withRetry(
      async () => {
        if (++n < 3)
          throw new GatewayError(
            'Throttled',
            'Rate exceeded',
            'eks',
            'DescribeAddon',
            'ThrottlingException',
            429,
          );
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.5,
      },
    );
    expect(result).toBe('ok');
    expect(n).toBe(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('does not retry what retrying cannot fix, and gives up after the attempts', async () => {
    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw new GatewayError('AccessDenied', 'no', 'eks', 'x');
        },
        { sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ kind: 'AccessDenied' });
    expect(n).toBe(1);
    n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw new GatewayError('Unavailable', '503', 'eks', 'x');
        },
        { attempts: 3, sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ kind: 'Unavailable' });
    expect(n).toBe(3);
  });

  it('caps the full-jitter delay at maxDelayMs', () => {
    expect(backoffDelay(10, 100, 2000, () => 0.999)).toBeLessThan(2000);
    expect(backoffDelay(0, 100, 2000, () => 0)).toBe(0);
  });
});
