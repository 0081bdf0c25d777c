/**
 * Turns what discovery found into a MigrationPlan. Pure: no call is made here, so the same inputs
 * always give the same plan, and `--dry-run=client` is exactly this function's output.
 */
import { compatibleVersions } from '../addons/addonDrift';
import { compareAddonVersions } from '../addons/addonVersion';
import type { HelmValues } from '../helm/HelmRelease';
import type { IamRole, PolicyDocument } from '../ports/IamGateway';
import type { KubeRef } from '../ports/KubeGateway';
import { validateConfiguration } from '../upgrade/validateConfiguration';
import { classifyHelmValues, mappingFits } from './classifyHelmValues';
import { configurationSchemaPath } from './configurationSchemaPath';
import {
  chooseAddonVersion,
  componentObjects,
  dependencyObjects,
  hyperpodId8,
  roleNameOf,
  s3BucketName,
  scaleDownObjects,
  type MigrationDiscovery,
} from './discoverMigration';
import {
  MIGRATION_PLAN_SCHEMA_VERSION,
  type CreateRoleAction,
  type DroppedValue,
  type MigrationAction,
  type MigrationPlan,
  type MigrationStep,
  type PlannedDependency,
  type PlannedValue,
  type TagAction,
} from './MigrationPlan';
import { releaseStatusBlocker } from './releaseStatusGate';
import { KEPT_KINDS, keptByDesign, keptManifestObjects } from './discoverReleaseObjects';
import { describeRef, getPath, refKey, setPath } from './manifest';
import { CREATED_BY_TAG, findProfile, type MigrationProfile, type ValueMapping } from './profiles';
import { compareText } from '../text/compareText';

export interface PlanMigrationOptions {
  /** ISO-8601 timestamp of the plan. */
  now: string;
  /** Helm values keys the user accepts to lose (`--accept-drop`). */
  acceptDrops?: string[];
  /** Leave Helm-installed dependencies on Helm (`--skip-dependencies-migration`). */
  skipDependenciesMigration?: boolean;
  /** serviceAccountRoleArn for dependency add-ons, overriding what the values say (`--s3-mountpoint-role-arn`...). */
  dependencyRoles?: Record<string, string>;
  /** Release statuses (`failed`, `pending-upgrade`...) a person accepts to migrate from (`--allow-release-status`). */
  allowReleaseStatus?: string[];
  /** Who asks for the overrides, recorded in the plan (CLI: AWS caller ARN or OS user; portal: user entity ref). */
  requestedBy?: string;
}

/** Kinds a migration never deletes (KEPT_KINDS says why). */
const NEVER_DELETE = new Set(Object.keys(KEPT_KINDS));

