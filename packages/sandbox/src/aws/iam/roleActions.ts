/** IAM's role actions: create, read, delete and list roles, their trust policy and tags. */
import { memberList, optional, optionalInt, required, tagList } from '../protocols/queryProtocol';
import type { IamAction } from './IamAction';
import { checkTrustPolicy, creationParams, paged, truncation } from './iamParams';
import { deleteConflict } from './IamState';
import { mergeTags, validTags } from './iamTags';
import { roleXml } from './iamViews';

export const ROLE_ACTIONS: Record<string, IamAction> = {
  CreateRole: ({ store, req, p }) => {
    const { document, ...params } = creationParams(p, 'RoleName', 'AssumeRolePolicyDocument');
    const role = store.createRole(req.accountId, {
      ...params,
      trustPolicy: document,
      maxSessionDuration: optionalInt(p, 'MaxSessionDuration', 3600, 43200),
    });
    return { Role: roleXml(role, { tags: role.tags.length > 0 }) };
  },
  GetRole: ({ store, req, p }) => {
    const role = store.role(req.accountId, required(p, 'RoleName'));
    return { Role: { ...roleXml(role, { tags: role.tags.length > 0 }), RoleLastUsed: {} } };
  },
  DeleteRole: ({ store, req, p }) => {
    const role = store.role(req.accountId, required(p, 'RoleName'));
    if (role.attachedPolicyArns.length > 0)
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (role.inlinePolicies.size > 0)
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    store.account(req.accountId).roles.delete(role.name.toLowerCase());
  },
  ListRoles: ({ store, req, p }) => {
    const prefix = optional(p, 'PathPrefix') ?? '/';
    const roles = [...store.account(req.accountId).roles.values()]
      .filter((r) => r.path.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const pg = paged(roles, p);
    return {
      Roles: pg.items.map((r) => roleXml(r, { tags: false })),
      ...truncation(pg.next),
    };
  },
  UpdateAssumeRolePolicy: ({ store, req, p }) => {
    const role = store.role(req.accountId, required(p, 'RoleName'));
    const doc = required(p, 'PolicyDocument');
    checkTrustPolicy(doc);
    role.trustPolicy = doc;
  },
  TagRole: ({ store, req, p }) => {
    const role = store.role(req.accountId, required(p, 'RoleName'));
    role.tags = mergeTags(role.tags, validTags(tagList(p)));
  },
  UntagRole: ({ store, req, p }) => {
    const role = store.role(req.accountId, required(p, 'RoleName'));
    const keys = new Set(memberList(p, 'TagKeys').map((k) => k.toLowerCase()));
    role.tags = role.tags.filter((t) => !keys.has(t.Key.toLowerCase()));
  },
  ListRoleTags: ({ store, req, p }) => {
    const role = store.role(req.accountId, required(p, 'RoleName'));
    const pg = paged(role.tags, p);
    return { Tags: pg.items.map((t) => ({ ...t })), ...truncation(pg.next) };
  },
};
