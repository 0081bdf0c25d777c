/**
 * The exit-code tables people read are EXIT_CODES (cli/src/exitCodes.ts): the README's and the
 * README section in docs/cli.md (one-line summaries), docs/cli.md's full table and its table of
 * which command exits with which codes, and the EXIT CODES section of every command's `--help`.
 * Any difference fails here, naming the table and the row.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT_CODES } from 'kubectl-hyperpod/testing';
import { buildCli, cleanEnv, ROOT, runCli } from '../support/runCli';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const manifest = JSON.parse(read('cli/oclif.manifest.json')) as {
  commands: Record<string, unknown>;
};
const commandIds = Object.keys(manifest.commands).sort();

/** Every Markdown table whose header is exactly `header`: its rows, as trimmed cells. */
function tables(markdown: string, header: string[]): string[][][] {
  const lines = markdown.split('\n');
  const out: string[][][] = [];
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trim().startsWith('|')) continue;
    if (JSON.stringify(cells(lines[i]!)) !== JSON.stringify(header)) continue;
    const rows: string[][] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('|'); j++)
      rows.push(cells(lines[j]!));
    out.push(rows);
  }
  return out;
}

const summaries = EXIT_CODES.map((e) => [String(e.code), e.summary]);
const meanings = EXIT_CODES.map((e) => [String(e.code), e.meaning]);

/** `0–4, 7` for [0, 1, 2, 3, 4, 7]: runs of three or more as ranges. */
function codeList(codes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length;) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${codes[i]}–${codes[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(codes[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** The EXIT CODES section of a command's help: code → meaning, wrapped lines joined. */
function helpExitCodes(help: string): [number, string][] {
  const at = help.indexOf('EXIT CODES\n');
  if (at < 0) return [];
  const entries: [number, string][] = [];
  for (const line of help.slice(at + 'EXIT CODES\n'.length).split('\n')) {
    if (!/^ {2}\S/.test(line)) break;
    const m = /^ {2}(\d+) {2}(.*)$/.exec(line);
    if (m) entries.push([Number(m[1]), m[2]!]);
    else if (entries.length) entries[entries.length - 1]![1] += ` ${line.trim()}`;
  }
  return entries;
}

describe('exit-code tables come from EXIT_CODES', () => {
  it('README.md: the one-line table', () => {
    expect(tables(read('README.md'), ['exit code', 'meaning'])).toEqual([summaries]);
  });

  it('docs/cli.md: the full table, and the one-line table of its README section', () => {
    const docs = read('docs/cli.md');
    expect(tables(docs, ['code', 'meaning'])).toEqual([meanings]);
    expect(tables(docs, ['exit code', 'meaning'])).toEqual([summaries]);
  });

  describe('--help of every command', () => {
    const helps = new Map<string, [number, string][]>();
    beforeAll(async () => {
      buildCli();
      const env = cleanEnv();
      for (const id of commandIds) {
        const r = await runCli([...id.split(':'), '--help'], env);
        if (r.code !== 0) throw new Error(`${id} --help: exit ${r.code}: ${r.stderr}`);
        helps.set(id, helpExitCodes(r.stdout));
      }
    }, 240_000);

    it('lists exit codes, each with the meaning EXIT_CODES gives it', () => {
      const wrong: string[] = [];
      for (const [id, entries] of helps) {
        if (entries.length === 0) wrong.push(`${id}: no EXIT CODES section`);
        for (const [code, text] of entries) {
          const entry = EXIT_CODES.find((e) => e.code === code);
          if (!entry) wrong.push(`${id}: ${code} is not in EXIT_CODES`);
          else if (text.replace(/\s+/g, ' ') !== entry.meaning.replace(/\s+/g, ' '))
            wrong.push(`${id}: ${code} reads "${text}"`);
        }
        const codes = entries.map(([c]) => c);
        if (JSON.stringify(codes) !== JSON.stringify([...codes].sort((a, b) => a - b)))
          wrong.push(`${id}: codes out of order: ${codes.join(', ')}`);
      }
      expect(wrong).toEqual([]);
    });

    it('docs/cli.md says which codes each command exits with, as its --help does', () => {
      const [rows] = tables(read('docs/cli.md'), ['command', 'exit codes']);
      const fromHelp = commandIds.map((id) => [
        `\`${id.split(':').join(' ')}\``,
        codeList(helps.get(id)!.map(([c]) => c)),
      ]);
      expect(rows).toEqual(fromHelp);
    });
  });
});
