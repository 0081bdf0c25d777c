/**
 * A service of the JSON protocol (ACM, SageMaker): the operation is named by X-Amz-Target
 * (`<prefix>.<Operation>`), the input is the JSON body. A service lists its operations as a table.
 */
import { AwsError } from '../types';
import type { AwsProtocol, AwsRequest, AwsResponse, AwsService } from '../types';
import { jsonBody, jsonTarget, type JsonObject } from './jsonProtocol';

export type JsonOperation = (req: AwsRequest, body: JsonObject) => AwsResponse;

export abstract class JsonProtocolService implements AwsService {
  abstract readonly signingName: string;
  readonly protocol: AwsProtocol = 'json';
  /** X-Amz-Target's prefix, e.g. `CertificateManager`. */
  protected abstract readonly targetPrefix: string;
  protected abstract readonly operations: Readonly<Record<string, JsonOperation>>;
  private operationNames?: ReadonlySet<string>;

  operationOf(req: AwsRequest): string | undefined {
    this.operationNames ??= new Set(Object.keys(this.operations));
    return jsonTarget(req, this.targetPrefix, this.operationNames);
  }

  handle(req: AwsRequest, operation: string): AwsResponse {
    const body = jsonBody(req);
    const run = this.operations[operation];
    if (!run)
      throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`, 400);
    return run(req, body);
  }
}
