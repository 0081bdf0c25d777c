/**
 * `kubectl hyperpod drift` as a table: for each add-on (or Helm install with an add-on to move
 * to) the installed version against the default and the newest compatible one, and whether it
 * can stay as is for the next Kubernetes version.
 */
import type { AddonReadiness, AddonReport, ClusterReport } from '@hyperpod/core';
import { paint } from './colour';
import { type FormatOptions, scanErrorLine } from './formatStatus';
import { NONE, cell, renderTable } from './renderTable';

/**
 * The NEXT-K8S column: `ready`, `upgrade` (first, to a version offered on both), `after` (update
 * right after the control plane), `blocked` (no version for the next Kubernetes version).
 */
export function readinessCell(r: AddonReadiness | undefined): string {
  if (!r) return NONE;
  switch (r.verdict) {
    case 'ready':
      return 'ready';
    case 'upgrade-first':
      return 'upgrade';
    case 'upgrade-after':
      return 'after';
    case 'no-compatible-version':
      return 'blocked';
  }
}

const STATUS_COLOUR: Record<string, 'green' | 'yellow' | 'red'> = {
  latest: 'green',
  default: 'green',
  'behind-latest': 'yellow',
  'behind-default': 'red',
  incompatible: 'red',
  ready: 'green',
  upgrade: 'yellow',
  after: 'yellow',
  blocked: 'red',
};

function readinessOf(r: ClusterReport, a: AddonReport): AddonReadiness | undefined {
  return r.readiness?.addons.find((x) => x.addonName === a.name);
}

/**
 * One meaning per column, the same in `table` and `wide` (wide only appends):
 * VIA how it is installed; VERSION the EKS add-on version it runs (for a Helm install, the add-on
 * version carrying the same software, `<none>` when no add-on version does); DEFAULT, LATEST and
 * STATUS compare that VERSION with what EKS offers for the cluster's Kubernetes version, so they
 * are `<none>` when VERSION is; NEXT-K8S the readiness verdict for the next Kubernetes version
 * (EKS add-ons only). Wide adds CHART (the Helm chart version), NEWER, K8S, TARGET-K8S (the
 * version NEXT-K8S is judged for) and REQUIRED (the version to reach for it).
 */
export const DRIFT_COLUMNS = [
  'CLUSTER',
  'ADDON',
  'VIA',
  'VERSION',
  'DEFAULT',
  'LATEST',
  'STATUS',
  'NEXT-K8S',
];
export const DRIFT_WIDE_COLUMNS = [
  ...DRIFT_COLUMNS,
  'CHART',
  'NEWER',
  'K8S',
  'TARGET-K8S',
  'REQUIRED',
];

export function formatDrift(reports: ClusterReport[], opts: FormatOptions): string {
  const head = opts.wide ? DRIFT_WIDE_COLUMNS : DRIFT_COLUMNS;
  const rows: string[][] = [];
  for (const r of reports) {
    for (const a of r.addons) {
      const d = a.drift;
      const ready = readinessOf(r, a);
      const row = [
        r.cluster.name,
        a.name,
        a.installedVia === 'none' ? NONE : a.installedVia,
        cell(d?.installed ?? a.addon?.version),
        cell(d?.default),
        cell(d?.latest),
        cell(d?.status),
        readinessCell(ready),
      ];
      if (opts.wide) {
        row.push(
          cell(a.helm?.chartVersion),
          d ? String(d.newerVersions) : NONE,
          cell(r.cluster.kubernetesVersion),
          cell(r.readiness?.targetVersion),
          cell(ready?.requiredVersion),
        );
      }
      rows.push(row);
    }
    for (const e of r.errors) {
      const blanks = Array<string>(head.length - 3).fill(NONE);
      rows.push([r.cluster.name, NONE, ...blanks, scanErrorLine(e)]);
    }
  }
  const statusCols = [6, 7];
  // No free-text column to shorten: names and versions are copied into commands, never truncated.
  return renderTable(head, rows, {
    decorate: opts.colour
      ? (i, t) => (statusCols.includes(i) && STATUS_COLOUR[t] ? paint(STATUS_COLOUR[t], t) : t)
      : undefined,
  });
}
