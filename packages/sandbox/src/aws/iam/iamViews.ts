/** How IAM writes its entities in query-protocol answers. */
import type { XmlValue } from '../protocols/queryProtocol';
import type { IamTag, ManagedPolicy, Role, User } from './IamState';

const tagsXml = (tags: IamTag[]) => tags.map((t) => ({ ...t }));

export function roleXml(r: Role, opts: { tags: boolean }): Record<string, XmlValue> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createDate,
    // IAM returns policy documents URL-encoded (RFC 3986); clients decode them.
    AssumeRolePolicyDocument: encodeURIComponent(r.trustPolicy),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    Tags: opts.tags ? tagsXml(r.tags) : undefined,
  };
}

export function userXml(u: User): Record<string, XmlValue> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: u.createDate,
    Tags: u.tags.length > 0 ? tagsXml(u.tags) : undefined,
  };
}

export function policyXml(
  x: ManagedPolicy,
  attachmentCount: number,
  full: boolean,
): Record<string, XmlValue> {
  return {
    PolicyName: x.name,
    PolicyId: x.policyId,
    Arn: x.arn,
    Path: x.path,
    DefaultVersionId: 'v1',
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: full ? x.description : undefined,
    CreateDate: x.createDate,
    UpdateDate: x.updateDate,
    Tags: x.tags.length > 0 ? tagsXml(x.tags) : undefined,
  };
}
