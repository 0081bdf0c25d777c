/**
 * An add-on upgrade for people: the plan (from, each hop, to, the configuration check,
 * dependencies to move first, refusals), its events as progress lines with the time since it
 * started, and the end report (what happened, at which version the add-on is, what to run next).
 * Colour only when asked (a terminal without NO_COLOR).
 */
import type { UpgradeEvent, UpgradeOutcome, UpgradePlan } from '@hyperpod/core';
import { paint, type Colour } from './colour';
import { missingPermissionLine, missingPermissionOfText } from '@hyperpod/core-node';

export interface UpgradeFormatOptions {
  colour: boolean;
}

const paintIf = (on: boolean) => (colour: Colour, text: string) =>
  on ? paint(colour, text) : text;

export function formatUpgradePlan(plan: UpgradePlan, opts: UpgradeFormatOptions): string {
  const c = paintIf(opts.colour);
  const out: string[] = [
    `Upgrade plan for ${plan.addonName} on cluster ${plan.clusterName} (Kubernetes ${plan.kubernetesVersion})`,
    `  from:           ${plan.from}`,
    `  to:             ${plan.to ?? '<none>'}`,
  ];
  if (plan.hops.length > 0) {
    const stepwise = plan.hops.length > 1 ? ', one minor version at a time' : '';
    out.push(`  hops (${plan.hops.length}${stepwise}):`);
    let from = plan.from;
    plan.hops.forEach((hop, i) => {
      out.push(`    ${i + 1}. UpdateAddon ${from} → ${hop}, then wait until ACTIVE`);
      from = hop;
    });
  } else if (plan.refusals.length === 0 && plan.to === plan.from) {
    out.push(`  hops:           none: ${plan.addonName} is already at ${plan.from}`);
  } else {
    out.push('  hops:           none');
  }
  // A plan refused for its version has no hops and was not checked against a schema.
  const checked = plan.to !== undefined && (plan.refusals.length === 0 || plan.hops.length > 0);
  if (plan.configuration.valid) {
    out.push(
      `  configuration:  ${checked ? `the current configuration fits ${plan.to}'s schema` : 'not checked'}`,
    );
  } else {
    out.push(`  configuration:  ${c('red', `does not fit ${plan.to ?? 'the target'}'s schema:`)}`);
    for (const e of plan.configuration.errors) out.push(`    - ${e}`);
  }
  out.push(
    `  conflicts:      ${plan.resolveConflicts ? `resolveConflicts ${plan.resolveConflicts}` : "EKS's default (no --resolve-conflicts)"}`,
  );
  if (plan.dependenciesFirst.length === 0) {
    out.push('  dependencies:   none to move first');
  } else {
    out.push('  dependencies:   move these add-ons first:');
    for (const d of plan.dependenciesFirst)
      out.push(
        `    - ${d.addonName} ${d.minVersion} or newer (${d.installed ? `installed ${d.installed}` : 'not installed'})`,
      );
  }
  if (plan.hops.length > 0)
    out.push(
      `  on failure:     roll back to ${plan.from} with the configuration and role it has now`,
    );
  if (plan.refusals.length > 0) {
    const n = plan.refusals.length;
    out.push(c('red', `Refusals (${n}): the plan may not run`));
    for (const r of plan.refusals) out.push(`  - ${r}`);
  }
  return out.join('\n') + '\n';
}

type Mark = { mark: string; colour?: Colour };
const DONE: Mark = { mark: '✓', colour: 'green' };
const FAILED: Mark = { mark: '✗', colour: 'red' };
const WAITING: Mark = { mark: '…', colour: 'yellow' };
const UNDOING: Mark = { mark: '↩', colour: 'yellow' };

/** The mark of each event: done, failed, waiting, undoing; each kind of event has one. */
const MARK: Record<UpgradeEvent['type'], Mark> = {
  refused: FAILED,
  captured: { mark: '•' },
  'hop-started': { mark: '▶' },
  'update-status': WAITING,
  'addon-status': WAITING,
  'poll-error': { mark: '↻', colour: 'yellow' },
  'hop-succeeded': DONE,
  'hop-failed': FAILED,
  'rollback-started': UNDOING,
  'rollback-refused': UNDOING,
  'addon-deleting': UNDOING,
  'addon-deleted': UNDOING,
  'addon-creating': UNDOING,
  'rollback-succeeded': { mark: '↩', colour: 'green' },
  'rollback-failed': FAILED,
  'lock-lost': FAILED,
  succeeded: DONE,
};

export interface UpgradeProgressOptions extends UpgradeFormatOptions {
  /** Epoch milliseconds the run started at. */
  startedAt: number;
  now?: () => number;
}

/** One progress line per event: `[3.1s] ▶ updating vpc-cni to v1.19.5-eksbuild.3`. */
export function formatUpgradeEvent(e: UpgradeEvent, opts: UpgradeProgressOptions): string {
  const m = MARK[e.type];
  const mark = opts.colour && m.colour ? paint(m.colour, m.mark) : m.mark;
  const seconds = (((opts.now ?? Date.now)() - opts.startedAt) / 1000).toFixed(1);
  const issues = e.issues?.length ? ` (${e.issues.map((i) => i.code).join(', ')})` : '';
  return `[${seconds}s] ${mark} ${e.message}${issues}\n`;
}

/** What the end report offers to run next, as shell lines. */
export interface UpgradeNextCommands {
  /** The same upgrade as a dry run: the plan again. */
  plan: string;
  /** Health of the cluster's add-ons. */
  status: string;
}

/** The end report: status, versions, hops, the failure and the rollback, and what to run next. */
export function formatUpgradeOutcome(
  o: UpgradeOutcome,
  next: UpgradeNextCommands,
  opts: UpgradeFormatOptions,
): string {
  const colour: Record<UpgradeOutcome['status'], Colour> = {
    succeeded: 'green',
    'rolled-back': 'yellow',
    failed: 'red',
    refused: 'red',
  };
  const status = opts.colour ? paint(colour[o.status], o.status) : o.status;
  const lines = [
    `status:    ${status}`,
    `cluster:   ${o.clusterName}`,
    `add-on:    ${o.addonName}`,
    `from:      ${o.from}`,
    `to:        ${o.to ?? '<none>'}`,
  ];
  const now = versionNow(o);
  if (now) lines.push(`now at:    ${now}`);
  if (o.hopsDone.length > 0) lines.push(`hops done: ${o.hopsDone.join(' → ')}`);
  if (o.failedHop)
    lines.push(
      `failed:    ${o.failedHop}${o.issueCodes.length ? ` (${o.issueCodes.join(', ')})` : ''}`,
    );
  if (o.rollback) {
    const how = o.rollback.method === 'update' ? 'UpdateAddon' : 'delete and re-create';
    lines.push(
      `rollback:  ${how} to ${o.captured?.addonVersion ?? o.from}: ${o.rollback.succeeded ? 'succeeded' : 'failed'}`,
    );
  }
  if (o.heldBy)
    lines.push(
      `locked by: ${o.heldBy.holder}${o.heldBy.runId ? ` (run ${o.heldBy.runId})` : ''}${o.heldBy.since ? ` since ${o.heldBy.since}` : ''}`,
    );
  if (o.updateIds.length > 0) lines.push(`updates:   ${o.updateIds.join(', ')}`);
  lines.push(`result:    ${o.message}`);
  // A refused call: which permission, and the shipped file that grants it.
  const refused = missingPermissionOfText(o.message, { forSet: 'upgrade' });
  if (refused)
    lines.push(`missing:   ${missingPermissionLine(refused).replace(/^missing permission /, '')}`);
  switch (o.status) {
    case 'succeeded':
      break;
    case 'rolled-back':
      lines.push(
        `the add-on is back at ${o.captured?.addonVersion ?? o.from} with the configuration and role it had before`,
      );
      lines.push(`check:     ${next.status}`);
      lines.push(`retry:     ${next.plan}`);
      break;
    case 'failed':
      lines.push(
        `the add-on needs attention: it is not back at ${o.captured?.addonVersion ?? o.from}`,
      );
      lines.push(`check:     ${next.status}`);
      break;
    case 'refused':
      lines.push('nothing was changed');
      break;
  }
  return lines.join('\n') + '\n';
}

/** The add-on's version when the run ended, as far as the outcome tells. */
function versionNow(o: UpgradeOutcome): string | undefined {
  switch (o.status) {
    case 'succeeded':
      return o.hopsDone[o.hopsDone.length - 1] ?? o.from;
    case 'rolled-back':
      return o.captured?.addonVersion ?? o.from;
    case 'refused':
      return undefined;
    case 'failed':
      return undefined;
  }
}
