/**
 * From a ClusterObservation to a ClusterReport, purely: health on the one ladder, version drift,
 * configuration drift, Helm-vs-add-on, prerequisites and readiness for the next Kubernetes
 * version, for every add-on installed and every component found in a Helm release.
 */
import {
  addonReadiness,
  blocksClusterUpgrade,
  addonVersionDrift,
  compatibleVersions,
  nextKubernetesVersion,
  type AddonCatalogEntry,
} from '../addons/addonDrift';
import { compareAddonVersions } from '../addons/addonVersion';
import {
  componentForAddon,
  INFERENCE_ADDON,
  INFERENCE_PREREQUISITES,
  type AddonComponent,
} from '../components/addonComponents';
import { equivalentAddonVersion } from '../components/equivalentAddonVersion';
import { helmComponents, type HelmComponent } from '../components/helmComponents';
import { isPendingHelmStatus, type HelmReleaseStatus } from '../helm/HelmRelease';
import { redactValues } from '../helm/redactValues';
import { addonHealth } from '../health/addonHealth';
import { healthRank, worstHealth, type HealthState } from '../health/HealthState';
import type { EksAddon } from '../ports/EksGateway';
import {
  CLUSTER_REPORT_SCHEMA_VERSION,
  type AddonReport,
  type ClusterReport,
  type Finding,
  type ScanError,
} from '../report/ClusterReport';
import type { ClusterObservation, WorkloadStatus } from './ClusterObservation';
import { configDrift, parseConfigurationValues } from './configDrift';
import { compareText } from '../text/compareText';

export interface BuildClusterReportOptions {
  /** Declared configurationValues per add-on name (from a fleet file or a plan), for configuration drift. */
  declared?: Record<string, unknown>;
  /** Kubernetes version to judge readiness for; default the next minor version. */
  targetKubernetesVersion?: string;
  /** Passed to redactValues; `false` shows secrets (an explicit opt-out). */
  redact?: boolean;
}

const HELM_STATUS_HEALTH: Record<HelmReleaseStatus, HealthState> = {
  deployed: 'Healthy',
  failed: 'Degraded',
  'pending-install': 'Degraded',
  'pending-upgrade': 'Degraded',
  'pending-rollback': 'Degraded',
  uninstalling: 'Progressing',
  superseded: 'Unknown',
  uninstalled: 'Missing',
  unknown: 'Unknown',
};

function helmFindings(c: HelmComponent): Finding[] {
  const { release, namespace, revision, status } = c.install;
  const where = `Helm release ${namespace}/${release}`;
  if (isPendingHelmStatus(status)) {
    const back =
      revision > 1
        ? `helm rollback ${release} ${revision - 1} -n ${namespace}`
        : `helm uninstall ${release} -n ${namespace}`;
    return [
      {
        code: 'helm-pending',
        health: 'Degraded',
        message: `${where} is stuck in ${status} (revision ${revision}): it blocks every other Helm operation on the release`,
        fix: `helm history ${release} -n ${namespace}, then ${back} once no Helm operation is running`,
      },
    ];
  }
  if (status === 'failed') {
    return [
      {
        code: 'helm-failed',
        health: 'Degraded',
        message: `${where} revision ${revision} failed`,
        fix: `helm history ${release} -n ${namespace}, then helm rollback ${release} <last deployed revision> -n ${namespace}`,
      },
    ];
  }
  if (HELM_STATUS_HEALTH[status] !== 'Healthy') {
    return [
      {
        code: 'helm-status',
        health: HELM_STATUS_HEALTH[status],
        message: `${where} is ${status} (revision ${revision})`,
        fix: `helm history ${release} -n ${namespace}`,
      },
    ];
  }
  return [];
}

function matchesPattern(
  w: WorkloadStatus,
  p: AddonComponent['workloads'][number],
  releases: string[],
): boolean {
  if (w.kind !== p.kind) return false;
  if (p.namespace !== undefined && p.namespace !== w.namespace) return false;
  if (!p.name.includes('{release}')) return p.name === w.name;
  return releases.some((r) => p.name.replace('{release}', r) === w.name);
}

/** The workloads of a component: by the names it is known to run, or the `part-of` label EKS add-ons carry. */
function componentWorkloads(
  addonName: string,
  workloads: WorkloadStatus[],
  releases: string[],
): WorkloadStatus[] {
  const component = componentForAddon(addonName);
  return workloads.filter(
    (w) =>
      w.labels['app.kubernetes.io/part-of'] === addonName ||
      (component?.workloads.some((p) => matchesPattern(w, p, releases)) ?? false),
  );
}

