/**
 * Build-time only (cli/scripts/bundle.mjs; not part of the shipped CLI): a barrel of our packages
 * (an `index.ts`, which only re-exports: STYLE.md), as tsc compiles it to CommonJS, rewritten so
 * each re-export is a getter that requires its module when first read.
 *
 * tsc's output of a barrel requires every module it re-exports as it loads, so a command's
 * `require('@hyperpod/core')` evaluated all of the core: the migration engine and the yaml
 * package, the upgrade planner and ajv, the in-memory fakes, the portal's contract. With lazy
 * barrels a command evaluates what it uses (docs/adr/0006-cli-bundle.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const MARKER = 'Object.defineProperty(exports, "__esModule", { value: true });';
const GETTER =
  /^Object\.defineProperty\(exports, "([\w$]+)", \{ enumerable: true, get: function \(\) \{ return ([\w$]+)\.([\w$]+); \} \}\);$/;

interface Reexport {
  name: string;
  from: string;
  key: string;
}

/**
 * The lazy form of the barrel `file` (tsc's CommonJS output). Anything in it but tsc's helpers,
 * comments, `export { … } from` and `export * from` is an error, and so is a result whose export
 * names differ from the original's (which this loads to compare).
 */
export function lazyBarrel(file: string): string {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error('not tsc CommonJS output (no __esModule marker)');
  // Before the marker: "use strict" and tsc's helpers (`var __exportStar = …`), nothing else.
  for (const line of text.slice(0, at).split('\n'))
    if (!/^(|"use strict";|var __\w+ = .*|[\s})].*)$/.test(line))
      throw new Error(`a statement before the exports that is not a tsc helper: ${line}`);
  const modules = new Map<string, string>();
  const named: Reexport[] = [];
  const stars: string[] = [];
  let comment = false;
  for (const raw of text.slice(at + MARKER.length).split('\n')) {
    const line = raw.trim();
    if (comment || line.startsWith('/*')) {
      comment = !line.endsWith('*/');
      continue;
    }
    if (
      line === '' ||
      line.startsWith('//') ||
      /^exports\.[\w$]+ = (exports\.[\w$]+ = )*void 0;$/.test(line)
    )
      continue;
    const required = /^var ([\w$]+) = require\("([^"]+)"\);$/.exec(line);
    const getter = GETTER.exec(line);
    const star = /^__exportStar\(require\("([^"]+)"\), exports\);$/.exec(line);
    if (required) modules.set(required[1]!, required[2]!);
    else if (getter && modules.has(getter[2]!))
      named.push({ name: getter[1]!, from: modules.get(getter[2]!)!, key: getter[3]! });
    else if (star) stars.push(star[1]!);
    else throw new Error(`not a re-export (index files only re-export: STYLE.md): ${line}`);
  }
  const load = createRequire(file);
  const exported = new Set(named.map((n) => n.name));
  for (const from of stars)
    for (const key of Object.keys(load(from) as object))
      if (key !== 'default' && !exported.has(key)) {
        exported.add(key);
        named.push({ name: key, from, key });
      }
  const original = Object.keys(load(file) as object).sort();
  const lazy = [...exported].sort();
  if (original.join() !== lazy.join())
    throw new Error(
      `the lazy barrel would export ${lazy.length} names, the original ${original.length}`,
    );
  const specifiers = [...new Set(named.map((n) => n.from))];
  return [
    '"use strict";',
    MARKER,
    ...specifiers.map((s, i) => `const m${i} = () => require(${JSON.stringify(s)});`),
    'const reexport = (name, load, key) =>',
    '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[key] });',
    ...named.map(
      (n) =>
        `reexport(${JSON.stringify(n.name)}, m${specifiers.indexOf(n.from)}, ${JSON.stringify(n.key)});`,
    ),
    '',
  ].join('\n');
}
