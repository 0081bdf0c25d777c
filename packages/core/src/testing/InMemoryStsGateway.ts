/** StsGateway in memory: a caller identity and the roles it may assume. */
import { GatewayError } from '../ports/GatewayError';
import type { AssumedRole, AssumeRoleInput, CallerIdentity, StsGateway } from '../ports/StsGateway';
import { FakeFaults } from './FakeFaults';

export class InMemoryStsGateway implements StsGateway {
  readonly faults = new FakeFaults();
  private readonly assumable = new Map<string, { externalId?: string }>();
  private issued = 0;

  constructor(
    private readonly identity: CallerIdentity = {
      accountId: '111111111111',
      arn: 'arn:aws:iam::111111111111:user/sandbox-admin',
      userId: 'AIDA111111111111SANDBOX',
    },
    private readonly now: () => number = Date.now,
  ) {}

  /** Lets the caller assume `roleArn` (with this external id, when given). */
  allowAssumeRole(roleArn: string, opts: { externalId?: string } = {}): void {
    this.assumable.set(roleArn, opts);
  }

  async getCallerIdentity(): Promise<CallerIdentity> {
    this.faults.check('sts', 'GetCallerIdentity');
    return { ...this.identity };
  }

  async assumeRole(input: AssumeRoleInput): Promise<AssumedRole> {
    this.faults.check('sts', 'AssumeRole');
    if (!/^[\w+=,.@-]{2,64}$/.test(input.sessionName)) {
      throw new GatewayError(
        'InvalidParameter',
        `1 validation error detected: Value '${input.sessionName}' at 'roleSessionName' failed to satisfy constraint`,
        'sts',
        'AssumeRole',
        'ValidationError',
        400,
      );
    }
    const rule = this.assumable.get(input.roleArn);
    if (!rule || (rule.externalId !== undefined && rule.externalId !== input.externalId)) {
      throw new GatewayError(
        'AccessDenied',
        `User: ${this.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`,
        'sts',
        'AssumeRole',
        'AccessDenied',
        403,
      );
    }
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(input.roleArn);
    const n = ++this.issued;
    return {
      credentials: {
        accessKeyId: `ASIAINMEMORY${String(n).padStart(8, '0')}`,
        secretAccessKey: `in-memory-secret-${n}`,
        sessionToken: `in-memory-session-${n}`,
        expiration: new Date(this.now() + (input.durationSeconds ?? 3600) * 1000).toISOString(),
      },
      assumedRoleArn: `arn:aws:sts::${m?.[1] ?? this.identity.accountId}:assumed-role/${m?.[2] ?? 'role'}/${input.sessionName}`,
    };
  }
}