function createAddonCommand(
  addonName: string,
  clusterName: string,
  region: string | undefined,
): string {
  return `aws eks create-addon --cluster-name ${clusterName} --addon-name ${addonName}${region ? ` --region ${region}` : ''}`;
}

function prerequisiteFindings(obs: ClusterObservation, clusterName: string): Finding[] {
  const kube = obs.kube;
  if (!kube) return [];
  const region = obs.cluster?.region ?? obs.target.region;
  const findings: Finding[] = [];
  const unread = (what: string, names: string[], e: ScanError): Finding => ({
    code: 'prerequisites-unknown',
    health: 'Unknown',
    message: `${what} could not be read (${e.step}: ${e.kind}: ${e.message.split('\n')[0]}): whether ${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} installed is unknown`,
    fix: `kubectl${obs.target.context ? ` --context ${obs.target.context}` : ''} get --raw /version  # check the API server answers, then scan again`,
  });
  const csiUnread = kube.unread?.csiDrivers;
  if (csiUnread)
    findings.push(
      unread(
        'CSI drivers',
        INFERENCE_PREREQUISITES.csiDrivers.map((d) => `CSIDriver ${d.name}`),
        csiUnread,
      ),
    );
  const crdUnread = kube.unread?.crds;
  if (crdUnread)
    findings.push(
      unread(
        'CRDs',
        INFERENCE_PREREQUISITES.crds.map((d) => `CRD ${d.name}`),
        crdUnread,
      ),
    );
  for (const d of INFERENCE_PREREQUISITES.csiDrivers) {
    if (!csiUnread && !kube.csiDrivers.includes(d.name)) {
      findings.push({
        code: 'csi-driver-missing',
        health: 'Missing',
        message: `CSIDriver ${d.name} is missing: the inference operator needs it`,
        fix: createAddonCommand(d.addonName, clusterName, region),
      });
    }
  }
  for (const d of INFERENCE_PREREQUISITES.crds) {
    if (!crdUnread && !kube.crds.includes(d.name)) {
      findings.push({
        code: 'crd-missing',
        health: 'Missing',
        message: `CRD ${d.name} is missing: the inference operator needs cert-manager`,
        fix: createAddonCommand(d.addonName, clusterName, region),
      });
    }
  }
  return findings;
}

/** Dependency add-ons older than the inference add-on requires. */
function dependencyFindings(
  addons: EksAddon[],
  clusterName: string,
  region: string | undefined,
): Finding[] {
  const findings: Finding[] = [];
  for (const d of INFERENCE_PREREQUISITES.dependencyAddons) {
    const a = addons.find((x) => x.addonName === d.addonName);
    if (a && compareAddonVersions(a.addonVersion, d.minVersion) < 0) {
      findings.push({
        code: 'dependency-too-old',
        health: 'Degraded',
        message: `add-on ${d.addonName} ${a.addonVersion} is older than ${d.minVersion}, the oldest ${INFERENCE_ADDON} supports`,
        fix: `aws eks update-addon --cluster-name ${clusterName} --addon-name ${d.addonName} --addon-version ${d.minVersion}${region ? ` --region ${region}` : ''}`,
      });
    }
  }
  return findings;
}

function workloadFindings(workloads: WorkloadStatus[], progressing: boolean): Finding[] {
  return workloads
    .filter((w) => w.desired > w.ready)
    .map((w) => ({
      code: 'workload-not-ready',
      health: progressing ? ('Progressing' as const) : ('Degraded' as const),
      message: `${w.kind} ${w.namespace}/${w.name}: ${w.ready}/${w.desired} ready`,
      fix: `kubectl describe ${w.kind.toLowerCase()} ${w.name} -n ${w.namespace}`,
    }));
}

