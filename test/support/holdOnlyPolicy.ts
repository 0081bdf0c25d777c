/**
 * Makes an IAM user hold exactly one policy document, as an administrator would: every managed
 * policy detached, the document created as a new managed policy and attached, through IAM's API
 * with the sandbox's enforcement paused for the account meanwhile.
 */
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  DetachUserPolicyCommand,
  type IAMClient,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { Sandbox } from '@hyperpod/sandbox';

export async function holdOnlyPolicy(
  sb: Sandbox,
  iam: IAMClient,
  who: { accountId: string; userName: string },
  document: object,
  policyName: string,
): Promise<void> {
  const { accountId, userName } = who;
  sb.authorization.enforce(accountId, false);
  try {
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
    for (const a of attached.AttachedPolicies ?? [])
      await iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: a.PolicyArn }));
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: policyName, PolicyDocument: JSON.stringify(document) }),
    );
    await iam.send(
      new AttachUserPolicyCommand({ UserName: userName, PolicyArn: created.Policy!.Arn! }),
    );
  } finally {
    sb.authorization.enforce(accountId, true);
  }
}
