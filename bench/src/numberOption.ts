/** A numeric option of node:util's parseArgs (which reads every value as a string), or its default. */
export function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a number ≥ 0, got "${value}"`);
  return n;
}
