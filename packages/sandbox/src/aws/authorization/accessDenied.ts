/**
 * The error each service answers a call its caller's policies do not allow, in the service's own
 * shape: AccessDeniedException for the JSON services (EKS 403, ACM and SageMaker 400),
 * AccessDenied for the query services (IAM, STS, ELBv2) and S3, with the message AWS writes
 * since 2023 ("User: … is not authorized to perform: … because no identity-based policy allows
 * the … action").
 */
import { AwsError, type AwsProtocol } from '../types';
import type { AuthorizationDecision } from './evaluatePolicies';

export function accessDenied(
  protocol: AwsProtocol,
  principalArn: string,
  action: string,
  resource: string,
  decision: AuthorizationDecision,
): AwsError {
  const on =
    resource === '*'
      ? ''
      : protocol === 'rest-xml'
        ? ` on resource: "${resource}"`
        : ` on resource: ${resource}`;
  const why =
    decision.decision === 'explicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${action} action`;
  const message = `User: ${principalArn} is not authorized to perform: ${action}${on} ${why}`;
  switch (protocol) {
    case 'rest-json':
      return new AwsError('AccessDeniedException', message, 403);
    case 'json':
      return new AwsError('AccessDeniedException', message, 400);
    case 'query':
    case 'rest-xml':
      return new AwsError('AccessDenied', message, 403);
  }
}
