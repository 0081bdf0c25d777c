/**
 * Where a migrated component sits in a Helm release: its chart path, its own objects (with the
 * sub-charts the add-on absorbs), a dependency's sub-chart and objects, and the Deployments to
 * scale down.
 */
import type { HelmRelease } from '../helm/HelmRelease';
import type { KubeRef } from '../ports/KubeGateway';
import { manifestObjects, type ManifestObject } from './manifest';
import type { DiscoveredRelease } from './MigrationDiscovery';
import type { MigrationProfile } from './profiles';

/** Where the profile's chart sits in this release, if it is there. */
export function componentChartPath(
  profile: MigrationProfile,
  r: HelmRelease,
): string[] | undefined {
  if (profile.charts.includes(r.chart.name)) return [r.chart.name];
  const objects = manifestObjects(r.manifest, r.namespace);
  const paths = new Map<string, string[]>();
  for (const o of objects) paths.set(o.chartPath.join('/'), o.chartPath);
  // The shortest path ending in one of its names, under a chart that may carry it.
  const matches = [...paths.values()]
    .flatMap((p) =>
      p
        .map((_, i) => p.slice(0, i + 1))
        .filter(
          (sub) =>
            sub.length > 1 &&
            profile.subchartNames.includes(sub[sub.length - 1]!) &&
            profile.umbrellaCharts.includes(sub[sub.length - 2]!),
        ),
    )
    .sort((a, b) => a.length - b.length);
  return matches[0];
}

/** The component's own objects: its chart's templates and the sub-charts the add-on absorbs. */
export function componentObjects(
  profile: MigrationProfile,
  rel: DiscoveredRelease,
): ManifestObject[] {
  const p = rel.chartPath;
  return rel.objects.filter(
    (o) =>
      p.every((x, i) => o.chartPath[i] === x) &&
      (o.chartPath.length === p.length ||
        (o.chartPath.length === p.length + 1 &&
          profile.absorbedSubcharts.includes(o.chartPath[p.length]!))),
  );
}

/** Path of a dependency's sub-chart in the release, if it rendered objects there. */
export function dependencyChartPath(
  rel: DiscoveredRelease,
  dep: MigrationProfile,
): string[] | undefined {
  const p = rel.chartPath;
  const o = rel.objects.find(
    (x) =>
      x.chartPath.length === p.length + 1 &&
      p.every((y, i) => x.chartPath[i] === y) &&
      dep.subchartNames.includes(x.chartPath[p.length]!),
  );
  return o?.chartPath;
}

export function dependencyObjects(rel: DiscoveredRelease, chartPath: string[]): ManifestObject[] {
  return rel.objects.filter(
    (o) =>
      o.chartPath.length >= chartPath.length && chartPath.every((x, i) => o.chartPath[i] === x),
  );
}

export function scaleDownObjects(profile: MigrationProfile, rel: DiscoveredRelease): KubeRef[] {
  const patterns = profile.scaleDown.map((s) => s.replace('{release}', rel.name));
  return componentObjects(profile, rel)
    .map((o) => o.ref)
    .filter(
      (ref) =>
        ref.kind === 'Deployment' &&
        patterns.some((pat) => {
          const [ns, name] = pat.split('/') as [string, string];
          return (ns === '*' || ns === ref.namespace) && name === ref.name;
        }),
    );
}
