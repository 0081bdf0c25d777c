/**
 * A Helm release's objects, computed without the code under test: real helm prints the manifest
 * and hooks, real kubectl (`create --dry-run=client`) parses them, and the CRDs Helm installs from
 * the chart's `crds/` folders (never stored in the release manifest) are read from the chart.
 */
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
      // Parsing only: whether the objects are valid is helm's and the cluster's business.
      ['create', '--dry-run=client', '--validate=false', '-f', '-', '-o', `jsonpath=${JSONPATH}`],
      yaml,
      namespace,
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

/** A release Helm installed from `chartDir` with `valuesFile`. */
export interface HelmInstall {
  release: string;
  namespace: string;
  chartDir: string;
  valuesFile: string;
}

/**
 * The objects Helm installs from `crds/` folders (the chart's and its sub-charts', as Helm loads
 * them): what `helm template --include-crds` renders beyond `helm template`.
 */
export async function crdFolderObjects(
  s: RealChartSandbox,
  { release, namespace, chartDir, valuesFile }: HelmInstall,
): Promise<ReleaseObject[]> {
  const args = ['template', release, chartDir, '-n', namespace, '-f', valuesFile];
  const [withCrds, without] = await Promise.all([
    s.helm([...args, '--include-crds']).then((r) => ok(r, 'helm template --include-crds')),
    s.helm(args).then((r) => ok(r, 'helm template')),
  ]);
  const plain = new Set((await kubectlObjects(s, without, namespace, 'manifest')).map(objectKey));
  return (await kubectlObjects(s, withCrds, namespace, 'crds')).filter(
    (o) => !plain.has(objectKey(o)),
  );
}

/** The objects of the installed release: its manifest, its hooks and its `crds/` folders'. */
export async function releaseObjects(
  s: RealChartSandbox,
  install: HelmInstall,
): Promise<ReleaseObject[]> {
  const { release, namespace } = install;
  const manifest = ok(
    await s.helm(['get', 'manifest', release, '-n', namespace]),
    'helm get manifest',
  );
  const hooks = ok(await s.helm(['get', 'hooks', release, '-n', namespace]), 'helm get hooks');
  return [
    ...(await kubectlObjects(s, manifest, namespace, 'manifest')),
    ...(await kubectlObjects(s, hooks, namespace, 'hook')),
    ...(await crdFolderObjects(s, install)),
  ];
}
