/**
 * setTimeout/clearTimeout without Node or DOM typings: the core's tsconfig has neither, and both
 * runtimes provide these globals.
 */
interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const timers = globalThis as unknown as TimerGlobals;

export function startTimer(ms: number, callback: () => void): () => void {
  const handle = timers.setTimeout(callback, ms);
  return () => timers.clearTimeout(handle);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => startTimer(ms, resolve));
}
