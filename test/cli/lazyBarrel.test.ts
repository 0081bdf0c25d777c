/**
 * The bundle's lazy barrels (cli/src/lazyBarrel.ts, used by cli/scripts/bundle.mjs): tsc's output
 * of @hyperpod/core's and @hyperpod/core-node's index files, rewritten so that a re-export
 * requires its module when first read. Evaluated here with a require that records what it loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lazyBarrel } from 'kubectl-hyperpod/testing';
import { ROOT, buildCli } from './support/runCli';

const CORE_INDEX = path.join(ROOT, 'packages', 'core', 'dist', 'index.js');
const CORE_NODE_INDEX = path.join(ROOT, 'packages', 'core-node', 'dist', 'index.js');

/** Evaluates a lazy barrel as the bundle would, recording each module it requires. */
function evaluate(file: string): { exports: Record<string, unknown>; loaded: string[] } {
  const real = createRequire(file);
  const loaded: string[] = [];
  const exports: Record<string, unknown> = {};
  const load = (specifier: string): unknown => {
    loaded.push(specifier);
    return real(specifier);
  };
  new Function('exports', 'require', lazyBarrel(file))(exports, load);
  return { exports, loaded };
}

beforeAll(() => buildCli(), 180_000);

describe('lazyBarrel', () => {
  it('loads nothing until an export is read, then only the module that holds it', () => {
    const { exports, loaded } = evaluate(CORE_INDEX);
    expect(loaded).toEqual([]);
    expect(typeof exports.compareText).toBe('function');
    expect(loaded).toEqual(['./text/compareText']);
    // An `export * from './migrate/index'` name: its sub-barrel, nothing else yet.
    expect(typeof exports.planMigration).toBe('function');
    expect(loaded).toEqual(['./text/compareText', './migrate/index']);
  });

  it('exports the same names and the same values as the barrel tsc wrote', () => {
    for (const file of [CORE_INDEX, CORE_NODE_INDEX]) {
      const original = createRequire(file)(file) as Record<string, unknown>;
      const { exports } = evaluate(file);
      expect(Object.keys(exports).sort()).toEqual(Object.keys(original).sort());
      const differ = Object.keys(original).filter((k) => exports[k] !== original[k]);
      expect(differ).toEqual([]);
    }
  });

  it('refuses an index file that does more than re-export', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-barrel-'));
    try {
      writeFileSync(path.join(dir, 'a.js'), 'exports.a = 1;\n');
      const file = path.join(dir, 'index.js');
      writeFileSync(
        file,
        [
          '"use strict";',
          'Object.defineProperty(exports, "__esModule", { value: true });',
          'var a_1 = require("./a");',
          'Object.defineProperty(exports, "a", { enumerable: true, get: function () { return a_1.a; } });',
          'console.log("side effect");',
          '',
        ].join('\n'),
      );
      expect(() => lazyBarrel(file)).toThrow('not a re-export');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
