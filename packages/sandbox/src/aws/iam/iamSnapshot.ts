/** IAM's state as plain JSON, for the sandbox's snapshot and diff. */
import type { AccountState } from './IamState';
import { tagRecord } from './iamTags';

const documents = (inline: Map<string, string>) =>
  Object.fromEntries([...inline].map(([n, d]) => [n, JSON.parse(d) as unknown]));

export function iamSnapshot(accounts: Map<string, AccountState>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [accountId, acct] of accounts) {
    out[accountId] = {
      roles: Object.fromEntries(
        [...acct.roles.values()].map((r) => [
          r.name,
          {
            arn: r.arn,
            path: r.path,
            roleId: r.roleId,
            createDate: r.createDate.toISOString(),
            trustPolicy: JSON.parse(r.trustPolicy) as unknown,
            description: r.description,
            maxSessionDuration: r.maxSessionDuration,
            tags: tagRecord(r.tags),
            attachedPolicyArns: [...r.attachedPolicyArns],
            inlinePolicies: documents(r.inlinePolicies),
          },
        ]),
      ),
      policies: Object.fromEntries(
        [...acct.policies.values()].map((x) => [
          x.arn,
          {
            name: x.name,
            path: x.path,
            policyId: x.policyId,
            description: x.description,
            document: JSON.parse(x.document) as unknown,
            tags: tagRecord(x.tags),
          },
        ]),
      ),
      // Users appear once IAM was asked about them (their policies are state a change can touch).
      ...(acct.users.size > 0
        ? {
            users: Object.fromEntries(
              [...acct.users.values()].map((u) => [
                u.name,
                {
                  arn: u.arn,
                  attachedPolicyArns: [...u.attachedPolicyArns],
                  inlinePolicies: documents(u.inlinePolicies),
                },
              ]),
            ),
          }
        : {}),
    };
  }
  return out;
}
