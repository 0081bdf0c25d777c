/**
 * `kubectl hyperpod status` as a table: one row per cluster and add-on (or Helm install), with
 * the health ladder and one line of reason. A cluster that could not be read is still a row.
 */
import { topFix, type AddonReport, type ClusterReport, type ScanError } from '@hyperpod/core';
import { paintHealth } from './colour';
import { NONE, cell, renderTable } from './renderTable';

export interface FormatOptions {
  wide: boolean;
  colour: boolean;
  /** Terminal width `table` output is fitted to; undefined (not a terminal) and `wide` never truncate. */
  maxWidth?: number;
}

export const DEFAULT_WIDTH = 80;

export function scanErrorLine(e: ScanError): string {
  return `${e.step} failed: ${e.message}`;
}

export function installedVersion(a: AddonReport): string | undefined {
  if (a.addon) return a.addon.version;
  if (a.helm) return `${a.helm.chartVersion} (chart)`;
  return undefined;
}

function via(a: AddonReport): string {
  return a.installedVia === 'none' ? NONE : a.installedVia;
}

export function formatStatus(reports: ClusterReport[], opts: FormatOptions): string {
  const head = opts.wide
    ? [
        'CLUSTER',
        'ADDON',
        'VIA',
        'VERSION',
        'HEALTH',
        'K8S',
        'ACCOUNT',
        'REGION',
        'HELM-RELEASE',
        'MIGRATE',
        'REASON',
        'FIX',
      ]
    : ['CLUSTER', 'ADDON', 'VIA', 'VERSION', 'HEALTH', 'REASON'];
  const rows: string[][] = [];
  for (const r of reports) {
    const id = r.cluster;
    const clusterCols = (a: AddonReport | undefined) =>
      opts.wide
        ? [
            cell(id.kubernetesVersion),
            cell(id.accountId),
            cell(id.region),
            cell(a?.helm ? `${a.helm.namespace}/${a.helm.release}` : undefined),
            a ? String(a.migrationCandidate) : NONE,
          ]
        : [];
    for (const a of r.addons) {
      rows.push([
        id.name,
        a.name,
        via(a),
        cell(installedVersion(a)),
        a.health,
        ...clusterCols(a),
        cell(a.reason),
        ...(opts.wide ? [cell(topFix(a))] : []),
      ]);
    }
    for (const e of r.errors) {
      rows.push([
        id.name,
        NONE,
        NONE,
        NONE,
        'Unknown',
        ...clusterCols(undefined),
        scanErrorLine(e),
        ...(opts.wide ? [NONE] : []),
      ]);
    }
    if (r.addons.length === 0 && r.errors.length === 0) {
      rows.push([
        id.name,
        NONE,
        NONE,
        NONE,
        r.health,
        ...clusterCols(undefined),
        'no add-ons or Helm installs found',
        ...(opts.wide ? [NONE] : []),
      ]);
    }
  }
  const healthCol = 4;
  return renderTable(head, rows, {
    maxWidth: opts.wide ? undefined : opts.maxWidth,
    shrink: head.length - 1,
    decorate: opts.colour ? (i, t) => (i === healthCol ? paintHealth(t) : t) : undefined,
  });
}