export function planMigration(d: MigrationDiscovery, opts: PlanMigrationOptions): MigrationPlan {
  const profile = findProfile(d.profile);
  if (!profile) throw new Error(`unknown migration profile ${d.profile}`);
  const blockers: string[] = [...d.readErrors.map((e) => `could not read ${e}`)];
  const warnings: string[] = [];
  const k8s = d.cluster.version;
  const rel = d.release;

  const plan: MigrationPlan = {
    schemaVersion: MIGRATION_PLAN_SCHEMA_VERSION,
    kind: 'MigrationPlan',
    createdAt: opts.now,
    profile: profile.id,
    cluster: {
      name: d.cluster.name,
      arn: d.cluster.arn,
      accountId: d.cluster.accountId,
      region: d.cluster.region,
      kubernetesVersion: k8s,
    },
    source: rel
      ? {
          release: rel.name,
          namespace: rel.namespace,
          revision: rel.revision,
          status: rel.status,
          chart: rel.chart,
          chartVersion: rel.chartVersion,
          chartPath: rel.chartPath,
        }
      : {
          release: '',
          namespace: '',
          revision: 1,
          status: 'none',
          chart: '',
          chartVersion: '',
          chartPath: [profile.id],
        },
    target: {
      addonName: profile.addonName,
      addonVersion: '',
      configuration: {},
      configurationValid: false,
    },
    dependencies: [],
    drops: [],
    reads: d.reads,
    warnings,
    blockers,
    steps: [],
  };

  const existing = d.addons[profile.addonName];
  if (existing)
    blockers.push(
      `${profile.addonName} is already installed as an EKS add-on (${existing.addonVersion}, ${existing.status}): nothing to migrate`,
    );
  if (!rel) {
    if (d.candidates.length > 1)
      blockers.push(
        `${d.candidates.length} Helm releases install ${profile.id}: ${d.candidates.map((c) => `${c.namespace}/${c.release}`).join(', ')}; pick one with --release`,
      );
    else if (d.helmReleasesUnread)
      // A listing that failed says nothing about what is there.
      blockers.push(
        `whether a Helm release installs ${profile.id} in ${d.cluster.name} is unknown: its Helm releases could not be read (${d.helmReleasesUnread})`,
      );
    else if (!existing)
      blockers.push(`no Helm release installs ${profile.id} in any namespace of ${d.cluster.name}`);
    return plan;
  }
  const statusBlocker = releaseStatusBlocker(rel);
  if (statusBlocker) {
    if (opts.allowReleaseStatus?.includes(statusBlocker.status)) {
      plan.overrides = [
        {
          blocker: statusBlocker.id,
          message: statusBlocker.message,
          by: opts.requestedBy ?? 'unknown',
          at: opts.now,
        },
      ];
      warnings.push(
        `Helm release ${rel.namespace}/${rel.name} is ${rel.status} (revision ${rel.revision}): migrated from that revision as ${opts.requestedBy ?? 'unknown'} allowed with --allow-release-status ${rel.status}; its history stays as it is`,
      );
    } else blockers.push(statusBlocker.message);
  }

  // Target version and configuration.
  const catalog = d.catalogs[profile.addonName];
  const version = catalog
    ? chooseAddonVersion(catalog, k8s, { requested: d.requestedVersion })
    : undefined;
  if (!version)
    blockers.push(
      d.requestedVersion && !['default', 'latest'].includes(d.requestedVersion)
        ? `${profile.addonName} ${d.requestedVersion} is not offered for Kubernetes ${k8s}${catalog ? ` (compatible: ${compatibleVersions(catalog, k8s).compatible.join(', ') || 'none'})` : ''}`
        : `no ${profile.addonName} version is compatible with Kubernetes ${k8s}`,
    );
  plan.target.addonVersion = version ?? '';

  const id8 = hyperpodId8(rel.values);
  const roleActions: CreateRoleAction[] = [];
  const schema = version ? d.schemas[`${profile.addonName}@${version}`] : undefined;
  const mapped = mapValues(profile, rel.values, d, id8, roleActions, blockers, warnings, schema);
  plan.target.configuration = mapped.configuration;
  if (mapped.serviceAccountRoleArn[profile.addonName])
    plan.target.serviceAccountRoleArn = mapped.serviceAccountRoleArn[profile.addonName];
  const values: PlannedValue[] = [];
  const depValueSets: PlannedValue[][] = [];
  if (version) {
    const check = validateConfiguration(mapped.configuration, schema ?? undefined);
    plan.target.configurationValid = check.valid;
    for (const e of check.errors)
      blockers.push(`derived configuration is not valid for ${profile.addonName} ${version}: ${e}`);
  }

  // Dependencies.
  const depSteps: MigrationAction[] = [];
  const coveredPaths: string[][] = [rel.chartPath];
  for (const spec of profile.dependencies) {
    const depProfile = findProfile(spec.profile)!;
    const name = depProfile.addonName;
    const state = d.dependencies.find((x) => x.addonName === name);
    const installed = d.addons[name];
    const cat = d.catalogs[name];
    const depVersion = cat ? chooseAddonVersion(cat, k8s, { min: spec.minVersion }) : undefined;
    const role = opts.dependencyRoles?.[name] ?? mapped.serviceAccountRoleArn[name];
    const planned: PlannedDependency = {
      addonName: name,
      minVersion: spec.minVersion,
      action: 'create',
    };
    if (installed) {
      planned.action = 'installed';
      planned.addonVersion = installed.addonVersion;
      if (compareAddonVersions(installed.addonVersion, spec.minVersion) < 0)
        blockers.push(
          `add-on ${name} ${installed.addonVersion} is below the ${spec.minVersion} ${profile.addonName} needs: upgrade it first (aws eks update-addon --cluster-name ${d.cluster.name} --addon-name ${name} --addon-version ${depVersion ?? spec.minVersion})`,
        );
    } else if (state?.helmChartPath) {
      planned.action = opts.skipDependenciesMigration ? 'keep-helm' : 'migrate';
      if (planned.action === 'keep-helm')
        warnings.push(
          `${name} stays on Helm (sub-chart ${state.helmChartPath.join('/')}) as asked`,
        );
    } else if (state?.external) {
      planned.action = 'external';
      planned.note = `installed outside this release (${state.external}); left as it is`;
      warnings.push(`${name} is ${planned.note}`);
    }
    if (planned.action === 'create' || planned.action === 'migrate') {
      if (!depVersion) {
        blockers.push(
          `no ${name} version at or above ${spec.minVersion} is compatible with Kubernetes ${k8s}`,
        );
      } else {
        planned.addonVersion = depVersion;
        if (role) planned.serviceAccountRoleArn = role;
        const depValues =
          planned.action === 'migrate'
            ? subtree(rel.values, state!.helmChartPath!.slice(rel.chartPath.length))
            : {};
        const depSchema = d.schemas[`${name}@${depVersion}`];
        const depMapped = mapValues(
          depProfile,
          depValues,
          d,
          id8,
          roleActions,
          blockers,
          warnings,
          depSchema,
        );
        if (planned.action === 'migrate') {
          const prefix = state!.helmChartPath!.slice(rel.chartPath.length).join('.');
          depValueSets.push(
            classifyHelmValues(depProfile, depValues, {
              prefix,
              schemaText: depSchema,
              addonVersion: depVersion,
              classifiedElsewhere: [],
              notMigrated: {},
            }),
          );
        }
        const hasConfig = Object.keys(depMapped.configuration).length > 0;
        if (hasConfig) {
          const check = validateConfiguration(depMapped.configuration, depSchema ?? undefined);
          for (const e of check.errors)
            blockers.push(`derived configuration is not valid for ${name} ${depVersion}: ${e}`);
        }
        depSteps.push(
          createAddonAction(
            name,
            depVersion,
            hasConfig ? depMapped.configuration : undefined,
            role,
          ),
          waitAction(name),
        );
        if (planned.action === 'migrate') {
          coveredPaths.push(state!.helmChartPath!);
          for (const o of dependencyObjects(rel, state!.helmChartPath!))
            if (!NEVER_DELETE.has(o.ref.kind)) depSteps.push(deleteAction(o.ref, true));
        }
      }
    }
    plan.dependencies.push(planned);
  }
  const migratedSubcharts = d.dependencies.flatMap((s) => {
    const p = plan.dependencies.find((x) => x.addonName === s.addonName);
    return p?.action === 'migrate' && s.helmChartPath
      ? [s.helmChartPath[rel.chartPath.length]!]
      : [];
  });
  const notMigrated: Record<string, string> = {};
  for (const p of plan.dependencies) {
    if (p.action === 'migrate') continue;
    const why =
      p.action === 'keep-helm'
        ? `${p.addonName} stays on Helm: its sub-chart keeps these values`
        : p.action === 'installed'
          ? `${p.addonName} is already an EKS add-on: its own configuration stays`
          : `${p.addonName} is not installed by this release: nothing of it is migrated`;
    for (const alias of findProfile(p.addonName)?.subchartNames ?? []) notMigrated[alias] = why;
  }
  values.push(
    ...classifyHelmValues(profile, rel.values, {
      prefix: '',
      schemaText: schema,
      addonVersion: version ?? '',
      classifiedElsewhere: migratedSubcharts,
      notMigrated,
    }),
  );
  for (const set of depValueSets) values.push(...set);
  const seen = new Set<string>();
  plan.values = values
    .filter((v) => !seen.has(v.key) && seen.add(v.key))
    .sort((x, y) => compareText(x.key, y.key));
  const accepted = new Set(opts.acceptDrops ?? []);
  const drops: DroppedValue[] = plan.values
    .filter((v) => v.disposition === 'dropped')
    .map((v) => ({ key: v.key, reason: v.reason!, acknowledged: accepted.has(v.key) }));
  plan.drops = drops;
  for (const drop of drops.filter((x) => !x.acknowledged))
    blockers.push(
      `Helm value ${drop.key} has no place in the add-on (${drop.reason}): map it by hand or accept losing it with --accept-drop ${drop.key}`,
    );

  // Tags.
  const tagActions: TagAction[] = [];
  if (profile.tagsInferenceResources) {
    for (const t of d.tagTargets) {
      const current = t.tags[CREATED_BY_TAG.key];
      if (current === CREATED_BY_TAG.value) continue;
      if (current !== undefined)
        warnings.push(
          `${describeTarget(t.target)} already has ${CREATED_BY_TAG.key}=${current}; it becomes ${CREATED_BY_TAG.value} (rollback puts ${current} back)`,
        );
      tagActions.push({
        id: `tag-${tagActions.length + 1}`,
        kind: 'tag',
        target: t.target,
        before: t.tags,
        after: { ...t.tags, [CREATED_BY_TAG.key]: CREATED_BY_TAG.value },
        summary: `tag ${describeTarget(t.target)} ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value} (found in ${t.foundIn})`,
        inverse: `put its tags back to the ${Object.keys(t.tags).length} it had`,
      });
    }
    if (!d.bucket) {
      if (getPath(rel.values, 'tlsCertificateS3Bucket'))
        blockers.push('the TLS certificate bucket could not be checked');
    } else if (d.bucket.head.access === 'missing')
      blockers.push(`TLS certificate bucket ${d.bucket.name} does not exist`);
    else if (d.bucket.head.access === 'forbidden')
      blockers.push(
        `TLS certificate bucket ${d.bucket.name} belongs to another account or may not be read`,
      );
  }

  for (const a of d.access.filter((x) => !x.allowed))
    blockers.push(
      `Kubernetes RBAC: may not ${a.verb} ${a.group ? `${a.resource}.${a.group}` : a.resource}${a.namespace ? ` in ${a.namespace}` : ''}${a.reason ? ` (${a.reason})` : ''}`,
    );

  // Steps, in the order they run.
  const steps: MigrationStep[] = [];
  const step = (
    id: MigrationStep['id'],
    title: string,
    description: string,
    actions: MigrationAction[],
  ) => {
    if (actions.length > 0) steps.push({ id, title, description, actions });
  };
  step(
    'iam-roles',
    'IAM roles',
    "Create the roles the add-on needs (its name rule, service accounts that moved namespace), with the Helm-era roles' permissions.",
    roleActions,
  );
  step(
    'tags',
    `Tag ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value}`,
    'Tag the load balancers, certificates and certificate objects the operator made, so the add-on manages them. Existing tags stay.',
    tagActions,
  );
  step(
    'dependencies',
    'Dependency add-ons',
    'Install the add-ons the target needs; Helm-installed ones are taken over by their add-on, then the Helm leftovers are removed.',
    depSteps,
  );
  const scale = scaleDownObjects(profile, rel)
    .filter((ref) => (d.replicas[refKey(ref)] ?? 0) > 0)
    .map((ref, i) => ({
      id: `scale-${i + 1}`,
      kind: 'kube.scale' as const,
      ref,
      before: d.replicas[refKey(ref)]!,
      after: 0,
      summary: `scale ${describeRef(ref)} from ${d.replicas[refKey(ref)]} to 0`,
      inverse: `scale it back to ${d.replicas[refKey(ref)]}`,
    }));
  step(
    'scale-down',
    'Stop the Helm controllers',
    'Scale the Helm-installed controllers to zero so two operators never run at once.',
    scale,
  );
  if (version)
    step(
      'create-addon',
      `Create add-on ${profile.addonName}`,
      'Create the add-on (resolve conflicts OVERWRITE) and wait until it is ACTIVE.',
      [
        createAddonAction(
          profile.addonName,
          version,
          nonEmpty(mapped.configuration),
          plan.target.serviceAccountRoleArn,
          'addon',
        ),
        waitAction(profile.addonName, 'addon'),
      ],
    );
  step(
    'remove-helm-objects',
    'Remove the Helm objects',
    'Delete what the Helm chart made and the add-on replaced (CRDs and namespaces stay; objects the add-on took over stay).',
    componentObjects(profile, rel)
      .filter((o) => !NEVER_DELETE.has(o.ref.kind))
      .map((o) => deleteAction(o.ref, profile.adoptsInPlace)),
  );
  const covered = (o: (typeof rel.objects)[number]) =>
    coveredPaths.some(
      (p) =>
        p.every((x, i) => o.chartPath[i] === x) &&
        (p !== rel.chartPath ||
          o.chartPath.length === p.length ||
          profile.absorbedSubcharts.includes(o.chartPath[p.length]!)),
    );
  const everything = rel.objects.every(covered);
  const mode = everything ? 'uninstalled' : 'label';
  warnings.push(...keptByDesign(rel));
  const removed = new Set(
    steps
      .flatMap((s) => s.actions)
      .flatMap((a) => (a.kind === 'kube.delete' ? [refKey(a.ref)] : [])),
  );
  warnings.push(...keptManifestObjects(rel.objects, removed, covered));
  if (mode === 'label')
    warnings.push(
      `Helm release ${rel.namespace}/${rel.name} still runs other components; it is labelled, not uninstalled: disable ${rel.chartPath.slice(1).join('.') || profile.id} in its values before the next helm upgrade`,
    );
  step(
    'mark-release',
    'Retire the Helm release',
    'Mark the Helm release so Helm no longer fights the add-on; its history stays for rollback.',
    [
      {
        id: 'mark-release',
        kind: 'helm.markMigrated',
        release: rel.name,
        namespace: rel.namespace,
        revision: rel.revision,
        mode,
        description:
          `Migrated to EKS add-on ${profile.addonName} ${version ?? ''} by kubectl-hyperpod`.replace(
            '  ',
            ' ',
          ),
        summary:
          mode === 'uninstalled'
            ? `mark Helm release ${rel.namespace}/${rel.name} revision ${rel.revision} uninstalled (history kept)`
            : `label Helm release ${rel.namespace}/${rel.name} revision ${rel.revision} as migrated`,
        inverse: 'restore the release secret as it was',
      },
    ],
  );
  plan.steps = renumber(steps);
  return plan;
}

