/**
 * The real inference umbrella as `helm dependency build` leaves it: the six real charts packaged
 * into `charts/*.tgz`. Packaging applies each sub-chart's `.helmignore` (the load balancer
 * controller's ignores `crds/kustomization.yaml`, which helm would otherwise try to install as a
 * CRD); a sub-chart left as a folder is loaded with the parent's ignore rules only.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { certManagerCrds } from '@hyperpod/sandbox';
import { assembleInferenceUmbrella } from '../../support/realCharts';
import { helmPath } from '../../support/tools';
import { helmEnv } from '../helmTemplate';

function makeWritable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory())
    for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

/** Assembles the umbrella and packages its sub-charts; returns the chart's folder. */
export function packagedInferenceUmbrella(): string {
  const chart = assembleInferenceUmbrella();
  makeWritable(chart);
  const charts = join(chart, 'charts');
  const env = helmEnv();
  for (const sub of readdirSync(charts)) {
    const dir = join(charts, sub);
    if (!statSync(dir).isDirectory()) continue;
    execFileSync(helmPath(), ['package', dir, '--destination', charts], { env, stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
  }
  return chart;
}

/**
 * cert-manager's CRDs as a customer applies them before installing the umbrella (`kubectl apply
 * -f cert-manager.crds.yaml`): the umbrella's own Issuer and Certificate can only be mapped by
 * helm once they exist.
 */
export function certManagerCrdsYaml(): string {
  return certManagerCrds()
    .map((c) => stringify(c))
    .join('---\n');
}
