/**
 * `kubectl hyperpod drift` as a table: for each add-on (or Helm install with an add-on to move
 * to) the installed version against the default and the newest compatible one, and whether it
 * can stay as is for the next Kubernetes version.
 */
import type { AddonReadiness, AddonReport, ClusterReport } from '@hyperpod/core';
import { paint } from './colour';
import { type FormatOptions, installedVersion, scanErrorLine } from './formatStatus';
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

export function formatDrift(reports: ClusterReport[], opts: FormatOptions): string {
  const head = opts.wide
    ? [
        'CLUSTER',
        'ADDON',
        'VIA',
        'VERSION',
        'DEFAULT',
        'LATEST',
        'STATUS',
        'NEWER',
        'K8S',
        'NEXT-K8S',
        'READINESS',
        'REQUIRED',
      ]
    : ['CLUSTER', 'ADDON', 'VERSION', 'DEFAULT', 'LATEST', 'STATUS', 'NEXT-K8S'];
  const rows: string[][] = [];
  for (const r of reports) {
    for (const a of r.addons) {
      const d = a.drift;
      const ready = readinessOf(r, a);
      const version = d?.installed ?? installedVersion(a);
      rows.push(
        opts.wide
          ? [
              r.cluster.name,
              a.name,
              a.installedVia === 'none' ? NONE : a.installedVia,
              cell(version),
              cell(d?.default),
              cell(d?.latest),
              cell(d?.status),
              d ? String(d.newerVersions) : NONE,
              cell(r.cluster.kubernetesVersion),
              cell(r.readiness?.targetVersion),
              readinessCell(ready),
              cell(ready?.requiredVersion),
            ]
          : [
              r.cluster.name,
              a.name,
              cell(version),
              cell(d?.default),
              cell(d?.latest),
              cell(d?.status),
              readinessCell(ready),
            ],
      );
    }
    for (const e of r.errors) {
      const blanks = Array<string>(opts.wide ? 9 : 4).fill(NONE);
      rows.push([r.cluster.name, NONE, ...blanks, truncateError(scanErrorLine(e))]);
    }
  }
  const statusCols = opts.wide ? [6, 10] : [5, 6];
  // No free-text column to shorten: names and versions are copied into commands, never truncated.
  return renderTable(head, rows, {
    decorate: opts.colour
      ? (i, t) => (statusCols.includes(i) && STATUS_COLOUR[t] ? paint(STATUS_COLOUR[t], t) : t)
      : undefined,
  });
}

/** Errors go in the last column; keep them short there, the full text is on stderr. */
function truncateError(line: string): string {
  return line.length > 60 ? line.slice(0, 59) + '…' : line;
}
