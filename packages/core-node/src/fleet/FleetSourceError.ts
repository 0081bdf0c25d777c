/**
 * A fleet source that could not be read in full: a fleet file that does not validate, or an
 * account/region where discovery failed. Discovery failures are returned as data (the rest of the
 * fleet is still scanned); a bad fleet file is thrown, since nothing can be scanned from it.
 */
import type { SerializedGatewayError } from '@hyperpod/core';

export class FleetFileError extends Error {
  constructor(
    readonly file: string,
    /** One line per problem: `fleet.yaml: clusters[2].region: must be an AWS region name like us-east-1`. */
    readonly problems: string[],
  ) {
    super(problems.join('\n'));
    this.name = 'FleetFileError';
  }
}

/** One account/region (or HyperPod lookup) that discovery could not read. */
export interface FleetSourceError {
  /** `discover`, `hyperpod`. */
  source: string;
  accountId?: string;
  region?: string;
  roleArn?: string;
  error: SerializedGatewayError;
}
