/**
 * The STS operations the product uses: who the caller is (to name the account of a fleet source)
 * and AssumeRole into the accounts of a fleet.
 * Adapters: AwsSdkStsGateway (core-node), InMemoryStsGateway (tests).
 */

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO-8601. */
  expiration: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  externalId?: string;
}

export interface AssumedRole {
  credentials: TemporaryCredentials;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  assumedRoleArn: string;
}

export interface StsGateway {
  getCallerIdentity(): Promise<CallerIdentity>;
  /** AccessDenied when the role does not exist or its trust policy refuses the caller. */
  assumeRole(input: AssumeRoleInput): Promise<AssumedRole>;
}
