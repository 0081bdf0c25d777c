/**
 * A migration run's events as progress lines for stderr, one per event, each with the time since
 * the run started: `[12.3s] ✓ create add-on amazon-sagemaker-hyperpod-inference v1.1.0-eksbuild.1`.
 * A wait says what it waits for (the action that waits) and what it last saw. Colour only when
 * asked (a terminal without NO_COLOR).
 */
import type { MigrationEvent, MigrationOutcome } from '@hyperpod/core';
import { missingPermissionLine, missingPermissionOfText } from '@hyperpod/core-node';
import { paint, type Colour } from './colour';

export interface ProgressOptions {
  colour: boolean;
  /** Epoch milliseconds the run started at. */
  startedAt: number;
  now?: () => number;
  /**
   * The plan's steps, in order: a step is numbered by its place in the plan (`step 3/5`), so a
   * resumed run goes on from where it stopped instead of counting from 1 again.
   */
  steps?: readonly { id: string }[];
}

const MARK: Record<MigrationEvent['type'], { mark: string; colour?: Colour } | undefined> = {
  'lock-acquired': { mark: '•' },
  'backup-written': { mark: '•' },
  'step-started': { mark: '▶' },
  'step-done': undefined,
  // Its done, skipped or failed line follows; a wait shows itself through `waiting`.
  'action-started': undefined,
  'action-done': { mark: '✓', colour: 'green' },
  'action-skipped': { mark: '–', colour: 'dim' },
  waiting: { mark: '…', colour: 'yellow' },
  retry: { mark: '↻', colour: 'yellow' },
  failed: { mark: '✗', colour: 'red' },
  'rollback-started': { mark: '↩', colour: 'yellow' },
  'rollback-progress': { mark: '✓', colour: 'green' },
  'rollback-done': { mark: '↩', colour: 'green' },
  'rollback-failed': { mark: '✗', colour: 'red' },
  aborted: { mark: '■', colour: 'yellow' },
  succeeded: { mark: '✓', colour: 'green' },
};

export class MigrationProgress {
  private readonly now: () => number;
  /** The action running now, so a wait can say what it waits for. */
  private action: string | undefined;
  private steps = 0;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The line for `e` (newline included), or undefined for events shown through others. */
  line(e: MigrationEvent): string | undefined {
    if (e.type === 'action-started') this.action = e.message;
    if (e.type === 'action-done' || e.type === 'action-skipped' || e.type === 'rollback-started')
      this.action = undefined;
    const m = MARK[e.type];
    if (!m) return undefined;
    let text = e.message;
    if (e.type === 'step-started') {
      const all = this.opts.steps;
      const at = all?.findIndex((st) => st.id === e.stepId) ?? -1;
      text =
        all && at >= 0
          ? `step ${at + 1}/${all.length}: ${e.message}`
          : `step ${++this.steps}: ${e.message}`;
    }
    if (e.type === 'waiting' && this.action) text = `${this.action}: ${e.message}`;
    if (e.type === 'failed') text = `failed: ${e.message}`;
    if (e.type === 'rollback-done' || e.type === 'rollback-failed')
      text = `${e.type === 'rollback-done' ? 'rollback done' : 'rollback incomplete'}: ${e.message}`;
    const mark = this.opts.colour && m.colour ? paint(m.colour, m.mark) : m.mark;
    const seconds = ((this.now() - this.opts.startedAt) / 1000).toFixed(1);
    return `[${seconds}s] ${mark} ${text}\n`;
  }
}

/** What to run next after a run ended, as shell lines: how to resume, how to roll back. */
export interface NextCommands {
  resume: string;
  rollback: string;
  retry: string;
}

/** The end report of a run or rollback: status, run id, where the backup is, what to do next. */
export function formatMigrationOutcome(
  o: MigrationOutcome,
  next: NextCommands,
  opts: { colour: boolean },
): string {
  const colour: Record<MigrationOutcome['status'], Colour> = {
    succeeded: 'green',
    'rolled-back': 'yellow',
    failed: 'red',
    aborted: 'yellow',
    refused: 'red',
  };
  const status = opts.colour ? paint(colour[o.status], o.status) : o.status;
  const lines = [
    '',
    `status:  ${status}`,
    `run:     ${o.runId}`,
    `backup:  ${o.location}`,
    `result:  ${o.message}`,
  ];
  if (o.error && !o.message.includes(o.error)) lines.push(`error:   ${o.error}`);
  // A refused call: which permission, and the shipped file that grants it.
  const refused = missingPermissionOfText(o.error ?? o.message, { forSet: 'migrate' });
  if (refused)
    lines.push(`missing: ${missingPermissionLine(refused).replace(/^missing permission /, '')}`);
  for (const e of o.rollbackErrors) lines.push(`to fix by hand: ${e}`);
  switch (o.status) {
    case 'succeeded':
      lines.push(`undo:    ${next.rollback}`);
      break;
    case 'rolled-back':
      lines.push('the cluster is back as it was before the run');
      lines.push(`retry:   ${next.retry}`);
      break;
    case 'aborted':
    case 'failed':
      if (o.rollbackErrors.length === 0) lines.push(`resume:  ${next.resume}`);
      lines.push(`undo:    ${next.rollback}`);
      break;
    case 'refused':
      break;
  }
  return lines.join('\n') + '\n';
}
