import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { KubeconfigError } from './KubeconfigError';
import { loadKubeconfig } from './loadKubeconfig';

const ARN_PROD = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';
const ARN_DEV = 'arn:aws:eks:us-east-1:222222222222:cluster/ml-dev-use1';

/** What `aws eks update-kubeconfig` writes for two clusters. */
function kubeconfig(current: string | undefined, arns = [ARN_PROD, ARN_DEV]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    ...(current !== undefined ? { 'current-context': current } : {}),
    clusters: arns.map((arn) => ({
      name: arn,
      cluster: {
        server: `https://${arn.slice(-6)}.gr7.us-east-1.eks.amazonaws.com`,
        'certificate-authority-data': 'LS0tLS1CRUdJTg==',
      },
    })),
    users: arns.map((arn) => ({
      name: arn,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: [
            '--region',
            'us-east-1',
            'eks',
            'get-token',
            '--cluster-name',
            arn.split('/')[1],
            '--output',
            'json',
          ],
        },
      },
    })),
    contexts: arns.map((arn) => ({ name: arn, context: { cluster: arn, user: arn } })),
  });
}

describe('loadKubeconfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(KubeconfigError);
      return e as KubeconfigError;
    }
    throw new Error('expected a KubeconfigError');
  };

  it('selects the current context and lists every context with its cluster and server', async () => {
    const file = write('config', kubeconfig(ARN_DEV));
    const loaded = await loadKubeconfig({ kubeconfig: file });
    expect(loaded.currentContext).toBe(ARN_DEV);
    expect(loaded.kubeConfig.getCurrentContext()).toBe(ARN_DEV);
    expect(loaded.paths).toEqual([file]);
    expect(loaded.contexts.map((c) => c.name)).toEqual([ARN_PROD, ARN_DEV]);
    expect(loaded.contexts[0]).toMatchObject({
      cluster: ARN_PROD,
      user: ARN_PROD,
      server: 'https://d-use1.gr7.us-east-1.eks.amazonaws.com',
    });
  });

  it('selects the requested context over the current one', async () => {
    const loaded = await loadKubeconfig({
      kubeconfig: write('config', kubeconfig(ARN_DEV)),
      context: ARN_PROD,
    });
    expect(loaded.currentContext).toBe(ARN_PROD);
    expect(loaded.kubeConfig.getCurrentCluster()?.name).toBe(ARN_PROD);
  });

  it('says which file is missing', async () => {
    const e = await failure(loadKubeconfig({ kubeconfig: path.join(dir, 'nope') }));
    expect(e.reason).toBe('FileMissing');
    expect(e.message).toBe(`kubeconfig ${path.join(dir, 'nope')} does not exist`);
  });

  it('says where YAML is malformed', async () => {
    const file = write(
      'config',
      'apiVersion: v1\nclusters:\n  - name: a\n   cluster: {server: x\n',
    );
    const e = await failure(loadKubeconfig({ kubeconfig: file }));
    expect(e.reason).toBe('Malformed');
    expect(e.message).toMatch(new RegExp(`^kubeconfig ${file} is not valid YAML \\(line \\d+\\)`));
  });

  it('refuses YAML that is not a kubeconfig', async () => {
    const e = await failure(loadKubeconfig({ kubeconfig: write('config', '- just\n- a list\n') }));
    expect(e.reason).toBe('Malformed');
  });

  it('names the known contexts when the requested one is unknown', async () => {
    const e = await failure(
      loadKubeconfig({ kubeconfig: write('config', kubeconfig(ARN_PROD)), context: 'ml-prod' }),
    );
    expect(e.reason).toBe('UnknownContext');
    expect(e.knownContexts).toEqual([ARN_PROD, ARN_DEV]);
    expect(e.message).toContain(`context "ml-prod" is not in kubeconfig`);
    expect(e.message).toContain(`known contexts: ${ARN_PROD}, ${ARN_DEV}`);
  });

  it('asks for a context when there is no current-context', async () => {
    const e = await failure(loadKubeconfig({ kubeconfig: write('config', kubeconfig(undefined)) }));
    expect(e.reason).toBe('NoCurrentContext');
    expect(e.message).toContain(`pick one of: ${ARN_PROD}, ${ARN_DEV}`);
  });

  it('merges the KUBECONFIG list, the first file’s current-context winning, skipping missing files', async () => {
    const a = write('a', kubeconfig(ARN_PROD, [ARN_PROD]));
    const b = write('b', kubeconfig(ARN_DEV, [ARN_DEV]));
    const loaded = await loadKubeconfig({
      env: { KUBECONFIG: [a, path.join(dir, 'missing'), b].join(path.delimiter) },
    });
    expect(loaded.currentContext).toBe(ARN_PROD);
    expect(loaded.contexts.map((c) => c.name)).toEqual([ARN_PROD, ARN_DEV]);
    expect(loaded.paths).toEqual([a, b]);
  });

  it('reads ~/.kube/config by default', async () => {
    const home = path.join(dir, 'home');
    const e = await failure(loadKubeconfig({ env: { HOME: home } }));
    expect(e.reason).toBe('FileMissing');
    expect(e.paths).toEqual([path.join(home, '.kube', 'config')]);
  });
});
