/**
 * The policies of a role or a user, which IAM treats alike under two sets of names
 * (AttachRolePolicy / AttachUserPolicy, PutRolePolicy / PutUserPolicy, ...): attached managed
 * policies and inline policies. Only the quotas differ.
 */
import { optional, required } from '../protocols/queryProtocol';
import type { IamAction, IamCall } from './IamAction';
import {
  checkIdentityPolicy,
  checkName,
  checkPolicyArn,
  paged,
  truncation,
  policySize,
} from './iamParams';
import { MAX_MANAGED_PER_HOLDER, limitExceeded, noSuchEntity, type PolicyHolder } from './IamState';
import type { IamStore } from './IamStore';

interface HolderKind {
  /** As IAM's action and parameter names spell it. */
  noun: 'Role' | 'User';
  find(store: IamStore, accountId: string, name: string): PolicyHolder;
  /** Quota on the total size of the holder's inline policies. */
  inlineBytes: number;
}

function holderPolicyActions(kind: HolderKind): Record<string, IamAction> {
  const { noun } = kind;
  const word = noun.toLowerCase();
  const holderOf = ({ store, req, p }: IamCall) =>
    kind.find(store, req.accountId, required(p, `${noun}Name`));
  return {
    [`Attach${noun}Policy`]: (call) => {
      const holder = holderOf(call);
      const policy = call.store.existingPolicy(call.req.accountId, required(call.p, 'PolicyArn'));
      if (!holder.attachedPolicyArns.includes(policy.arn)) {
        if (holder.attachedPolicyArns.length >= MAX_MANAGED_PER_HOLDER)
          throw limitExceeded(
            `Cannot exceed quota for PoliciesPer${noun}: ${MAX_MANAGED_PER_HOLDER}`,
          );
        holder.attachedPolicyArns.push(policy.arn);
      }
    },
    [`Detach${noun}Policy`]: (call) => {
      const holder = holderOf(call);
      const arn = checkPolicyArn(required(call.p, 'PolicyArn'));
      if (!holder.attachedPolicyArns.includes(arn))
        throw noSuchEntity(`Policy ${arn} was not found.`);
      holder.attachedPolicyArns = holder.attachedPolicyArns.filter((a) => a !== arn);
    },
    [`ListAttached${noun}Policies`]: (call) => {
      const holder = holderOf(call);
      const prefix = optional(call.p, 'PathPrefix') ?? '/';
      const attached = call.store.attachedPolicies(holder).filter((x) => x.path.startsWith(prefix));
      const pg = paged(attached, call.p);
      return {
        AttachedPolicies: pg.items.map((x) => ({ PolicyName: x.name, PolicyArn: x.arn })),
        ...truncation(pg.next),
      };
    },
    [`Put${noun}Policy`]: (call) => {
      const holder = holderOf(call);
      const name = checkName(required(call.p, 'PolicyName'), 'policyName', 128);
      const doc = required(call.p, 'PolicyDocument');
      checkIdentityPolicy(doc);
      const others = [...holder.inlinePolicies]
        .filter(([n]) => n !== name)
        .reduce((n, [, d]) => n + policySize(d), 0);
      if (others + policySize(doc) > kind.inlineBytes)
        throw limitExceeded(
          `Maximum policy size of ${kind.inlineBytes} bytes exceeded for ${word} ${holder.name}`,
        );
      holder.inlinePolicies.set(name, doc);
    },
    [`Get${noun}Policy`]: (call) => {
      const holder = holderOf(call);
      const name = required(call.p, 'PolicyName');
      const doc = holder.inlinePolicies.get(name);
      if (doc === undefined)
        throw noSuchEntity(`The ${word} policy with name ${name} cannot be found.`);
      return {
        [`${noun}Name`]: holder.name,
        PolicyName: name,
        PolicyDocument: encodeURIComponent(doc),
      };
    },
    [`Delete${noun}Policy`]: (call) => {
      const holder = holderOf(call);
      const name = required(call.p, 'PolicyName');
      if (!holder.inlinePolicies.delete(name))
        throw noSuchEntity(`The ${word} policy with name ${name} cannot be found.`);
    },
    [`List${noun}Policies`]: (call) => {
      const holder = holderOf(call);
      const pg = paged([...holder.inlinePolicies.keys()].sort(), call.p);
      return { PolicyNames: pg.items, ...truncation(pg.next) };
    },
  };
}

export const HOLDER_POLICY_ACTIONS: Record<string, IamAction> = {
  ...holderPolicyActions({
    noun: 'Role',
    find: (store, accountId, name) => store.role(accountId, name),
    inlineBytes: 10240,
  }),
  ...holderPolicyActions({
    noun: 'User',
    find: (store, accountId, name) => store.user(accountId, name),
    inlineBytes: 2048,
  }),
};
