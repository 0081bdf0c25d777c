/**
 * The one place AWS SDK v3 errors become GatewayErrors. SDK errors are told apart by `name` (the
 * service's error code), then `$metadata.httpStatusCode` and `$retryable`; Node network errors by
 * `code`. Everything the product shows or retries on is decided from the resulting kind.
 */
import { GatewayError, type GatewayErrorKind } from '@hyperpod/core';

const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'SlowDown',
  'TooManyRequestsException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'PriorRequestNotComplete',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
]);

const UNAVAILABLE = new Set([
  'ServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServerException',
  'ServiceFailure',
  'ServiceException',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const UNAUTHENTICATED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'InvalidToken',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'AuthFailure',
  'TokenRefreshRequired',
  'InvalidIdentityToken',
]);

const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'ResourceNotFound',
  'NoSuchEntity',
  'NoSuchEntityException',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'LoadBalancerNotFound',
  'LoadBalancerNotFoundException',
]);

const IN_USE = new Set([
  'ResourceInUseException',
  'DeleteConflict',
  'DeleteConflictException',
  'ResourceInUse',
]);

const INVALID_PARAMETER = new Set([
  'InvalidParameterException',
  'InvalidParameter',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidRequestException',
  'InvalidInput',
  'InvalidArnException',
  'InvalidArgument',
  'InvalidTag',
  'InvalidTagException',
  'ValidationError',
  'ValidationException',
  'MalformedPolicyDocument',
  'MalformedXML',
  'BadRequestException',
  'TooManyTags',
  'TooManyTagsException',
  'LimitExceeded',
]);

const CONFLICT = new Set([
  'EntityAlreadyExists',
  'ConflictException',
  'ResourceExistsException',
  'ResourceAlreadyExistsException',
  'DuplicateLoadBalancerName',
]);

const TIMEOUT = new Set(['TimeoutError', 'AbortError', 'RequestAbortedError']);

/** Node socket errors that mean the endpoint could not be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
const NETWORK_TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  Code?: unknown;
  $fault?: unknown;
  $retryable?: { throttling?: boolean } | undefined;
  $metadata?: { httpStatusCode?: number };
}

export function toGatewayError(err: unknown, service: string, operation: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name =
    typeof e.name === 'string' ? e.name : typeof e.Code === 'string' ? e.Code : undefined;
  // The SDK wraps socket errors ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...")
  // without their code, so it is recovered from the message.
  const code =
    typeof e.code === 'string'
      ? e.code
      : /\b(E[A-Z]{3,}(?:_[A-Z]+)?)\b/.exec(typeof e.message === 'string' ? e.message : '')?.[1];
  const status = e.$metadata?.httpStatusCode;
  const rawMessage =
    typeof e.message === 'string' && e.message !== ''
      ? e.message
      : err instanceof Error
        ? err.message
        : String(err);
  const kind = classify(name, code, status, e);
  const errorCode = name && name !== 'Error' ? name : code;
  const message =
    rawMessage || `${service} ${operation} failed (${errorCode ?? status ?? 'unknown error'})`;
  return new GatewayError(kind, message, service, operation, errorCode, status);
}

function classify(
  name: string | undefined,
  code: string | undefined,
  status: number | undefined,
  e: SdkErrorLike,
): GatewayErrorKind {
  if (name !== undefined) {
    if (THROTTLED.has(name)) return 'Throttled';
    if (UNAUTHENTICATED.has(name)) return 'Unauthenticated';
    if (
      name.startsWith('AccessDenied') ||
      name === 'Forbidden' ||
      name === 'UnauthorizedOperation' ||
      name === 'AuthorizationError'
    )
      return 'AccessDenied';
    if (NOT_FOUND.has(name)) return 'NotFound';
    if (IN_USE.has(name)) return 'InUse';
    if (INVALID_PARAMETER.has(name)) return 'InvalidParameter';
    if (CONFLICT.has(name)) return 'Conflict';
    if (TIMEOUT.has(name)) return 'Timeout';
    if (UNAVAILABLE.has(name)) return 'Unavailable';
  }
  if (code !== undefined) {
    if (NETWORK_CODES.has(code)) return 'Unavailable';
    if (NETWORK_TIMEOUT_CODES.has(code)) return 'Timeout';
  }
  if (e.$retryable?.throttling) return 'Throttled';
  if (status !== undefined) {
    if (status === 429) return 'Throttled';
    if (status >= 500) return 'Unavailable';
    if (status === 401) return 'Unauthenticated';
    if (status === 403) return 'AccessDenied';
    if (status === 404) return 'NotFound';
    if (status === 409) return 'Conflict';
    if (status === 400) return 'InvalidParameter';
  }
  if (e.$fault === 'server') return 'Unavailable';
  return 'Unknown';
}
