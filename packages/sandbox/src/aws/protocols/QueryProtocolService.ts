/**
 * A service of the query protocol (IAM, STS, ELBv2): `Action` and `Version` name the operation,
 * form parameters are the input, the answer is `<OperationResponse><OperationResult>` XML. A
 * service lists its operations as a table of result builders.
 */
import { AwsError } from '../types';
import type { AwsProtocol, AwsRequest, AwsResponse, AwsService } from '../types';
import { queryAction, queryParams, queryResponse, type XmlValue } from './queryProtocol';

/** The operation's `<…Result>` element, or nothing for an empty one. */
export type QueryOperation = (
  req: AwsRequest,
  p: URLSearchParams,
) => Record<string, XmlValue> | void;

export abstract class QueryProtocolService implements AwsService {
  abstract readonly signingName: string;
  readonly protocol: AwsProtocol = 'query';
  /** The API version the service answers (`Version`) and its XML namespace. */
  protected abstract readonly api: { version: string; xmlns: string };
  protected abstract readonly operations: Readonly<Record<string, QueryOperation>>;
  private operationNames?: ReadonlySet<string>;

  operationOf(req: AwsRequest): string | undefined {
    this.operationNames ??= new Set(Object.keys(this.operations));
    return queryAction(req, this.operationNames, this.api.version);
  }

  handle(req: AwsRequest, operation: string): AwsResponse {
    const p = queryParams(req);
    const run = this.operations[operation];
    if (!run)
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${operation} for version ${this.api.version}`,
        400,
      );
    return queryResponse(operation, this.api.xmlns, req.requestId, run(req, p) ?? undefined);
  }
}
