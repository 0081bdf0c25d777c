/**
 * The portal's upgrade requests for people: `requests list` as a kubectl-style table (short ids,
 * kubectl ages), one request (`get`, `create`, `approve`...) as a block with its outcome and its
 * history. Text from the portal (reasons, notes, messages) is written by other people: it is put
 * on one line and stripped of control characters before it reaches a terminal.
 */
import type { RequestTransition, UpgradeRequest, UpgradeRequestState } from '@hyperpod/core';
import { paint, type Colour } from './colour';
import type { FormatOptions } from './formatStatus';
import { NONE, cell, renderTable } from './renderTable';

/** What `requests list -o json|yaml` prints: the API's answer as is. */
export interface RequestList {
  items: UpgradeRequest[];
}

export interface RequestFormatOptions extends FormatOptions {
  /** Epoch milliseconds AGE is measured to (tests pin it). */
  now?: number;
}

/** The table shows ids as their first 8 characters, like git's short hashes. */
export const SHORT_ID_LENGTH = 8;

export const shortId = (id: string): string => id.slice(0, SHORT_ID_LENGTH);

const STATE_COLOUR: Partial<Record<UpgradeRequestState, Colour>> = {
  running: 'yellow',
  succeeded: 'green',
  'rolled-back': 'yellow',
  failed: 'red',
  'needs-attention': 'red',
  rejected: 'dim',
  cancelled: 'dim',
};

function paintState(text: string): string {
  const c = STATE_COLOUR[text as UpgradeRequestState];
  return c ? paint(c, text) : text;
}

/** One line, printable: controls (ANSI escapes included) become spaces, runs of blanks one. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to remove them
  return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
}

/** `user:default/alice` reads as `alice` in a table; other namespaces and kinds stay whole. */
export function shortEntityRef(ref: string): string {
  return ref.startsWith('user:default/') ? ref.slice('user:default/'.length) : ref;
}

/** kubectl's HumanDuration: `45s`, `3m20s`, `17m`, `5h12m`, `30h`, `3d4h`, `120d`, `2y10d`. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (y < 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

function age(iso: string, now: number): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? NONE : humanDuration(now - t);
}

/** Second precision reads better; the JSON keeps the full timestamp. */
const seconds = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

export function formatRequestList(list: RequestList, opts: RequestFormatOptions): string {
  if (list.items.length === 0) return 'No upgrade requests.\n';
  const now = opts.now ?? Date.now();
  const head = [
    'ID',
    'CLUSTER',
    'ADDON',
    'FROM',
    'TO',
    'STATE',
    'REQUESTED-BY',
    'AGE',
    ...(opts.wide ? ['DECIDED-BY', 'REASON'] : []),
  ];
  const rows = list.items.map((r) => [
    opts.wide ? r.id : shortId(r.id),
    r.cluster.name,
    r.addonName,
    r.fromVersion,
    r.targetVersion,
    r.state,
    opts.wide ? r.requestedBy : shortEntityRef(r.requestedBy),
    age(r.createdAt, now),
    ...(opts.wide ? [cell(r.decidedBy), cell(oneLine(r.reason))] : []),
  ]);
  const stateCol = 5;
  return renderTable(head, rows, {
    decorate: opts.colour ? (i, t) => (i === stateCol ? paintState(t) : t) : undefined,
  });
}

function transition(h: RequestTransition): string {
  return h.from ? `${h.from} → ${h.to}` : h.to;
}

/** One request: what, where, who and why, the outcome when it ran, then its history. */
export function formatRequest(r: UpgradeRequest, opts: RequestFormatOptions): string {
  const now = opts.now ?? Date.now();
  const state = opts.colour ? paintState(r.state) : r.state;
  const where = r.cluster.arn ?? [r.cluster.accountId, r.cluster.region].filter(Boolean).join(' ');
  const lines = [
    `Upgrade request ${r.id}`,
    `  cluster:       ${r.cluster.name}${where ? ` (${where})` : ''}`,
    `  add-on:        ${r.addonName}`,
    `  from:          ${r.fromVersion}`,
    `  to:            ${r.targetVersion}${r.target !== r.targetVersion ? ` (asked: ${r.target})` : ''}`,
    `  state:         ${state}`,
    `  requested by:  ${r.requestedBy} at ${seconds(r.createdAt)} (${age(r.createdAt, now)} ago)`,
    `  reason:        ${oneLine(r.reason)}`,
    `  decided by:    ${r.decidedBy ?? NONE}`,
  ];
  if (r.attempts > 0) lines.push(`  attempts:      ${r.attempts}`);
  const o = r.outcome;
  if (o) {
    lines.push(`  outcome:       ${o.status}: ${oneLine(o.message)}`);
    if (o.hopsDone.length > 0) lines.push(`  hops done:     ${o.hopsDone.join(' → ')}`);
    if (o.failedHop)
      lines.push(
        `  failed hop:    ${o.failedHop}${o.issueCodes.length ? ` (${o.issueCodes.join(', ')})` : ''}`,
      );
    if (o.rollback)
      lines.push(
        `  rollback:      ${o.rollback.method === 'update' ? 'UpdateAddon' : 'delete and re-create'} to ${o.from}: ${o.rollback.succeeded ? 'succeeded' : 'failed'}`,
      );
  }
  lines.push('History:');
  const history = renderTable(
    ['AT', 'ACTOR', 'TRANSITION', 'NOTE'],
    r.history.map((h) => [
      seconds(h.at),
      h.actor,
      transition(h),
      cell(h.note === undefined ? undefined : oneLine(h.note)),
    ]),
  );
  for (const l of history.trimEnd().split('\n')) lines.push(`  ${l}`);
  return lines.join('\n') + '\n';
}
