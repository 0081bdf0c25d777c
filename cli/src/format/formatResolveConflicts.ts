/** Text for `kubectl hyperpod resolve-conflicts`: the plan (who owns what now, EKS after) and the end. */
import type {
  ResolveConflictsEvent,
  ResolveConflictsOutcome,
  ResolveConflictsPlan,
} from '@hyperpod/core';
import { paint } from './colour';

/** The plan: one line per field that changes hands, then what undoes it. */
export function formatResolveConflictsPlan(
  plan: ResolveConflictsPlan,
  opts: { colour: boolean; rollbackFile?: string },
): string {
  const lines = [
    `cluster:  ${plan.clusterName}`,
    `add-on:   ${plan.addonName} ${plan.addonVersion || '<none>'} (${plan.status})`,
    `action:   UpdateAddon at the same version with resolveConflicts OVERWRITE (configuration and role unchanged)`,
  ];
  if (plan.takeovers.length > 0) {
    lines.push('', 'fields EKS will take over (field manager eks):');
    const rows = [
      ['OBJECT', 'FIELD', 'OWNED BY NOW', 'VALUE NOW'],
      ...plan.takeovers.map((t) => [
        `${t.resource} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`,
        t.field,
        t.owners.length ? t.owners.join(',') : '<none>',
        t.value ?? '<none>',
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows)
      lines.push(
        `  ${r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd()}`,
      );
  }
  for (const w of plan.warnings) lines.push(`${paint2(opts.colour, 'yellow', 'warning')}: ${w}`);
  for (const r of plan.refusals) lines.push(`${paint2(opts.colour, 'red', 'refused')}: ${r}`);
  if (plan.refusals.length === 0)
    lines.push(
      '',
      `rollback: on failure the ${plan.rollbackObjects.length} object(s) are written back as they are now${opts.rollbackFile ? `; saved to ${opts.rollbackFile}` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

const MARK: Record<ResolveConflictsEvent['type'], string> = {
  refused: '✗',
  'update-sent': '▶',
  'addon-status': '…',
  succeeded: '✓',
  failed: '✗',
  'rollback-started': '↩',
  'rollback-progress': '↩',
  'rollback-done': '↩',
  'rollback-failed': '✗',
  'lock-lost': '✗',
};

export function formatResolveConflictsEvent(e: ResolveConflictsEvent, startedAt: number): string {
  const seconds = ((Date.parse(e.at) - startedAt) / 1000).toFixed(1);
  return `[${seconds}s] ${MARK[e.type]} ${e.message}\n`;
}

export function formatResolveConflictsOutcome(
  o: ResolveConflictsOutcome,
  undo: string | undefined,
): string {
  const lines = [
    `status:    ${o.status}`,
    `cluster:   ${o.clusterName}`,
    `add-on:    ${o.addonName} ${o.addonVersion || '<none>'}`,
    `result:    ${o.message}`,
  ];
  if (o.updateId) lines.push(`update:    ${o.updateId}`);
  if (o.status === 'succeeded' && undo) lines.push(`undo:      ${undo}`);
  return `${lines.join('\n')}\n`;
}

function paint2(colour: boolean, c: 'red' | 'yellow', text: string): string {
  return colour ? paint(c, text) : text;
}
