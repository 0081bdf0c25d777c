/** StsGateway on the AWS SDK v3 STS client. */
import type { STSClient } from '@aws-sdk/client-sts';
import {
  GatewayError,
  type AssumedRole,
  type AssumeRoleInput,
  type CallerIdentity,
  type StsGateway,
} from '@hyperpod/core';
import { isoDate, lazyClient, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type StsSdk = typeof import('@aws-sdk/client-sts');
let sdkModule: Promise<StsSdk> | undefined;
const loadSdk = (): Promise<StsSdk> => (sdkModule ??= import('@aws-sdk/client-sts'));

export class AwsSdkStsGateway implements StsGateway {
  private readonly client: () => Promise<STSClient>;

  constructor(client: ClientSource<STSClient>) {
    this.client = lazyClient(client);
  }

  async getCallerIdentity(): Promise<CallerIdentity> {
    return this.call('GetCallerIdentity', async (c, sdk) => {
      const out = await c.send(new sdk.GetCallerIdentityCommand({}));
      return { accountId: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    });
  }

  async assumeRole(input: AssumeRoleInput): Promise<AssumedRole> {
    return this.call('AssumeRole', async (c, sdk) => {
      const out = await c.send(
        new sdk.AssumeRoleCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.sessionName,
          DurationSeconds: input.durationSeconds,
          ExternalId: input.externalId,
        }),
      );
      const cr = out.Credentials;
      if (!cr?.AccessKeyId || !cr.SecretAccessKey || !cr.SessionToken) {
        throw new GatewayError(
          'Unknown',
          `AssumeRole ${input.roleArn} answered without credentials`,
          'sts',
          'AssumeRole',
        );
      }
      return {
        credentials: {
          accessKeyId: cr.AccessKeyId,
          secretAccessKey: cr.SecretAccessKey,
          sessionToken: cr.SessionToken,
          expiration:
            isoDate(cr.Expiration) ??
            new Date(Date.now() + (input.durationSeconds ?? 3600) * 1000).toISOString(),
        },
        assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
      };
    });
  }

  private async call<T>(
    operation: string,
    run: (client: STSClient, sdk: StsSdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 'sts', operation);
    }
  }
}
