/**
 * kubectl-style tables: upper-case headers, columns separated by three spaces, no borders, no
 * trailing blanks. cli-table3 does the alignment (it measures width without ANSI colour codes).
 */
import Table from 'cli-table3';

/** kubectl's marker for an unset value. */
export const NONE = '<none>';

export interface TableOptions {
  /**
   * Fit lines into this many characters by truncating the `shrink` column (never below
   * `minShrinkWidth`); `table` output fits a terminal, `wide` never truncates.
   */
  maxWidth?: number;
  shrink?: number;
  minShrinkWidth?: number;
  /** Applied to a cell after truncation (colour); must not change its visible width. */
  decorate?: (column: number, text: string) => string;
}

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '   ',
};

/** `undefined` and the empty string render as `<none>`. */
export function cell(value: string | number | boolean | undefined): string {
  if (value === undefined || value === '') return NONE;
  return String(value);
}

export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + '…';
}

export function renderTable(head: string[], rows: string[][], opts: TableOptions = {}): string {
  let body = rows;
  if (opts.maxWidth !== undefined && opts.shrink !== undefined) {
    const s = opts.shrink;
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const others =
      widths.reduce((sum, w, i) => (i === s ? sum : sum + w), 0) +
      NO_BORDERS.middle.length * (head.length - 1);
    const budget = Math.max(opts.minShrinkWidth ?? 20, opts.maxWidth - others, head[s]!.length);
    body = rows.map((r) => r.map((c, i) => (i === s ? truncate(c, budget) : c)));
  }
  const decorate = opts.decorate;
  const table = new Table({
    head,
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  for (const r of body) table.push(decorate ? r.map((c, i) => decorate(i, c)) : r);
  return (
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n') + '\n'
  );
}
