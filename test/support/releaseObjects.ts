/**
 * A Helm release's objects, computed without the code under test: real helm prints the manifest
 * and hooks, real kubectl (`create --dry-run=client`) parses them, and the CRDs Helm installs from
 * the chart's `crds/` folders (never stored in the release manifest) are read from the chart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, type RealChartSandbox } from './realChartSandbox';

export interface ReleaseObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Where Helm keeps it: the release manifest, a hook, or a chart's crds/ folder. */
  from: 'manifest' | 'hook' | 'crds';
}

export const objectKey = (o: {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}): string =>
  `${o.apiVersion.split('/').slice(0, -1).join('/') || 'core'}/${o.kind}/${o.namespace ?? ''}/${o.name}`;

const JSONPATH =
  '{.apiVersion}{"\\t"}{.kind}{"\\t"}{.metadata.namespace}{"\\t"}{.metadata.name}{"\\n"}';

/** Objects of a YAML stream as kubectl reads them (namespaced ones default to `namespace`). */
export async function kubectlObjects(
  s: RealChartSandbox,
  yaml: string,
  namespace: string,
  from: ReleaseObject['from'],
): Promise<ReleaseObject[]> {
  if (!yaml.trim()) return [];
  const out = ok(
    await s.kubectl(
      ['create', '--dry-run=client', '-n', namespace, '-f', '-', '-o', `jsonpath=${JSONPATH}`],
      yaml,
    ),
    'kubectl create --dry-run=client',
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [apiVersion, kind, ns, name] = line.split('\t') as [string, string, string, string];
      return { apiVersion, kind, ...(ns ? { namespace: ns } : {}), name, from };
    });
}

/** The `crds/` files of a chart and of its sub-charts (enabled or not: Helm installs them all). */
export function chartCrdFiles(chartDir: string): string[] {
  const files: string[] = [];
  const crds = join(chartDir, 'crds');
  if (existsSync(crds))
    for (const f of readdirSync(crds).sort())
      if (/\.(ya?ml|json)$/.test(f)) files.push(join(crds, f));
  const sub = join(chartDir, 'charts');
  if (existsSync(sub))
    for (const d of readdirSync(sub).sort()) files.push(...chartCrdFiles(join(sub, d)));
  return files;
}

export async function releaseObjects(
  s: RealChartSandbox,
  release: string,
  namespace: string,
  chartDir: string,
): Promise<ReleaseObject[]> {
  const manifest = ok(
    await s.helm(['get', 'manifest', release, '-n', namespace]),
    'helm get manifest',
  );
  const hooks = ok(await s.helm(['get', 'hooks', release, '-n', namespace]), 'helm get hooks');
  // Only CustomResourceDefinitions count: Helm skips anything else in crds/ (a kustomization).
  const crdYaml = chartCrdFiles(chartDir)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n---\n');
  const crds = (await kubectlObjects(s, crdYaml, namespace, 'crds').catch(() => [])).filter(
    (o) => o.kind === 'CustomResourceDefinition',
  );
  return [
    ...(await kubectlObjects(s, manifest, namespace, 'manifest')),
    ...(await kubectlObjects(s, hooks, namespace, 'hook')),
    ...crds,
  ];
}