function nonEmpty(config: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(config).length > 0 ? config : undefined;
}

function subtree(values: HelmValues, path: string[]): HelmValues {
  let cur: unknown = values;
  for (const k of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as HelmValues) : {};
}

function describeTarget(t: TagAction['target']): string {
  if (t.type === 'load-balancer') return `load balancer ${t.name ?? t.arn}`;
  if (t.type === 'certificate') return `certificate ${t.arn}`;
  return `s3://${t.bucket}/${t.key}`;
}

function createAddonAction(
  addonName: string,
  addonVersion: string,
  configuration: Record<string, unknown> | undefined,
  serviceAccountRoleArn: string | undefined,
  idBase = `dep-${addonName}`,
): MigrationAction {
  return {
    id: `${idBase}-create`,
    kind: 'eks.createAddon',
    addonName,
    addonVersion,
    ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
    ...(serviceAccountRoleArn ? { serviceAccountRoleArn } : {}),
    resolveConflicts: 'OVERWRITE',
    summary: `create add-on ${addonName} ${addonVersion}${serviceAccountRoleArn ? ` with role ${roleNameOf(serviceAccountRoleArn)}` : ''}`,
    inverse:
      'delete the add-on (keeping what existed before it), remove the objects it made, restore the ones it took over',
  };
}

