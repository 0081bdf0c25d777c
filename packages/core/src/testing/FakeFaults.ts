/**
 * Scripted failures for the in-memory fakes, so tests of callers (retry, partial failure, error
 * messages) can make any call fail the way the real adapter would report it.
 */
import { GatewayError, type GatewayErrorKind } from '../ports/GatewayError';

export interface FakeFault {
  kind: GatewayErrorKind;
  /** Only this operation (e.g. `DescribeAddon`); every operation when undefined. */
  operation?: string;
  /** How many calls it hits; every call until cleared when undefined. */
  times?: number;
  message?: string;
  code?: string;
}

const DEFAULT_CODES: Partial<Record<GatewayErrorKind, string>> = {
  Throttled: 'ThrottlingException',
  Unauthenticated: 'UnrecognizedClientException',
  AccessDenied: 'AccessDeniedException',
  Unavailable: 'ServiceUnavailable',
  Timeout: 'TimeoutError',
};

export class FakeFaults {
  private faults: FakeFault[] = [];
  /** Calls seen per operation, for tests that count calls (caching, minimal call sets). */
  readonly calls = new Map<string, number>();

  fail(fault: FakeFault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  callCount(operation?: string): number {
    if (operation !== undefined) return this.calls.get(operation) ?? 0;
    let n = 0;
    for (const v of this.calls.values()) n += v;
    return n;
  }

  /** Counts the call and throws the first matching fault. */
  check(service: string, operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const i = this.faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (i < 0) return;
    const f = this.faults[i]!;
    if (f.times !== undefined && --f.times <= 0) this.faults.splice(i, 1);
    throw new GatewayError(
      f.kind,
      f.message ?? `${service} ${operation}: injected ${f.kind}`,
      service,
      operation,
      f.code ?? DEFAULT_CODES[f.kind],
    );
  }
}
