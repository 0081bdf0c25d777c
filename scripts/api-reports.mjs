#!/usr/bin/env node
// The API reports (report.api.md) of the four publishable packages, as Backstage plugins keep
// them: `backstage-repo-tools api-reports` (API Extractor) over the declarations in dist-types/.
//
//   node scripts/api-reports.mjs          regenerate them (commit the changes)
//   node scripts/api-reports.mjs --ci     fail if a package's public API differs from its report
//
// The reports record API Extractor's warnings (missing release tags and docs) instead of failing
// on them (--allow-all-warnings): the packages have no TSDoc release tags yet.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = [
  'packages/core',
  'packages/core-node',
  'plugins/hyperpod',
  'plugins/hyperpod-backend',
];
const ci = process.argv.includes('--ci');

const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: 'inherit' });
rmSync(join(root, 'dist-types'), { recursive: true, force: true });
run(process.execPath, [
  join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  'tsconfig.dist-types.json',
]);
try {
  run(join(root, 'node_modules', '.bin', 'backstage-repo-tools'), [
    'api-reports',
    '--allow-all-warnings',
    ...(ci ? ['--ci'] : []),
    ...PACKAGES,
  ]);
} catch {
  process.stderr.write(
    ci
      ? 'error: a package API differs from its report.api.md; run `npm run api-reports` and commit the reports\n'
      : 'error: backstage-repo-tools api-reports failed\n',
  );
  process.exit(1);
}
