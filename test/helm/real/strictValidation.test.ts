/**
 * Every object the real inference umbrella renders passes the sandbox's strict server-side field
 * validation, as kubectl sends it: `kubectl apply --validate=strict --dry-run=server`, client-side
 * and server-side apply. The charts' CRDs are applied first (a dry run creates no CRD, so their
 * custom resources could not be mapped otherwise), as on a real cluster.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { inferenceCustomerValues, requireRealChartsDir } from '../../support/realCharts';
import { startClusterTools, type ClusterTools } from '../kubeToolsHarness';
import { certManagerCrdsYaml, packagedInferenceUmbrella } from './realUmbrella';

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  items?: unknown[];
}

describe('strict server-side validation of the real umbrella (kubectl apply --validate=strict)', () => {
  let t: ClusterTools;
  let docs: Doc[];

  beforeAll(async () => {
    requireRealChartsDir();
    const chart = packagedInferenceUmbrella();
    t = await startClusterTools({ name: 'strict-umbrella', nodes: 1 });
    expect((await t.kubectl(['apply', '-f', '-'], certManagerCrdsYaml())).code).toBe(0);
    for (const ns of ['cert-manager', 'keda', 'hyperpod-inference-system'])
      expect((await t.kubectl(['create', 'namespace', ns])).code).toBe(0);
    const values = {
      ...inferenceCustomerValues({
        clusterName: 'strict-use1',
        region: 'us-east-1',
        accountId: '111122223333',
      }),
      'cert-manager': { crds: { enabled: false } },
    };
    const rendered = await t.helm(
      [
        'template',
        'hyperpod-inference-operator',
        chart,
        '-n',
        'kube-system',
        '--include-crds',
        '-f',
        t.file('values.yaml', JSON.stringify(values)),
      ],
      3,
    );
    expect(rendered.stderr).toBe('');
    docs = parseAllDocuments(rendered.stdout)
      .map((d) => d.toJS() as Doc | null)
      .filter((d): d is Doc => d !== null);
    const crds = docs.filter((d) => d.kind === 'CustomResourceDefinition');
    const applied = await t.kubectl(
      ['apply', '-f', '-'],
      crds.map((d) => stringify(d)).join('---\n'),
    );
    expect(applied.stderr).toBe('');
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['client-side', []],
    ['server-side', ['--server-side']],
  ])(
    '%s apply: every object accepted',
    async (_, mode) => {
      expect(docs.length).toBeGreaterThan(100);
      const byNamespace = new Map<string, Doc[]>();
      for (const d of docs.filter((x) => x.kind !== 'CustomResourceDefinition')) {
        const ns = d.metadata.namespace ?? 'kube-system';
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), d]);
      }
      const errors: string[] = [];
      for (const [ns, list] of byNamespace) {
        const r = await t.kubectl(
          ['apply', '-n', ns, '--validate=strict', '--dry-run=server', ...mode, '-f', '-'],
          list.map((d) => stringify(d)).join('---\n'),
        );
        errors.push(...r.stderr.split('\n').filter((l) => l.trim() && !/^Warning:/.test(l)));
        // One line per object (a `kind: List` expands to its items).
        if (r.code === 0)
          expect(r.stdout.trim().split('\n')).toHaveLength(
            list.reduce((n, d) => n + (d.kind === 'List' ? (d.items?.length ?? 0) : 1), 0),
          );
      }
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
