/** kubectl's `--dry-run` values. */
export const DRY_RUN = ['none', 'client', 'server'] as const;

/**
 * kubectl's `--dry-run` alone means `--dry-run=client`; oclif flags always take a value, so the
 * bare form is rewritten before parsing (`--dry-run server` keeps its value).
 */
export function normalizeDryRun(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a !== '--dry-run') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && (DRY_RUN as readonly string[]).includes(next)) {
      out.push(`--dry-run=${next}`);
      i++;
    } else out.push('--dry-run=client');
  }
  return out;
}