function waitAction(addonName: string, idBase = `dep-${addonName}`): MigrationAction {
  return {
    id: `${idBase}-wait`,
    kind: 'eks.waitActive',
    addonName,
    summary: `wait until ${addonName} is ACTIVE`,
    inverse: 'nothing to undo',
  };
}

function deleteAction(ref: KubeRef, adoptable: boolean): MigrationAction {
  return {
    id: `delete-${refKey(ref).replace(/[^a-zA-Z0-9.-]+/g, '-')}`,
    kind: 'kube.delete',
    ref,
    ...(adoptable ? { unlessAdoptedBy: 'eks' as const } : {}),
    summary: `delete ${describeRef(ref)}${adoptable ? ' unless the add-on took it over' : ''}`,
    inverse: 'restore it from the backup exactly as it was',
  };
}

/** Action ids unique across the plan (dependency deletes may name the same kind twice). */
function renumber(steps: MigrationStep[]): MigrationStep[] {
  const seen = new Map<string, number>();
  for (const s of steps)
    for (const a of s.actions) {
      const n = seen.get(a.id) ?? 0;
      seen.set(a.id, n + 1);
      if (n > 0) a.id = `${a.id}-${n + 1}`;
    }
  return steps;
}

interface Mapped {
  configuration: Record<string, unknown>;
  /** serviceAccountRoleArn per add-on name. */
  serviceAccountRoleArn: Record<string, string>;
}

