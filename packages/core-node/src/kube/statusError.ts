/** A Kubernetes API answer, or a connection that failed, as the GatewayError the ports speak. */
import { GatewayError, type GatewayErrorKind } from '@hyperpod/core';

/** An API server status (with its Status body, when it sent one) as a GatewayError. */
export function statusError(
  status: number,
  body: unknown,
  name: string,
  operation: string,
): GatewayError {
  const s = (typeof body === 'object' && body !== null ? body : {}) as {
    reason?: string;
    message?: string;
  };
  const reason = s.reason;
  const kind: GatewayErrorKind =
    status === 401
      ? 'Unauthenticated'
      : status === 403
        ? 'AccessDenied'
        : status === 404
          ? 'NotFound'
          : status === 409
            ? reason === 'AlreadyExists' || reason === 'Conflict'
              ? 'Conflict'
              : 'InUse'
            : status === 400 || status === 422
              ? 'InvalidParameter'
              : status === 429
                ? 'Throttled'
                : status === 504
                  ? 'Timeout'
                  : status >= 500
                    ? 'Unavailable'
                    : 'Unknown';
  const message =
    s.message ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
  return new GatewayError(
    kind,
    `${name}: ${message}`,
    'kubernetes',
    operation,
    reason ?? String(status),
    status,
  );
}

export function networkError(
  e: Error & { code?: string },
  name: string,
  operation: string,
): GatewayError {
  const code = e.code;
  const kind: GatewayErrorKind =
    code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT'
      ? 'Timeout'
      : code && (/^E[A-Z]+$/.test(code) || code.startsWith('ERR_HTTP2_'))
        ? 'Unavailable'
        : /certificate|self[- ]signed|TLS/i.test(e.message)
          ? 'Unavailable'
          : 'Unknown';
  return new GatewayError(kind, `${name}: ${e.message}`, 'kubernetes', operation, code);
}
