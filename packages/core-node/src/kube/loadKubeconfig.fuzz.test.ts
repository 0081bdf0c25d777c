/**
 * Structurally wrong kubeconfigs: whatever the document, loadKubeconfig resolves or throws a
 * KubeconfigError that talks about the document, never JavaScript internals.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { KubeconfigError } from './KubeconfigError';
import { loadKubeconfig } from './loadKubeconfig';

const INTERNALS =
  /Cannot read properties|is not a function|is not iterable|of undefined|of null|EISDIR/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function outcome(text: string): Promise<'ok' | KubeconfigError> {
  const file = path.join(dir, `config-${n++}`);
  writeFileSync(file, text);
  try {
    await loadKubeconfig({ kubeconfig: file, env: {} });
    return 'ok';
  } catch (e) {
    if (e instanceof KubeconfigError) return e;
    throw e;
  }
}

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    'ml-prod-use1',
    'https://127.0.0.1:1',
    'arn:aws:eks:us-east-1:111111111111:cluster/a',
  ),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { maxDepth: 3 },
    scalar,
    fc.array(tie('any'), { maxLength: 2 }),
    fc.dictionary(
      fc.constantFrom('name', 'cluster', 'user', 'context', 'server', 'token', 'exec', 'x'),
      tie('any'),
      { maxKeys: 3 },
    ),
  ),
})).any;
/** The keys of a kubeconfig with anything under them. */
const kubeconfigLike = fc.record(
  {
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Config'),
    'current-context': value,
    clusters: value,
    users: value,
    contexts: value,
  },
  { requiredKeys: ['apiVersion'] },
);

describe('loadKubeconfig on structurally wrong documents', () => {
  it('an empty file says it is empty', async () => {
    const e = await outcome('');
    expect(e).toMatchObject({ reason: 'Empty' });
    expect((e as KubeconfigError).message).toMatch(/is empty/);
  });

  it('a directory says it is a directory', async () => {
    const d = path.join(dir, 'a-directory');
    mkdirSync(d);
    await expect(loadKubeconfig({ kubeconfig: d, env: {} })).rejects.toMatchObject({
      reason: 'NotAFile',
      message: `kubeconfig ${d} is a directory, not a file`,
    });
    await expect(loadKubeconfig({ env: { KUBECONFIG: d } })).rejects.toMatchObject({
      reason: 'NotAFile',
    });
  });

  it('any kubeconfig-like document: loaded, or a KubeconfigError about the document', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(kubeconfigLike, value), async (doc) => {
        const r = await outcome(stringify(doc));
        if (r !== 'ok') expect(r.message).not.toMatch(INTERNALS);
      }),
      { numRuns: 300 },
    );
  });
});
