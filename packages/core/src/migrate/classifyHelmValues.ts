/**
 * The lossy-migration guard's ledger: every Helm value the user set on the release is exactly one
 * of mapped (with the add-on and the configurationValues path, or serviceAccountRoleArn, it goes
 * to), dropped (it would be lost: a blocker until accepted), or left to the add-on (the add-on
 * sets it itself). A mapping whose target path the target version's configuration schema has no
 * place for is a drop: EKS would refuse it, and silently leaving it out would lose it.
 *
 * Only user-supplied values count (`helm get values`, what the release stores as its config):
 * chart defaults are the chart's choices, not the user's, and the add-on brings its own.
 */
import type { HelmValues } from '../helm/HelmRelease';
import { configurationSchemaPath } from './configurationSchemaPath';
import type { PlannedValue } from './MigrationPlan';
import { formatValuesPath, getPath, leafPaths, parseValuesPath, pathUnder } from './manifest';
import { findProfile, type MigrationProfile, type ValueMapping } from './profiles';

export interface ClassifyHelmValuesOptions {
  /** Prefix of the component's values in the release (`s3` for a sub-chart), '' at the top. */
  prefix: string;
  /** The add-on version's configuration schema (JSON text); null = none published, undefined = unknown. */
  schemaText: string | null | undefined;
  addonVersion: string;
  /** Sub-charts of dependencies whose values another profile classifies (migrated with it). */
  classifiedElsewhere: string[];
  /** Why the other dependencies' values are not carried over, by sub-chart name. */
  notMigrated: Record<string, string>;
}

/** Whether a mapping's configurationValues target has a place in the schema (role-only mappings always do). */
export function mappingFits(
  m: ValueMapping,
  schemaText: string | null | undefined,
): { fits: true } | { fits: false; reason: string } {
  // Unknown schema (its read failed, or no version could be chosen): not judged here, since the
  // read error or the missing version already blocks the plan.
  if (!m.to || schemaText === undefined) return { fits: true };
  const answer = configurationSchemaPath(schemaText, m.to);
  return answer.found ? { fits: true } : { fits: false, reason: answer.reason };
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function classifyHelmValues(
  profile: MigrationProfile,
  values: HelmValues,
  opts: ClassifyHelmValuesOptions,
): PlannedValue[] {
  const out: PlannedValue[] = [];
  const depAliases = profile.dependencies.flatMap(
    (x) => findProfile(x.profile)?.subchartNames ?? [],
  );
  // Key lists, not dotted strings: a key may itself hold dots (the IRSA annotation
  // `eks.amazonaws.com/role-arn`), and splitting it would lose the value without a trace.
  const prefix = opts.prefix ? parseValuesPath(opts.prefix) : [];
  for (const path of leafPaths(values)) {
    const v = getPath(values, path);
    if (isEmpty(v)) continue;
    const key = formatValuesPath([...prefix, ...path]);
    const m = profile.mappings.find((x) => pathUnder(path, x.from));
    if (m) {
      if (m.serviceAccountRoleOf) {
        out.push({
          key,
          disposition: 'mapped',
          addonName: m.serviceAccountRoleOf,
          target: 'serviceAccountRoleArn',
        });
        continue;
      }
      const fit = mappingFits(m, opts.schemaText);
      const rest = path.slice(parseValuesPath(m.from).length);
      const target = rest.length ? `${m.to!}.${formatValuesPath(rest)}` : m.to!;
      if (fit.fits) out.push({ key, disposition: 'mapped', addonName: profile.addonName, target });
      else
        out.push({
          key,
          disposition: 'dropped',
          addonName: profile.addonName,
          target,
          reason: `maps to ${m.to}, but ${profile.addonName} ${opts.addonVersion || '(no version)'} has no place for it: ${fit.reason}`,
        });
      continue;
    }
    // A sub-chart the add-on always runs, turned off: that choice cannot be kept.
    if ((profile.componentFlags ?? []).some((c) => pathUnder(path, c))) {
      if (v === false)
        out.push({ key, disposition: 'dropped', reason: 'the add-on always runs this component' });
      else out.push({ key, disposition: 'default', reason: 'the add-on sets this itself' });
      continue;
    }
    // What the profile says the add-on takes care of is never a drop, whatever its value
    // (cert-manager's `crds.enabled: false`: the add-on manages the CRDs itself).
    if (profile.consumed.some((c) => pathUnder(path, c))) {
      out.push({ key, disposition: 'default', reason: 'the add-on sets this itself' });
      continue;
    }
    const subchart = path[0]!;
    if (depAliases.includes(subchart)) {
      // Migrated dependencies' values are classified by their own profiles.
      if (opts.classifiedElsewhere.includes(subchart)) continue;
      out.push({
        key,
        disposition: 'default',
        reason: opts.notMigrated[subchart] ?? 'the dependency is not migrated from this release',
      });
      continue;
    }
    out.push({
      key,
      disposition: 'dropped',
      reason:
        opts.schemaText === null
          ? 'the add-on version has no configuration schema'
          : "no mapping to the add-on's configuration",
    });
  }
  return out;
}
