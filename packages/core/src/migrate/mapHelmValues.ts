/**
 * A profile's value mappings applied to Helm values: the add-on configuration they give, the
 * serviceAccountRoleArn of each add-on, and the IAM roles to create where a Helm-era role does not
 * fit the add-on.
 */
import type { HelmValues } from '../helm/HelmRelease';
import { mappingFits } from './classifyHelmValues';
import { configurationSchemaPath } from './configurationSchemaPath';
import { roleNameOf, s3BucketName } from './helmValueNames';
import { irsaTrust, trustsServiceAccount } from './irsaTrust';
import { getPath, setPath } from './manifest';
import type { MigrationDiscovery } from './MigrationDiscovery';
import type { CreateRoleAction } from './MigrationPlan';
import { CREATED_BY_TAG, type MigrationProfile, type ValueMapping } from './profiles';

/** What the plan collects while mapping (the target's values and each dependency's). */
export interface MappingContext {
  d: MigrationDiscovery;
  id8: string | undefined;
  roleActions: CreateRoleAction[];
  blockers: string[];
  warnings: string[];
}

export interface MappedValues {
  configuration: Record<string, unknown>;
  /** serviceAccountRoleArn per add-on name. */
  serviceAccountRoleArn: Record<string, string>;
}

export function mapHelmValues(
  profile: MigrationProfile,
  values: HelmValues,
  ctx: MappingContext,
  schemaText: string | null | undefined,
): MappedValues {
  const out: MappedValues = { configuration: {}, serviceAccountRoleArn: {} };
  for (const m of profile.mappings) {
    const raw = getPath(values, m.from);
    if (raw === undefined || raw === null || raw === '') continue;
    // A target the add-on version has no place for is a drop (classifyHelmValues), not a mapping.
    if (!mappingFits(m, schemaText).fits) continue;
    let value: unknown =
      m.transform === 's3-bucket-name' && typeof raw === 'string' ? s3BucketName(raw) : raw;
    if (m.role && typeof raw === 'string') value = resolveRole(m, raw, ctx);
    if (value === undefined) continue;
    if (m.serviceAccountRoleOf) out.serviceAccountRoleArn[m.serviceAccountRoleOf] = String(value);
    if (m.to) setPath(out.configuration, m.to, value);
    for (const [k, v] of Object.entries(m.alsoSet ?? {}))
      if (schemaText === undefined || configurationSchemaPath(schemaText, k).found)
        setPath(out.configuration, k, v);
  }
  return out;
}

/** The role ARN the add-on gets for a Helm-era role: the same one when it fits, else a new one. */
function resolveRole(m: ValueMapping, oldArn: string, ctx: MappingContext): string | undefined {
  const { d, id8, roleActions, blockers, warnings } = ctx;
  const rule = m.role!;
  const oldName = roleNameOf(oldArn);
  const old = d.roles[oldName];
  const trusts = (role: NonNullable<typeof old>) =>
    trustsServiceAccount(role, d.cluster.oidcIssuer, rule.serviceAccount);
  if (old && (!rule.requiredPrefix || oldName.startsWith(rule.requiredPrefix)) && trusts(old))
    return old.arn;
  if (!id8) {
    blockers.push(
      `cannot name the new role for ${m.from}: hyperpodClusterArn is not in the Helm values`,
    );
    return undefined;
  }
  const name = rule.name.replace('{id8}', id8);
  const arn = `arn:aws:iam::${d.cluster.accountId}:role/${name}`;
  const existing = d.roles[name];
  if (existing) {
    if (trusts(existing)) {
      warnings.push(`role ${name} exists and trusts ${rule.serviceAccount}: reused as it is`);
      return existing.arn;
    }
    blockers.push(
      `role ${name} exists but its trust policy does not allow ${rule.serviceAccount} through the cluster's OIDC provider: fix or delete it`,
    );
    return undefined;
  }
  if (old === undefined || old === null) {
    blockers.push(
      `role ${oldName} (Helm value ${m.from}) does not exist: its permissions cannot be copied to ${name}`,
    );
    return undefined;
  }
  if (!d.cluster.oidcIssuer) {
    blockers.push(`cluster ${d.cluster.name} has no OIDC issuer: IRSA roles cannot be made`);
    return undefined;
  }
  if (!roleActions.some((a) => a.roleName === name))
    roleActions.push({
      id: `role-${name}`,
      kind: 'iam.createRole',
      roleName: name,
      trustPolicy: irsaTrust(d.cluster.accountId, d.cluster.oidcIssuer, rule.serviceAccount),
      copyFrom: oldName,
      attachPolicyArns: [...old.attachedPolicyArns],
      inlinePolicies: { ...(d.inlinePolicies[oldName] ?? {}) },
      tags: { [CREATED_BY_TAG.key]: CREATED_BY_TAG.value },
      summary: `create IAM role ${name} trusted by ${rule.serviceAccount}, with ${old.attachedPolicyArns.length} managed and ${old.inlinePolicyNames.length} inline policies of ${oldName}`,
      inverse: 'delete the role (and its policies)',
    });
  return arn;
}