function addonReport(
  name: string,
  obs: ClusterObservation,
  addon: EksAddon | undefined,
  helm: HelmComponent[],
  entry: AddonCatalogEntry | undefined,
  opts: BuildClusterReportOptions,
): AddonReport {
  const clusterName = obs.cluster?.name ?? obs.target.name;
  const region = obs.cluster?.region ?? obs.target.region;
  const k8s = obs.cluster?.version;
  const findings: Finding[] = [];
  const states: HealthState[] = [];
  const reasons: string[] = [];
  const component = componentForAddon(name);
  const primaryHelm = helm[0];

  let addonPart: AddonReport['addon'];
  if (addon) {
    const h = addonHealth(addon);
    states.push(h.state);
    reasons.push(h.reason);
    const values = parseConfigurationValues(addon.configurationValues);
    addonPart = {
      version: addon.addonVersion,
      status: addon.status,
      issues: h.issues,
      ...(values !== undefined
        ? { configurationValues: redactValues(values, { redact: opts.redact }) }
        : {}),
    };
  }
  if (primaryHelm) {
    const { install } = primaryHelm;
    states.push(HELM_STATUS_HEALTH[install.status]);
    reasons.push(`helm ${install.status}`);
    findings.push(...helmFindings(primaryHelm));
    for (const extra of helm.slice(1)) {
      findings.push({
        code: 'helm-duplicate',
        health: 'Degraded',
        message: `also installed by Helm release ${extra.install.namespace}/${extra.install.release} (chart ${extra.install.chart} ${extra.install.chartVersion})`,
        fix: `keep one install: helm uninstall ${extra.install.release} -n ${extra.install.namespace} after checking what depends on it`,
      });
    }
  }
  if (addon && primaryHelm) {
    findings.push({
      code: 'helm-and-addon',
      health: 'Degraded',
      message: `installed both as the EKS add-on and by Helm release ${primaryHelm.install.namespace}/${primaryHelm.install.release}: they fight over the same objects`,
      fix: `finish the migration: scale down and uninstall the Helm release (helm uninstall ${primaryHelm.install.release} -n ${primaryHelm.install.namespace}), then update the add-on with --resolve-conflicts OVERWRITE`,
    });
  }

  // Version drift: the add-on's own version, or for a Helm install the add-on version carrying the same software.
  let drift: AddonReport['drift'];
  let migrationTarget: AddonReport['migrationTarget'];
  const compatible = entry && k8s ? compatibleVersions(entry, k8s) : undefined;
  if (addon && entry && k8s) {
    drift = addonVersionDrift(addon.addonVersion, entry, k8s);
    if (drift.status === 'incompatible') {
      findings.push({
        code: 'version-incompatible',
        health: 'Degraded',
        message: `${addon.addonVersion} is not offered for Kubernetes ${k8s}`,
        fix: compatible?.default
          ? `aws eks update-addon --cluster-name ${clusterName} --addon-name ${name} --addon-version ${compatible.default}${region ? ` --region ${region}` : ''}`
          : `kubectl hyperpod addons versions ${name} --cluster ${clusterName}`,
      });
    }
  } else if (primaryHelm && entry && k8s) {
    const app = primaryHelm.install.appVersion;
    const equivalent =
      component?.addonTracksAppVersion && app ? equivalentAddonVersion(app, entry) : undefined;
    if (equivalent) drift = addonVersionDrift(equivalent, entry, k8s);
    const chart = `chart ${primaryHelm.install.chart} ${primaryHelm.install.chartVersion}${app ? ` (app ${app})` : ''}`;
    if (compatible?.default ?? compatible?.latest) {
      const target = (compatible.default ?? compatible.latest)!;
      migrationTarget = {
        addonVersion: target,
        basis: compatible.default ? 'default' : 'latest',
        ...(equivalent ? { equivalentAddonVersion: equivalent } : {}),
      };
      findings.push({
        code: 'migration-target',
        health: 'Healthy',
        message: `${chart}${equivalent ? ` carries what add-on ${equivalent} carries` : ''}; a migration would install add-on ${name} ${target} (${compatible.default ? 'the default' : 'the newest'} for Kubernetes ${k8s})`,
      });
    } else {
      findings.push({
        code: 'no-addon-version',
        health: 'Healthy',
        message: `${chart}: add-on ${name} offers no version for Kubernetes ${k8s}; keep the Helm install`,
      });
    }
  }
  if (primaryHelm && primaryHelm.absorbed.length > 0) {
    findings.push({
      code: 'moves-into-addon',
      health: 'Healthy',
      message: `sub-charts ${primaryHelm.absorbed.join(', ')} have no add-on of their own: the ${name} add-on runs them`,
    });
  }

  // Configuration drift against what was declared.
  let configDriftPart: AddonReport['configDrift'];
  const declared = opts.declared ?? obs.target.declared;
  if (addon && declared && Object.prototype.hasOwnProperty.call(declared, name)) {
    configDriftPart = configDrift(
      declared[name],
      parseConfigurationValues(addon.configurationValues),
    );
    const n =
      configDriftPart.changed.length +
      configDriftPart.missing.length +
      configDriftPart.extra.length;
    if (n > 0) {
      findings.push({
        code: 'config-drift',
        health: 'Healthy',
        message: `configuration differs from the declared one: ${[
          ...configDriftPart.changed.map((p) => `~${p}`),
          ...configDriftPart.missing.map((p) => `-${p}`),
          ...configDriftPart.extra.map((p) => `+${p}`),
        ].join(' ')}`,
      });
    }
  }

  if (name === INFERENCE_ADDON) {
    findings.push(...prerequisiteFindings(obs, clusterName));
    if (addon) findings.push(...dependencyFindings(obs.addons, clusterName, region));
  }

  if (obs.kube) {
    const releases = helm.map((h) => h.install.release);
    const progressing = states.includes('Progressing');
    findings.push(
      ...workloadFindings(componentWorkloads(name, obs.kube.workloads, releases), progressing),
    );
  }

  const health = worstHealth([...states, ...findings.map((f) => f.health)]);
  const worstFinding = findings
    .filter((f) => f.health !== 'Healthy')
    .sort((a, b) => healthRank(b.health) - healthRank(a.health))[0];
  const hasAddonVersion =
    entry !== undefined &&
    (compatible ? compatible.compatible.length > 0 : entry.versions.length > 0);
  return {
    name,
    installedVia: addon && primaryHelm ? 'both' : addon ? 'addon' : primaryHelm ? 'helm' : 'none',
    health,
    reason:
      worstFinding && healthRank(worstFinding.health) >= healthRank(worstHealth(states))
        ? worstFinding.message
        : reasons.join('; '),
    ...(addonPart ? { addon: addonPart } : {}),
    ...(primaryHelm ? { helm: primaryHelm.install } : {}),
    ...(drift ? { drift } : {}),
    ...(configDriftPart ? { configDrift: configDriftPart } : {}),
    migrationCandidate: primaryHelm !== undefined && addon === undefined && hasAddonVersion,
    ...(migrationTarget ? { migrationTarget } : {}),
    findings,
  };
}

