/**
 * The one error type adapters throw: what kind of failure it was, whether retrying can help,
 * and which call failed. Faces turn it into a message with the fix; reports carry it as data.
 */
export type GatewayErrorKind =
  /** The named resource does not exist. */
  | 'NotFound'
  /** The caller has no permission. */
  | 'AccessDenied'
  /** Credentials missing, invalid or expired. */
  | 'Unauthenticated'
  /** Rate limited; retry with backoff. */
  | 'Throttled'
  /** The resource is busy (an update in flight). */
  | 'InUse'
  /** A parameter was refused. */
  | 'InvalidParameter'
  /** A write conflicted with a newer version of the object. */
  | 'Conflict'
  /** The service answered 5xx or could not be reached. */
  | 'Unavailable'
  /** No answer within the time allowed. */
  | 'Timeout'
  | 'Unknown';

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    /** `eks`, `iam`, `kubernetes`... */
    readonly service: string,
    /** `DescribeAddon`, `list deployments`... */
    readonly operation: string,
    /** The service's own error code, e.g. ResourceNotFoundException. */
    readonly code?: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get retryable(): boolean {
    return this.kind === 'Throttled' || this.kind === 'Unavailable' || this.kind === 'Timeout';
  }

  /** Plain data for reports and JSON output. */
  toJSON(): SerializedGatewayError {
    return {
      kind: this.kind,
      message: this.message,
      service: this.service,
      operation: this.operation,
      code: this.code,
      statusCode: this.statusCode,
    };
  }
}

export interface SerializedGatewayError {
  kind: GatewayErrorKind;
  message: string;
  service: string;
  operation: string;
  code?: string;
  statusCode?: number;
}
