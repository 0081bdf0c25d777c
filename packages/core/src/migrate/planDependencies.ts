/**
 * The dependency add-ons of a migration plan: for each one the profile needs, whether it is
 * created, taken over from the release's sub-chart, left on Helm, or already there, and the
 * actions and value dispositions that follow.
 */
import { compareAddonVersions } from '../addons/addonVersion';
import { validateConfiguration } from '../upgrade/validateConfiguration';
import { chooseAddonVersion } from './chooseAddonVersion';
import { classifyHelmValues } from './classifyHelmValues';
import { dependencyObjects } from './componentObjects';
import { valuesAt } from './helmValueNames';
import { mapHelmValues, type MappedValues, type MappingContext } from './mapHelmValues';
import { createAddonAction, deleteAction, NEVER_DELETE, waitAction } from './migrationActions';
import type { DiscoveredRelease } from './MigrationDiscovery';
import type { MigrationAction, PlannedDependency, PlannedValue } from './MigrationPlan';
import { findProfile, type MigrationProfile } from './profiles';

export interface PlanDependenciesOptions {
  skipDependenciesMigration?: boolean;
  dependencyRoles?: Record<string, string>;
}

export interface PlannedDependencies {
  dependencies: PlannedDependency[];
  actions: MigrationAction[];
  /** The values of each sub-chart taken over by its add-on. */
  valueSets: PlannedValue[][];
  /** Chart paths of those sub-charts. */
  coveredPaths: string[][];
}

export function planDependencies(
  profile: MigrationProfile,
  rel: DiscoveredRelease,
  target: MappedValues,
  ctx: MappingContext,
  opts: PlanDependenciesOptions,
): PlannedDependencies {
  const { d, blockers, warnings } = ctx;
  const k8s = d.cluster.version;
  const out: PlannedDependencies = {
    dependencies: [],
    actions: [],
    valueSets: [],
    coveredPaths: [],
  };
  for (const spec of profile.dependencies) {
    const depProfile = findProfile(spec.profile)!;
    const name = depProfile.addonName;
    const state = d.dependencies.find((x) => x.addonName === name);
    const installed = d.addons[name];
    const cat = d.catalogs[name];
    const depVersion = cat ? chooseAddonVersion(cat, k8s, { min: spec.minVersion }) : undefined;
    const role = opts.dependencyRoles?.[name] ?? target.serviceAccountRoleArn[name];
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
        const subPath = state?.helmChartPath?.slice(rel.chartPath.length) ?? [];
        const depValues = planned.action === 'migrate' ? valuesAt(rel.values, subPath) : {};
        const depSchema = d.schemas[`${name}@${depVersion}`];
        const depMapped = mapHelmValues(depProfile, depValues, ctx, depSchema);
        if (planned.action === 'migrate')
          out.valueSets.push(
            classifyHelmValues(depProfile, depValues, {
              prefix: subPath.join('.'),
              schemaText: depSchema,
              addonVersion: depVersion,
              classifiedElsewhere: [],
              notMigrated: {},
            }),
          );
        const hasConfig = Object.keys(depMapped.configuration).length > 0;
        if (hasConfig) {
          const check = validateConfiguration(depMapped.configuration, depSchema ?? undefined);
          for (const e of check.errors)
            blockers.push(`derived configuration is not valid for ${name} ${depVersion}: ${e}`);
        }
        out.actions.push(
          createAddonAction(
            name,
            depVersion,
            hasConfig ? depMapped.configuration : undefined,
            role,
          ),
          waitAction(name),
        );
        if (planned.action === 'migrate') {
          out.coveredPaths.push(state!.helmChartPath!);
          for (const o of dependencyObjects(rel, state!.helmChartPath!))
            if (!NEVER_DELETE.has(o.ref.kind)) out.actions.push(deleteAction(o.ref, true));
        }
      }
    }
    out.dependencies.push(planned);
  }
  return out;
}