/** JSON and YAML output show absent fields as absent, not as `null`. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function buildClusterReport(
  obs: ClusterObservation,
  opts: BuildClusterReportOptions = {},
): ClusterReport {
  const k8s = obs.cluster?.version;
  const byAddon = new Map<string, HelmComponent[]>();
  for (const release of obs.helmReleases) {
    for (const c of helmComponents(release))
      byAddon.set(c.addonName, [...(byAddon.get(c.addonName) ?? []), c]);
  }
  const names = [...new Set([...obs.addons.map((a) => a.addonName), ...byAddon.keys()])].sort();
  const catalog = new Map(obs.catalog.map((e) => [e.addonName, e]));
  const addons = names.map((name) =>
    addonReport(
      name,
      obs,
      obs.addons.find((a) => a.addonName === name),
      byAddon.get(name) ?? [],
      catalog.get(name),
      opts,
    ),
  );

  let readiness: ClusterReport['readiness'];
  const targetVersion =
    opts.targetKubernetesVersion ?? (k8s ? nextKubernetesVersion(k8s) : undefined);
  if (k8s && targetVersion) {
    const verdicts = obs.addons
      .filter((a) => catalog.has(a.addonName))
      .map((a) =>
        addonReadiness(a.addonName, a.addonVersion, catalog.get(a.addonName)!, k8s, targetVersion),
      )
      .sort((a, b) => compareText(a.addonName, b.addonName));
    readiness = {
      targetVersion,
      addons: verdicts,
      ready: !verdicts.some((v) => blocksClusterUpgrade(v.verdict)),
    };
  }

  const health: HealthState = obs.cluster
    ? worstHealth([...addons.map((a) => a.health), ...obs.errors.map(() => 'Unknown' as const)])
    : 'Unknown';
  return {
    schemaVersion: CLUSTER_REPORT_SCHEMA_VERSION,
    cluster: withoutUndefined({
      name: obs.cluster?.name ?? obs.target.name,
      arn: obs.cluster?.arn ?? obs.target.arn,
      accountId: obs.cluster?.accountId ?? obs.target.accountId,
      region: obs.cluster?.region ?? obs.target.region,
      context: obs.target.context,
      kubernetesVersion: k8s,
      hyperpodClusterArn: obs.hyperpodClusterArn ?? obs.target.hyperpodClusterArn,
    }),
    health,
    addons,
    ...(readiness ? { readiness } : {}),
    errors: obs.errors,
    scannedAt: obs.startedAt,
    durationMs: obs.durationMs,
  };
}
