/**
 * The contract between the sandbox's AWS front door (AwsServer) and each emulated service.
 * A service handler gets a parsed, authenticated request and returns a response, or throws an
 * AwsError that the front door encodes in the service's own protocol.
 */

/** Wire protocols of the emulated services, as named in the service models. */
export type AwsProtocol = 'rest-json' | 'query' | 'rest-xml' | 'json';

export interface AwsRequest {
  /** Signing name from the SigV4 credential scope: eks, iam, sts, s3, elasticloadbalancing, acm, sagemaker. */
  service: string;
  method: string;
  /** Decoded path without the query string, e.g. `/clusters/demo/addons`. */
  path: string;
  /** Raw path as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
  region: string;
  accountId: string;
  accessKeyId: string;
  /** ARN of the calling principal (user or assumed role). */
  principalArn: string;
  /** Per-request id, echoed in x-amzn-requestid / x-amz-request-id. */
  requestId: string;
}

export interface AwsResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → sent as is (XML for query/rest-xml protocols); undefined → empty body. */
  body?: unknown;
}

export class AwsError extends Error {
  constructor(
    /** The error code clients match on, e.g. ResourceNotFoundException, NoSuchEntity, NoSuchBucket. */
    readonly code: string,
    message: string,
    /** HTTP status; 400 for client errors. */
    readonly status = 400,
    /** `Sender` or `Receiver` for query-protocol services. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    /** Extra JSON members for rest-json errors (e.g. clusterName, addonName on EKS errors). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export interface AwsService {
  /** SigV4 signing name this handler serves. */
  readonly signingName: string;
  readonly protocol: AwsProtocol;
  /**
   * The operation name for a request, for fault points and metrics (e.g. `CreateAddon`).
   * Returns undefined for an unknown route; the front door answers that like the real service.
   */
  operationOf(req: AwsRequest): string | undefined;
  handle(req: AwsRequest, operation: string): Promise<AwsResponse> | AwsResponse;
}
