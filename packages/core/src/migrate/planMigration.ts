/**
 * Turns what discovery found into a MigrationPlan. Pure: no call is made here, so the same inputs
 * always give the same plan, and `--dry-run=client` is exactly this function's output.
 */
import { compatibleVersions } from '../addons/addonDrift';
import { validateConfiguration } from '../upgrade/validateConfiguration';
import { compareText } from '../text/compareText';
import { chooseAddonVersion } from './chooseAddonVersion';
import { classifyHelmValues } from './classifyHelmValues';
import { componentObjects, scaleDownObjects } from './componentObjects';
import { keptByDesign, keptManifestObjects } from './discoverReleaseObjects';
import { hyperpodId8 } from './helmValueNames';
import { describeRef, refKey } from './manifest';
import { mapHelmValues, type MappingContext } from './mapHelmValues';
import {
  createAddonAction,
  deleteAction,
  NEVER_DELETE,
  renumberActions,
  waitAction,
} from './migrationActions';
import type { MigrationDiscovery } from './MigrationDiscovery';
import {
  MIGRATION_PLAN_SCHEMA_VERSION,
  type CreateRoleAction,
  type DroppedValue,
  type MigrationAction,
  type MigrationPlan,
  type MigrationStep,
  type PlannedValue,
} from './MigrationPlan';
import { planDependencies } from './planDependencies';
import { planTagActions } from './planTagActions';
import { CREATED_BY_TAG, findProfile } from './profiles';
import { releaseStatusBlocker } from './releaseStatusGate';

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
  const ctx: MappingContext = { d, id8, roleActions, blockers, warnings };
  const schema = version ? d.schemas[`${profile.addonName}@${version}`] : undefined;
  const mapped = mapHelmValues(profile, rel.values, ctx, schema);
  plan.target.configuration = mapped.configuration;
  if (mapped.serviceAccountRoleArn[profile.addonName])
    plan.target.serviceAccountRoleArn = mapped.serviceAccountRoleArn[profile.addonName];
  const values: PlannedValue[] = [];
  if (version) {
    const check = validateConfiguration(mapped.configuration, schema ?? undefined);
    plan.target.configurationValid = check.valid;
    for (const e of check.errors)
      blockers.push(`derived configuration is not valid for ${profile.addonName} ${version}: ${e}`);
  }

  // Dependencies.
  const deps = planDependencies(profile, rel, mapped, ctx, opts);
  plan.dependencies = deps.dependencies;
  const depSteps = deps.actions;
  const coveredPaths: string[][] = [rel.chartPath, ...deps.coveredPaths];
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
  for (const set of deps.valueSets) values.push(...set);
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
  const tagActions = profile.tagsInferenceResources
    ? planTagActions(d, rel, blockers, warnings)
    : [];

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
  plan.steps = renumberActions(steps);
  return plan;
}

function nonEmpty(config: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(config).length > 0 ? config : undefined;
}
