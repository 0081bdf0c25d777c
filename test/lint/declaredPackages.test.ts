/**
 * test/ and bench/ are workspaces like the others: each declares, in its package.json, every
 * package its files import (the workspace packages by name included), so none works only because
 * a neighbour happens to install it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'fixtures') return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** Every package the workspace's files import, require or import(), with a file that does. */
function usedPackages(workspace: string): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sources(path.join(ROOT, workspace))) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      const name = packageOf(fileName);
      if (name && !used.has(name)) used.set(name, path.relative(ROOT, file));
    }
  }
  return used;
}

const declared = (workspace: string): Set<string> => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, workspace, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }));
};

describe.each(['test', 'bench'])('%s/package.json', (workspace) => {
  it('declares every package its files import', () => {
    const used = usedPackages(workspace);
    // The scan sees what these files are known to import.
    expect([...used.keys()]).toEqual(
      expect.arrayContaining(['@hyperpod/core', '@hyperpod/sandbox']),
    );
    const have = declared(workspace);
    const undeclared = [...used].filter(([name]) => !have.has(name));
    expect(undeclared.map(([name, file]) => `${name} (imported by ${file})`)).toEqual([]);
  });
});
