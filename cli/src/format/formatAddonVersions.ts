/**
 * `kubectl hyperpod addons versions NAME` as a table: the compatible versions, newest first,
 * marking the default and the installed one. CLUSTER comes first only when several clusters
 * are listed.
 */
import type { AddonVersionsReport } from '../AddonVersionsReport';
import { paint } from './colour';
import type { FormatOptions } from './formatStatus';
import { scanErrorLine } from './formatStatus';
import { NONE, renderTable } from './renderTable';

export function formatAddonVersions(reports: AddonVersionsReport[], opts: FormatOptions): string {
  const multi = reports.length > 1;
  const head = [
    ...(multi ? ['CLUSTER'] : []),
    'VERSION',
    'DEFAULT',
    'INSTALLED',
    ...(opts.wide ? ['K8S', 'KUBERNETES-VERSIONS'] : []),
  ];
  const rows: string[][] = [];
  for (const r of reports) {
    const lead = multi ? [r.cluster.name] : [];
    for (const v of r.versions) {
      rows.push([
        ...lead,
        v.version,
        String(v.default),
        String(v.installed),
        ...(opts.wide ? [r.kubernetesVersion ?? NONE, v.kubernetesVersions.join(',') || NONE] : []),
      ]);
    }
    for (const e of r.errors)
      rows.push([...lead, NONE, NONE, NONE, ...(opts.wide ? [NONE, scanErrorLine(e)] : [])]);
  }
  const versionCol = multi ? 1 : 0;
  return renderTable(head, rows, {
    decorate: opts.colour
      ? (i, t) => {
          if (i === versionCol + 1 && t === 'true') return paint('green', t);
          if (i === versionCol + 2 && t === 'true') return paint('yellow', t);
          return t;
        }
      : undefined,
  });
}
