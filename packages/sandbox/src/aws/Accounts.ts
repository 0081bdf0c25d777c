/**
 * Who may call the sandbox's AWS endpoint: long-term access keys per account and the temporary
 * credentials STS AssumeRole hands out. Access key → account is how real AWS tells accounts apart.
 */
import { randomBytes } from 'node:crypto';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  accountId: string;
  /** ARN of the principal: `arn:aws:iam::<acct>:user/<name>` or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  principalArn: string;
  /** Stable id GetCallerIdentity returns as UserId. */
  userId: string;
  /** Epoch ms after which calls fail with ExpiredToken; undefined = never. */
  expiresAt?: number;
}

export class Accounts {
  private readonly byKey = new Map<string, Credential>();

  add(cred: Credential): Credential {
    this.byKey.set(cred.accessKeyId, cred);
    return cred;
  }

  get(accessKeyId: string): Credential | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Every account id that has at least one credential. */
  accountIds(): string[] {
    return [...new Set([...this.byKey.values()].map((c) => c.accountId))].sort();
  }

  /** Long-term credentials (not issued by STS), one list per account, for printing and kubeconfigs. */
  longTerm(): Credential[] {
    return [...this.byKey.values()].filter((c) => !c.sessionToken);
  }

  /** Temporary credentials for an assumed role, as STS AssumeRole issues them. */
  issueTemporary(
    accountId: string,
    roleName: string,
    sessionName: string,
    durationSeconds: number,
    roleId: string,
  ): Credential {
    const accessKeyId = 'ASIA' + randomBytes(8).toString('hex').toUpperCase();
    return this.add({
      accessKeyId,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: 'FwoGZXIvYXdzE' + randomBytes(48).toString('base64'),
      accountId,
      principalArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
      expiresAt: Date.now() + durationSeconds * 1000,
    });
  }

  /** Marks a credential expired now (tests of "expired credentials"). */
  expire(accessKeyId: string): void {
    const c = this.byKey.get(accessKeyId);
    if (c) c.expiresAt = Date.now() - 1;
  }
}
