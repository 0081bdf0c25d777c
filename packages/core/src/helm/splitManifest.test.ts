import fc from 'fast-check';
import { stringify } from 'yaml';
import type { KubeObject } from '../ports/KubeGateway';
import { manifestChunks, splitManifest } from './splitManifest';
import helm3 from './fixtures/storage-shapes.helm3.json';
import helm4 from './fixtures/storage-shapes.helm4.json';

const names = (m: string) =>
  splitManifest(m).documents.map(
    (d) => `${d.object.kind} ${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`,
  );

describe('splitManifest', () => {
  it('reads a template that begins with --- (stored as ---, # Source:, ---, object) and names its source', () => {
    const stored =
      '---\n# Source: io/templates/default.yaml\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\n  namespace: sys\n' +
      '---\n# Source: io/templates/default.yaml\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: pod-reader\n';
    expect(splitManifest(stored)).toEqual({
      documents: [
        {
          object: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'controller-manager', namespace: 'sys' },
          },
          source: 'io/templates/default.yaml',
          document: 2,
        },
        {
          object: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'pod-reader' },
          },
          source: 'io/templates/default.yaml',
          document: 4,
        },
      ],
      errors: [],
    });
  });

  it('a # Source: comment names the documents after it until the next one', () => {
    const m =
      '# Source: a/templates/x.yaml\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n---\n# Source: a/charts/b/templates/y.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: three}\n';
    expect(splitManifest(m).documents.map((d) => [d.object.metadata.name, d.source])).toEqual([
      ['one', 'a/templates/x.yaml'],
      ['two', 'a/templates/x.yaml'],
      ['three', 'a/charts/b/templates/y.yaml'],
    ]);
  });

  it('# Source: is optional', () => {
    const m =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: two}\n';
    const docs = splitManifest(m).documents;
    expect(docs.map((d) => d.object.kind)).toEqual(['ConfigMap', 'Secret']);
    expect(docs.every((d) => d.source === undefined)).toBe(true);
  });

  it('cuts only at --- lines, as Kubernetes does: a trailing comment is allowed, ---text is not a separator', () => {
    expect(manifestChunks('a: 1\n--- # c\nb: 2\n---\t\nc: 3\n---d: 4\n')).toEqual([
      'a: 1',
      '# c\nb: 2',
      'c: 3\n---d: 4\n',
    ]);
  });

  it('ignores empty and comment-only documents, and reads a document ended with ...', () => {
    const m =
      '---\n---\n\n---\n# Source: a/templates/x.yaml\n# licence header only\n---\napiVersion: v1\nkind: Service\nmetadata: {name: svc}\n...\n---\n';
    expect(splitManifest(m)).toEqual({
      documents: [
        {
          object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' } },
          source: 'a/templates/x.yaml',
          document: 4,
        },
      ],
      errors: [],
    });
  });

  it('expands kind: List, typed lists (ConfigMapList) and nested lists into their items', () => {
    const m = stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        {
          apiVersion: 'v1',
          kind: 'ConfigMapList',
          items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'x' } }],
        },
      ],
    });
    expect(names(m)).toEqual(['ConfigMap /a', 'ConfigMap x/b']);
  });

  it('returns what Helm could not apply as errors, never drops it silently', () => {
    const m =
      '# Source: a/templates/x.yaml\n- 1\n- 2\n---\napiVersion: v1\nmetadata: {name: nokind}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: List\nitems: [3]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n';
    const r = splitManifest(m);
    expect(r.documents.map((d) => d.object.metadata.name)).toEqual(['ok']);
    expect(r.errors).toEqual([
      'document 1 (a/templates/x.yaml): not an object',
      'document 2 (a/templates/x.yaml): object has no kind',
      expect.stringMatching(/^document 3 \(a\/templates\/x\.yaml\): /),
      'document 4 (a/templates/x.yaml) item 1: not an object',
    ]);
  });

  it('an alias without its anchor is an error, not a crash', () => {
    expect(splitManifest('kind: *nowhere\n').errors).toEqual([
      expect.stringMatching(/^document 1: .*alias/i),
    ]);
  });

  it('a source given by the caller (a hook, a crds/ file) applies until the manifest names another', () => {
    const r = splitManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h}\n', {
      source: 'c/templates/hooks.yaml',
    });
    expect(r.documents[0]!.source).toBe('c/templates/hooks.yaml');
  });

  it('a manifest read again gives the same objects, each caller its own copy', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {k: v}\n';
    const first = splitManifest(text);
    (first.documents[0]!.object as unknown as { data: Record<string, string> }).data['k'] =
      'changed';
    first.errors.push('mine');
    const again = splitManifest(text);
    expect(again).toEqual({
      documents: [{ object: expect.objectContaining({ data: { k: 'v' } }), document: 0 }],
      errors: [],
    });
    // The source a caller gives is part of what was read.
    expect(splitManifest(text, { source: 's.yaml' }).documents[0]!.source).toBe('s.yaml');
    expect(splitManifest(text).documents[0]!.source).toBeUndefined();
  });
});

