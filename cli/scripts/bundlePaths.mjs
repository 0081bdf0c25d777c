// Where the CLI bundle is built from and to, and the two ways the build scripts (bundle.mjs and
// the modules it loads) end: an error with its fix, a file written whole.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** cli/ */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository: the workspace packages and node_modules. */
export const REPO = join(ROOT, '..');
/** tsc's output of cli/ */
export const DIST = join(ROOT, 'dist');
/** The bundle: dist/bundle */
export const OUT = join(DIST, 'bundle');
export const MANIFEST = join(ROOT, 'oclif.manifest.json');

export const fail = (message, fix) => {
  process.stderr.write(`error: ${message}\n${fix ? `try: ${fix}\n` : ''}`);
  process.exit(1);
};

/** Under a temporary name, then renamed: a CLI started meanwhile reads the old file or the new. */
export const writeAtomically = (file, data) => {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
};
