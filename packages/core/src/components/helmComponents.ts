/**
 * The EKS add-on components a Helm release installs: the release's own chart, the inference
 * operator inside an umbrella chart, and the operator chart's sub-charts (S3 and FSx CSI drivers,
 * cert-manager, metrics-server). Sub-charts nested two levels deep are not in the release's chart
 * metadata, so they are read from the manifest's `# Source:` paths and `helm.sh/chart` labels.
 */
import type { HelmRelease } from '../helm/HelmRelease';
import { chartPathOf, splitManifest } from '../helm/splitManifest';
import type { KubeObject } from '../ports/KubeGateway';
import type { HelmInstall } from '../report/ClusterReport';
import {
  ABSORBED_SUBCHARTS,
  INFERENCE_ADDON,
  INFERENCE_OPERATOR_CHART,
  UMBRELLA_CHARTS,
  chartAppVersion,
  componentForChart,
  componentForSubchart,
} from './addonComponents';

export interface HelmComponent {
  addonName: string;
  install: HelmInstall;
  /** Sub-charts with no add-on of their own that the add-on runs instead (the inference operator's ALB controller and KEDA). */
  absorbed: string[];
}

interface ManifestChart {
  /** Chart path from the top chart, e.g. `['hyperpod-dependencies', 'hyperpod-inference-operator', 's3']`. */
  path: string[];
  /** From `helm.sh/chart: <name>-<version>`. */
  version?: string;
}

/** Every chart (top, sub, sub-sub) that rendered at least one object, from the manifest. */
export function manifestCharts(manifest: string): ManifestChart[] {
  const byPath = new Map<string, ManifestChart>();
  for (const doc of splitManifest(manifest).documents) {
    if (!doc.source) continue;
    const path = chartPathOf(doc.source);
    const key = path.join('/');
    const chartLabel = chartLabelOf(doc.object);
    const version = chartLabel ? /-(v?\d+\.\d+\.\d+[^\s]*)$/.exec(chartLabel)?.[1] : undefined;
    const known = byPath.get(key);
    if (!known) byPath.set(key, { path, version });
    else if (!known.version && version) known.version = version;
  }
  return [...byPath.values()];
}

/** `helm.sh/chart` of the object, or of its pod template. */
function chartLabelOf(o: KubeObject): string | undefined {
  const own = o.metadata.labels?.['helm.sh/chart'];
  if (typeof own === 'string') return own;
  const template = (o['spec'] as { template?: { metadata?: { labels?: Record<string, unknown> } } })
    ?.template?.metadata?.labels?.['helm.sh/chart'];
  return typeof template === 'string' ? template : undefined;
}

export function helmComponents(release: HelmRelease): HelmComponent[] {
  if (release.status === 'uninstalled') return [];
  const base = {
    release: release.name,
    namespace: release.namespace,
    revision: release.revision,
    status: release.status,
  };
  const top = release.chart;
  const rendered = manifestCharts(release.manifest);
  const out: HelmComponent[] = [];

  const operatorSubcharts = (
    operatorPath: string[],
    declared: HelmRelease['chart']['dependencies'] | undefined,
  ): void => {
    const depth = operatorPath.length;
    const fromManifest = rendered.filter(
      (c) => c.path.length === depth + 1 && operatorPath.every((p, i) => c.path[i] === p),
    );
    // Chart metadata (when we have it) says which sub-charts Helm enabled; otherwise what rendered.
    const subcharts: { names: (string | undefined)[]; version?: string }[] =
      declared && declared.length > 0
        ? declared
            .filter(
              (d) =>
                d.enabled !== false &&
                (d.enabled === true ||
                  fromManifest.length === 0 ||
                  fromManifest.some((m) => m.path[depth] === (d.alias ?? d.name))),
            )
            .map((d) => ({ names: [d.alias, d.name, d.chartName], version: d.version }))
        : fromManifest.map((m) => ({ names: [m.path[depth]], version: m.version }));
    const absorbed: string[] = [];
    for (const sub of subcharts) {
      const absorbedName = sub.names.find(
        (n) => n !== undefined && ABSORBED_SUBCHARTS[n] !== undefined,
      );
      if (absorbedName) {
        absorbed.push(absorbedName);
        continue;
      }
      const component = componentForSubchart(...sub.names);
      if (!component) continue;
      const chart =
        sub.names.find((n) => n !== undefined && component.charts.includes(n)) ??
        component.charts[0] ??
        component.addonName;
      const version = sub.version ?? '';
      out.push({
        addonName: component.addonName,
        install: {
          ...base,
          chart,
          chartVersion: version,
          appVersion: chartAppVersion(component, version),
          subchartOf: INFERENCE_OPERATOR_CHART,
        },
        absorbed: [],
      });
    }
    const operator = out.find((c) => c.addonName === INFERENCE_ADDON);
    if (operator) operator.absorbed = absorbed;
  };

  if (top.name === INFERENCE_OPERATOR_CHART) {
    out.push({
      addonName: INFERENCE_ADDON,
      install: { ...base, chart: top.name, chartVersion: top.version, appVersion: top.appVersion },
      absorbed: [],
    });
    operatorSubcharts([top.name], top.dependencies);
  } else if (UMBRELLA_CHARTS.includes(top.name)) {
    const dep = top.dependencies.find(
      (d) => d.name === INFERENCE_OPERATOR_CHART || d.chartName === INFERENCE_OPERATOR_CHART,
    );
    const alias = dep?.alias ?? INFERENCE_OPERATOR_CHART;
    const renderedOperator = rendered.find(
      (c) => c.path.length === 2 && c.path[0] === top.name && c.path[1] === alias,
    );
    const present = dep
      ? dep.enabled !== false &&
        (dep.enabled === true || rendered.length === 0 || renderedOperator !== undefined)
      : renderedOperator !== undefined;
    if (present) {
      out.push({
        addonName: INFERENCE_ADDON,
        install: {
          ...base,
          chart: INFERENCE_OPERATOR_CHART,
          chartVersion: dep?.version ?? renderedOperator?.version ?? '',
          subchartOf: top.name,
        },
        absorbed: [],
      });
      operatorSubcharts([top.name, alias], undefined);
    }
  } else {
    const component = componentForChart(top.name);
    if (component) {
      out.push({
        addonName: component.addonName,
        install: {
          ...base,
          chart: top.name,
          chartVersion: top.version,
          appVersion: chartAppVersion(component, top.version, top.appVersion),
        },
        absorbed: [],
      });
    }
  }
  return out;
}