function mapValues(
  profile: MigrationProfile,
  values: HelmValues,
  d: MigrationDiscovery,
  id8: string | undefined,
  roleActions: CreateRoleAction[],
  blockers: string[],
  warnings: string[],
  schemaText: string | null | undefined,
): Mapped {
  const out: Mapped = { configuration: {}, serviceAccountRoleArn: {} };
  for (const m of profile.mappings) {
    const raw = getPath(values, m.from);
    if (raw === undefined || raw === null || raw === '') continue;
    // A target the add-on version has no place for is a drop (classifyHelmValues), not a mapping.
    if (!mappingFits(m, schemaText).fits) continue;
    let value: unknown =
      m.transform === 's3-bucket-name' && typeof raw === 'string' ? s3BucketName(raw) : raw;
    if (m.role && typeof raw === 'string')
      value = resolveRole(m, raw, d, id8, roleActions, blockers, warnings);
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
function resolveRole(
  m: ValueMapping,
  oldArn: string,
  d: MigrationDiscovery,
  id8: string | undefined,
  roleActions: CreateRoleAction[],
  blockers: string[],
  warnings: string[],
): string | undefined {
  const rule = m.role!;
  const oldName = roleNameOf(oldArn);
  const old = d.roles[oldName];
  if (
    old &&
    (!rule.requiredPrefix || oldName.startsWith(rule.requiredPrefix)) &&
    trusts(old, d, rule.serviceAccount)
  )
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
    if (trusts(existing, d, rule.serviceAccount)) {
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

export function irsaTrust(
  accountId: string,
  issuer: string,
  serviceAccount: string,
): PolicyDocument {
  const host = issuer.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${host}:sub`]: `system:serviceaccount:${serviceAccount}`,
            [`${host}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

/** Whether the role's trust lets this service account of this cluster assume it. */
function trusts(role: IamRole, d: MigrationDiscovery, serviceAccount: string): boolean {
  const host = d.cluster.oidcIssuer?.replace(/^https:\/\//, '');
  if (!host) return false;
  const sub = `system:serviceaccount:${serviceAccount}`;
  const statements = role.trustPolicy['Statement'];
  return (Array.isArray(statements) ? statements : [statements]).some((s) => {
    const st = s as {
      Effect?: string;
      Principal?: { Federated?: unknown };
      Condition?: Record<string, Record<string, unknown>>;
    };
    if (st?.Effect !== 'Allow') return false;
    const fed = st.Principal?.Federated;
    if (typeof fed !== 'string' || !fed.endsWith(`oidc-provider/${host}`)) return false;
    return Object.values(st.Condition ?? {}).some((c) => {
      const v = c?.[`${host}:sub`];
      return v === sub || (Array.isArray(v) && v.includes(sub));
    });
  });
}