describe.each([
  ['helm v3.17', helm3],
  ['helm v4.1', helm4],
])('the storage-shapes release as %s stored it', (_, captured) => {
  const { documents, errors } = splitManifest(captured.release.manifest);
  const by = (name: string) => documents.find((d) => d.object.metadata.name === name);

  it('reads every document without error', () => {
    expect(errors).toEqual([]);
  });

  it('finds the object of the template that includes a file beginning with ---', () => {
    expect(captured.release.manifest).toContain(
      '---\n# Source: storage-shapes/templates/included-with-separator.yaml\n---\napiVersion: v1',
    );
    expect(by('shapes-included')).toMatchObject({
      object: { kind: 'ConfigMap' },
      source: 'storage-shapes/templates/included-with-separator.yaml',
    });
  });

  it('finds every object of a file with several, and none of its comment-only documents', () => {
    expect(
      documents
        .filter((d) => d.source === 'storage-shapes/templates/several.yaml')
        .map((d) => `${d.object.kind}/${d.object.metadata.name}`)
        .sort(),
    ).toEqual(['ConfigMap/shapes-first', 'ConfigMap/shapes-second', 'Service/shapes-svc']);
  });

  it('expands the List and the ConfigMapList into their ConfigMaps', () => {
    expect(
      documents
        .filter((d) => d.source === 'storage-shapes/templates/lists.yaml')
        .map(
          (d) => `${d.object.kind} ${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`,
        )
        .sort(),
    ).toEqual([
      'ConfigMap /shapes-list-a',
      'ConfigMap /shapes-typed-list',
      'ConfigMap storage-shapes-other/shapes-list-b',
    ]);
  });

  it("keeps the sub-chart's objects under its own source", () => {
    expect(by('shapes-thing')?.source).toBe('storage-shapes/charts/sub/templates/role.yaml');
    expect(by('shapes-things')?.object.kind).toBe('Role');
  });

  it('leaves hooks out of the manifest (Helm stores them apart)', () => {
    expect(documents.some((d) => d.object.metadata.annotations?.['helm.sh/hook'])).toBe(false);
    expect(captured.release.hooks).toHaveLength(3);
  });
});

// Objects as templates produce them: identity fields plus a little data.
const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const objectArb: fc.Arbitrary<KubeObject> = fc.record(
  {
    apiVersion: fc.constantFrom(
      'v1',
      'apps/v1',
      'rbac.authorization.k8s.io/v1',
      'x.example.com/v1',
    ),
    kind: fc.constantFrom('ConfigMap', 'Deployment', 'ClusterRole', 'Widget'),
    metadata: fc.record(
      { name: dns, namespace: dns, labels: fc.dictionary(dns, dns, { maxKeys: 2 }) },
      { requiredKeys: ['name'] },
    ),
    data: fc.dictionary(
      dns,
      fc.oneof(dns, fc.constant('--- not a separator'), fc.constant('a\n---\nb')),
    ),
  },
  { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
) as fc.Arbitrary<KubeObject>;

/** One template's output, written in one of the ways a chart can. */
const templateArb = fc.record({
  path: fc.constantFrom(
    'top/templates/a.yaml',
    'top/charts/sub/templates/b.yaml',
    'top/templates/c.yaml',
  ),
  objects: fc.array(objectArb, { minLength: 1, maxLength: 4 }),
  asList: fc.boolean(),
  leadingSeparator: fc.boolean(),
  header: fc.boolean(),
  endMarker: fc.boolean(),
  separatorComment: fc.boolean(),
});

/** As Helm stores it: each document after `---\n# Source: path\n`, its text as the template wrote it. */
type Template = typeof templateArb extends fc.Arbitrary<infer T> ? T : never;

function render(templates: Template[]): string {
  let out = '';
  for (const t of templates) {
    const docs = t.asList
      ? [stringify({ apiVersion: 'v1', kind: 'List', items: t.objects })]
      : t.objects.map((o) => stringify(o));
    if (t.header) out += `---\n# Source: ${t.path}\n# Copyright: a comment-only document\n`;
    docs.forEach((d, i) => {
      out += `---\n# Source: ${t.path}\n`;
      if (t.leadingSeparator) out += t.separatorComment ? '--- # from the template\n' : '---\n';
      out += d + (t.endMarker && i === docs.length - 1 ? '...\n' : '');
    });
  }
  return out;
}

describe('splitManifest (properties)', () => {
  it('any objects rendered the ways Helm stores them split back to the same objects, in order, with their sources', () => {
    fc.assert(
      fc.property(fc.array(templateArb, { maxLength: 5 }), (templates) => {
        const r = splitManifest(render(templates));
        expect(r.errors).toEqual([]);
        expect(r.documents.map((d) => [d.source, d.object])).toEqual(
          templates.flatMap((t) => t.objects.map((o) => [t.path, o])),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('never throws, and every document is an object or an error', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              '---',
              '--- #x',
              '# Source: a/b',
              '...',
              'a: [',
              'kind: X',
              '- 1',
              'items: []',
            ),
            fc.string(),
          ),
          { maxLength: 12 },
        ),
        (lines) => {
          const r = splitManifest(lines.join('\n'));
          for (const d of r.documents) {
            expect(typeof d.object.kind).toBe('string');
            expect(typeof d.object.metadata.name).toBe('string');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
