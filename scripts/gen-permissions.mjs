#!/usr/bin/env node
// Writes the permission files users apply (permissions/iam, permissions/kubernetes,
// permissions/cloudformation, permissions/terraform) and docs/permissions.md from the permission
// sets in packages/core-node/src/permissions (build core-node first: npx tsc -b).
//
//   node scripts/gen-permissions.mjs            (after a change of the permission sets)
//   node scripts/gen-permissions.mjs --check    (exits 1 when a committed file is stale)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'packages', 'core-node', 'package.json'));
const { renderPermissionFiles } = require(join(root, 'packages', 'core-node', 'dist', 'index.js'));

const check = process.argv.includes('--check');
const stale = [];
for (const [path, text] of Object.entries(renderPermissionFiles())) {
  const file = join(root, path);
  let current;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  if (check) stale.push(path);
  else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
  }
}
if (stale.length) {
  console.error(`stale (run node scripts/gen-permissions.mjs): ${stale.join(', ')}`);
  process.exit(1);
}
