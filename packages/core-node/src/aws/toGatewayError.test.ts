import { GatewayError } from '@hyperpod/core';
import { toGatewayError } from './toGatewayError';

/** An error shaped as the SDK throws them (ServiceException: name, $fault, $metadata). */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} message`), {
    name,
    $fault: status && status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts: 1 },
    ...extra,
  });
}

describe('toGatewayError', () => {
  it.each([
    ['ThrottlingException', 400, 'Throttled'],
    ['Throttling', 400, 'Throttled'],
    ['SlowDown', 503, 'Throttled'],
    ['TooManyRequestsException', 429, 'Throttled'],
    ['ServerException', 500, 'Unavailable'],
    ['ServiceUnavailable', 503, 'Unavailable'],
    ['ExpiredToken', 400, 'Unauthenticated'],
    ['ExpiredTokenException', 403, 'Unauthenticated'],
    ['InvalidClientTokenId', 403, 'Unauthenticated'],
    ['UnrecognizedClientException', 400, 'Unauthenticated'],
    ['InvalidSignatureException', 403, 'Unauthenticated'],
    ['SignatureDoesNotMatch', 403, 'Unauthenticated'],
    ['CredentialsProviderError', undefined, 'Unauthenticated'],
    ['InvalidAccessKeyId', 403, 'Unauthenticated'],
    ['AccessDeniedException', 403, 'AccessDenied'],
    ['AccessDenied', 403, 'AccessDenied'],
    ['ResourceNotFoundException', 404, 'NotFound'],
    ['NoSuchEntity', 404, 'NotFound'],
    ['NoSuchBucket', 404, 'NotFound'],
    ['NotFound', 404, 'NotFound'],
    ['LoadBalancerNotFound', 400, 'NotFound'],
    ['ResourceNotFound', 400, 'NotFound'],
    ['ResourceInUseException', 409, 'InUse'],
    ['DeleteConflict', 409, 'InUse'],
    ['InvalidParameterException', 400, 'InvalidParameter'],
    ['ValidationError', 400, 'InvalidParameter'],
    ['ValidationException', 400, 'InvalidParameter'],
    ['EntityAlreadyExists', 409, 'Conflict'],
    ['TimeoutError', undefined, 'Timeout'],
    ['AbortError', undefined, 'Timeout'],
  ])('maps %s (HTTP %s) to %s', (name, status, kind) => {
    const e = toGatewayError(sdkError(name, status), 'eks', 'DescribeAddon');
    expect(e).toBeInstanceOf(GatewayError);
    expect(e).toMatchObject({
      kind,
      code: name,
      service: 'eks',
      operation: 'DescribeAddon',
      statusCode: status,
      message: `${name} message`,
    });
    expect(e.retryable).toBe(kind === 'Throttled' || kind === 'Unavailable' || kind === 'Timeout');
  });

  it('falls back on the HTTP status for codes it does not know', () => {
    expect(toGatewayError(sdkError('SomeNewServerFault', 502), 'iam', 'GetRole').kind).toBe(
      'Unavailable',
    );
    expect(toGatewayError(sdkError('Unknown', 429), 'iam', 'GetRole').kind).toBe('Throttled');
    expect(toGatewayError(sdkError('Unknown', 403), 'iam', 'GetRole').kind).toBe('AccessDenied');
    expect(toGatewayError(sdkError('Weird', 418), 'iam', 'GetRole').kind).toBe('Unknown');
  });

  it('trusts the SDK’s throttling hint', () => {
    expect(
      toGatewayError(
        sdkError('BrandNewLimit', 400, { $retryable: { throttling: true } }),
        'eks',
        'ListAddons',
      ).kind,
    ).toBe('Throttled');
  });

  it('recognises socket errors, also when the SDK wraps them without their code', () => {
    const wrapped = Object.assign(
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'),
      { $metadata: { attempts: 1 } },
    );
    expect(toGatewayError(wrapped, 'sts', 'GetCallerIdentity')).toMatchObject({
      kind: 'Unavailable',
      code: 'ECONNREFUSED',
    });
    expect(
      toGatewayError(
        Object.assign(new Error('getaddrinfo ENOTFOUND eks.nowhere-1.amazonaws.com'), {
          code: 'ENOTFOUND',
        }),
        'eks',
        'ListClusters',
      ).kind,
    ).toBe('Unavailable');
    expect(
      toGatewayError(
        Object.assign(new Error('socket timed out'), { code: 'ETIMEDOUT' }),
        'eks',
        'ListClusters',
      ).kind,
    ).toBe('Timeout');
  });

  it('passes GatewayErrors through unchanged', () => {
    const g = new GatewayError('InUse', 'busy', 'eks', 'UpdateAddon');
    expect(toGatewayError(g, 'x', 'y')).toBe(g);
  });
});
