/** IamGateway on the AWS SDK v3 IAM client. A role is read with its policies and tags in one call. */
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  GatewayError,
  type CreateRoleInput,
  type IamGateway,
  type IamRole,
  type PolicyDocument,
  type SimulationInput,
  type SimulationResult,
} from '@hyperpod/core';
import { isoDate, lazyClient, recordToTags, tagsToRecord, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type IamSdk = typeof import('@aws-sdk/client-iam');
let sdkModule: Promise<IamSdk> | undefined;
const loadSdk = (): Promise<IamSdk> => (sdkModule ??= import('@aws-sdk/client-iam'));

export class AwsSdkIamGateway implements IamGateway {
  readonly accountId?: string;
  private readonly client: () => Promise<IAMClient>;

  constructor(client: ClientSource<IAMClient>, opts: { accountId?: string } = {}) {
    this.client = lazyClient(client);
    this.accountId = opts.accountId;
  }

  async getRole(name: string): Promise<IamRole | undefined> {
    try {
      return await this.call('GetRole', async (c, sdk) => {
        const out = await c.send(new sdk.GetRoleCommand({ RoleName: name }));
        const role = out.Role;
        if (!role) return undefined;
        const [attached, inline] = await Promise.all([
          this.attachedPolicies(c, sdk, name),
          this.inlinePolicies(c, sdk, name),
        ]);
        return {
          name: role.RoleName ?? name,
          arn: role.Arn ?? '',
          path: role.Path ?? '/',
          trustPolicy: parsePolicy(role.AssumeRolePolicyDocument),
          attachedPolicyArns: attached,
          inlinePolicyNames: inline,
          tags: tagsToRecord(role.Tags),
          ...(role.Description ? { description: role.Description } : {}),
          ...(role.CreateDate ? { createdAt: isoDate(role.CreateDate) } : {}),
        };
      });
    } catch (e) {
      if (e instanceof GatewayError && e.kind === 'NotFound') return undefined;
      throw e;
    }
  }

  async createRole(input: CreateRoleInput): Promise<IamRole> {
    return this.call('CreateRole', async (c, sdk) => {
      const out = await c.send(
        new sdk.CreateRoleCommand({
          RoleName: input.name,
          AssumeRolePolicyDocument: JSON.stringify(input.trustPolicy),
          Path: input.path,
          Description: input.description,
          MaxSessionDuration: input.maxSessionDuration,
          Tags: input.tags ? recordToTags(input.tags) : undefined,
        }),
      );
      const role = out.Role;
      return {
        name: role?.RoleName ?? input.name,
        arn: role?.Arn ?? '',
        path: role?.Path ?? input.path ?? '/',
        trustPolicy: role?.AssumeRolePolicyDocument
          ? parsePolicy(role.AssumeRolePolicyDocument)
          : input.trustPolicy,
        attachedPolicyArns: [],
        inlinePolicyNames: [],
        tags: { ...(input.tags ?? {}) },
        ...(input.description ? { description: input.description } : {}),
        ...(role?.CreateDate ? { createdAt: isoDate(role.CreateDate) } : {}),
      };
    });
  }

  async deleteRole(name: string): Promise<void> {
    await this.call('DeleteRole', (c, sdk) =>
      c.send(new sdk.DeleteRoleCommand({ RoleName: name })),
    );
  }

  async attachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.call('AttachRolePolicy', (c, sdk) =>
      c.send(new sdk.AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    );
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.call('DetachRolePolicy', (c, sdk) =>
      c.send(new sdk.DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    );
  }

  async getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
    try {
      return await this.call('GetRolePolicy', async (c, sdk) => {
        const out = await c.send(
          new sdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
        );
        return parsePolicy(out.PolicyDocument);
      });
    } catch (e) {
      // Only a missing policy is an answer; a missing role stays an error.
      if (e instanceof GatewayError && e.kind === 'NotFound' && /role policy/i.test(e.message))
        return undefined;
      throw e;
    }
  }

  async putRolePolicy(
    roleName: string,
    policyName: string,
    document: PolicyDocument,
  ): Promise<void> {
    await this.call('PutRolePolicy', (c, sdk) =>
      c.send(
        new sdk.PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policyName,
          PolicyDocument: JSON.stringify(document),
        }),
      ),
    );
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<void> {
    await this.call('DeleteRolePolicy', (c, sdk) =>
      c.send(new sdk.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
  }

  async tagRole(roleName: string, tags: Record<string, string>): Promise<void> {
    await this.call('TagRole', (c, sdk) =>
      c.send(new sdk.TagRoleCommand({ RoleName: roleName, Tags: recordToTags(tags) })),
    );
  }

  async untagRole(roleName: string, keys: string[]): Promise<void> {
    await this.call('UntagRole', (c, sdk) =>
      c.send(new sdk.UntagRoleCommand({ RoleName: roleName, TagKeys: keys })),
    );
  }

  async simulatePrincipalPolicy(input: SimulationInput): Promise<SimulationResult[]> {
    return this.call('SimulatePrincipalPolicy', async (c, sdk) => {
      const out: SimulationResult[] = [];
      let marker: string | undefined;
      do {
        const page = await c.send(
          new sdk.SimulatePrincipalPolicyCommand({
            PolicySourceArn: input.principalArn,
            ActionNames: input.actions,
            ResourceArns: [input.resource],
            ContextEntries: Object.entries(input.context ?? {}).map(([k, v]) => ({
              ContextKeyName: k,
              ContextKeyValues: [v].flat(),
              ContextKeyType: Array.isArray(v) ? 'stringList' : 'string',
            })),
            Marker: marker,
          }),
        );
        for (const r of page.EvaluationResults ?? [])
          out.push({
            action: r.EvalActionName ?? '',
            resource: r.EvalResourceName ?? input.resource,
            decision:
              r.EvalDecision === 'allowed' || r.EvalDecision === 'explicitDeny'
                ? r.EvalDecision
                : 'implicitDeny',
          });
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return out;
    });
  }

  private async attachedPolicies(c: IAMClient, sdk: IamSdk, roleName: string): Promise<string[]> {
    const arns: string[] = [];
    let marker: string | undefined;
    do {
      const out = await c.send(
        new sdk.ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      for (const p of out.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return arns;
  }

  private async inlinePolicies(c: IAMClient, sdk: IamSdk, roleName: string): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const out = await c.send(
        new sdk.ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      names.push(...(out.PolicyNames ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return names;
  }

  private async call<T>(
    operation: string,
    run: (client: IAMClient, sdk: IamSdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 'iam', operation);
    }
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986) JSON. */
function parsePolicy(text: string | undefined): PolicyDocument {
  if (!text) return {};
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Already plain JSON with a literal '%'.
  }
  try {
    const parsed: unknown = JSON.parse(decoded);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as PolicyDocument)
      : {};
  } catch {
    return {};
  }
}
