/** A deep copy of plain data, so fakes never share state with their callers (as a wire would not). */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
