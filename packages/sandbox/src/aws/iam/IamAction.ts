/** The shape of one IAM action's handler: it reads the query parameters and answers a result. */
import type { XmlValue } from '../protocols/queryProtocol';
import type { AwsRequest } from '../types';
import type { IamStore } from './IamStore';
import type { PolicySimulator } from './simulatePrincipalPolicy';

export interface IamCall {
  store: IamStore;
  req: AwsRequest;
  /** The request's query parameters. */
  p: URLSearchParams;
  simulator?: PolicySimulator;
}

/** Returns the action's result element, or nothing for an empty answer. */
export type IamAction = (call: IamCall) => Record<string, XmlValue> | void;
