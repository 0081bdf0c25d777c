// What a plugin README's "Install" section tells a user to run and to write, and that code put
// into an app's files exactly as written. scripts/create-app-check.mjs runs both.
//
// A code block the check applies starts with a line naming its file (`// packages/...`). Its
// import statements go after the file's imports; every other line belongs to the `// in ...:` or
// `// before ...:` comment above it, which names a place in a create-app app's file (PLACES).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fail = (message) => {
  throw new Error(message);
};

/**
 * The `## Install` section of a README: its `yarn ...` commands, and its code blocks by file with
 * the `### ` heading each is under (e.g. "New frontend system (...)").
 */
export function installSteps(readmePath) {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf('\n## Install\n');
  if (start < 0) fail(`${readmePath} has no "## Install" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  // Each block with the `### ` heading it is under (a frontend system), if any.
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    body: m[2],
    heading: [...section.slice(0, m.index).matchAll(/\n### (.+)\n/g)].at(-1)?.[1] ?? '',
  }));
  const yarn = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.body.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('yarn '));
  const code = blocks
    .filter((b) => b.lang === 'ts' || b.lang === 'tsx')
    .map((b) => {
      const [first, ...rest] = b.body.split('\n');
      const file = /^\/\/ (packages\/\S+)$/.exec(first ?? '')?.[1];
      return file ? { file, heading: b.heading, ...segments(rest) } : undefined;
    })
    .filter(Boolean);
  if (yarn.length === 0) fail(`${readmePath}: the Install section has no yarn command`);
  return { yarn, code };
}

/** A block's lines: its import statements, and the other lines under each place comment. */
function segments(lines) {
  const imports = [];
  const places = [];
  let current;
  let statement = '';
  for (const line of lines) {
    const place = /^\/\/ ((?:in|before) .+):$/.exec(line)?.[1];
    if (place) {
      current = { place, lines: [] };
      places.push(current);
    } else if (current) {
      if (line.trim() !== '') current.lines.push(line);
    } else if (statement !== '' || line.trim() !== '') {
      statement += `${line}\n`;
      if (/;\s*$/.test(line)) {
        if (!statement.startsWith('import '))
          fail(`not an import, and under no place: ${statement}`);
        imports.push(statement.trimEnd());
        statement = '';
      }
    }
  }
  if (statement.trim()) fail(`unterminated statement in a README code block: ${statement}`);
  return { imports, places };
}

const lineIndex = (lines, test, from = 0, what = String(test)) => {
  const i = lines.findIndex((l, n) => n >= from && test.test(l));
  return i >= 0 ? i : fail(`no line matching ${what}`);
};
const insertAt = (lines, at, added) => [...lines.slice(0, at), ...added, ...lines.slice(at)];

/** The places the READMEs name, in the files create-app (default and --legacy) writes. */
const PLACES = {
  // New frontend system: `features: [catalogPlugin, navModule, homeModule]`.
  "in createApp's features": (lines, added) => {
    const at = lineIndex(lines, /features: \[/);
    const items = added.map((l) => l.trim()).join(' ');
    return lines.map((l, i) => (i === at ? l.replace('features: [', `features: [${items} `) : l));
  },
  // Legacy: the options of `const app = createApp({`.
  'in createApp({ ... })': (lines, added) =>
    insertAt(lines, lineIndex(lines, /createApp\(\{$/) + 1, added),
  'in <FlatRoutes>': (lines, added) =>
    insertAt(lines, lineIndex(lines, /^\s*<\/FlatRoutes>/), added),
  "in defaultEntityPage's <EntityLayout>": (lines, added) => {
    const page = lineIndex(lines, /^const defaultEntityPage = \($/);
    return insertAt(lines, lineIndex(lines, /^\s*<\/EntityLayout>/, page), added);
  },
  'before backend.start()': (lines, added) =>
    insertAt(lines, lineIndex(lines, /^backend\.start\(\)/), added),
};

/** Writes one README code block into the app's file; false when the file has it already. */
export function applyCode(appDir, { file, imports, places }) {
  const target = join(appDir, file);
  const source = readFileSync(target, 'utf8');
  if (source.includes('@hyperpod/')) return false; // a kept app (--app): wired already
  let lines = source.split('\n');
  let lastImport = -1;
  lines.forEach((l, i) => {
    if (/^import .*;$/.test(l) || /^} from '.*';$/.test(l)) lastImport = i;
  });
  lines = insertAt(lines, lastImport + 1, imports);
  for (const { place, lines: added } of places) {
    const put = PLACES[place] ?? fail(`${file}: the check does not know the place "${place}"`);
    try {
      lines = put(lines, added);
    } catch (error) {
      fail(`${file}, "${place}": ${error.message}`);
    }
  }
  writeFileSync(target, lines.join('\n'));
  return true;
}
