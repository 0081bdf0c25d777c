/**
 * Time for tests that passes only when the code under test sleeps: `now` and `sleep` for a run's
 * deps, `lease` for its lock's, so polls and lease expiry take no real time.
 */
export function simulatedClock(startIso: string): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  lease: { now: () => Date };
} {
  let t = Date.parse(startIso);
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    lease: { now: () => new Date(t) },
  };
}
