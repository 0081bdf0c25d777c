/**
 * `kubectl hyperpod rbac`: with no subject it prints the shipped ClusterRole file; piped into the
 * real `kubectl apply -f -` on the sandbox API server (RBAC enforced for impersonated users) it
 * binds the subject it names, and `kubectl auth can-i --as` answers from those bindings: the
 * operate set may write what a migration writes, the read-only set may not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startKubectlHarness, type KubectlHarness } from '../kube/kubectlHarness';
import { buildCli, runCli } from '../cli/support/runCli';

const ROOT = path.join(__dirname, '../..');
const SA = 'system:serviceaccount:backstage:hyperpod-backend';

describe('kubectl hyperpod rbac', () => {
  let h: KubectlHarness;
  beforeAll(async () => {
    buildCli();
    h = await startKubectlHarness('backstage');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it.each(['readonly', 'operate', 'install'])(
    '--set %s with no subject prints permissions/kubernetes/hyperpod-%s.yaml',
    async (set) => {
      const r = await runCli(['rbac', '--set', set, '-o', 'yaml'], {});
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        readFileSync(path.join(ROOT, `permissions/kubernetes/hyperpod-${set}.yaml`), 'utf8'),
      );
    },
  );

  it('binds a service account, a user and a group; -o json is the same objects as a v1 List', async () => {
    const RBAC = [
      'rbac',
      '--set',
      'operate',
      '--serviceaccount',
      'backstage:hyperpod-backend',
      '--user',
      'alice@example.com',
      '--group',
      'platform',
    ];
    const r = await runCli(RBAC, {});
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs[1]).toMatchObject({
      kind: 'ClusterRoleBinding',
      // Named after the first subject (users, then groups, then service accounts).
      metadata: { name: 'hyperpod-operate-user-alice-example.com' },
      roleRef: { kind: 'ClusterRole', name: 'hyperpod-operate' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice@example.com' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'platform' },
        { kind: 'ServiceAccount', namespace: 'backstage', name: 'hyperpod-backend' },
      ],
    });
    const json = await runCli([...RBAC, '-o', 'json'], {});
    expect(JSON.parse(json.stdout)).toEqual({ apiVersion: 'v1', kind: 'List', items: docs });
  });

  it('piped into kubectl apply, auth can-i --as answers from the bindings it made', async () => {
    const canI = async (args: string[]) =>
      (await h.kubectl(['auth', 'can-i', ...args, `--as=${SA}`])).stdout.trim();
    expect(await canI(['create', 'leases.coordination.k8s.io', '-n', 'kube-system'])).toBe('no');

    const ro = await runCli(['rbac', '--serviceaccount', 'backstage:hyperpod-backend'], {});
    expect((await h.kubectl(['apply', '-f', '-'], ro.stdout)).code).toBe(0);
    expect(await canI(['list', 'deployments.apps', '-A'])).toBe('yes');
    expect(await canI(['create', 'leases.coordination.k8s.io', '-n', 'kube-system'])).toBe('no');

    const op = await runCli(
      ['rbac', '--set', 'operate', '--serviceaccount', 'backstage:hyperpod-backend'],
      {},
    );
    const applied = await h.kubectl(['apply', '-f', '-'], op.stdout);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain(
      'clusterrolebinding.rbac.authorization.k8s.io/hyperpod-operate-sa-backstage-hyperpod-backend created',
    );
    expect(await canI(['create', 'leases.coordination.k8s.io', '-n', 'kube-system'])).toBe('yes');
    expect(await canI(['delete', 'deployments.apps', '-n', 'kube-system'])).toBe('yes');
    expect(await canI(['delete', 'namespaces'])).toBe('no');
  });

  it('refuses a service account that is not NAMESPACE:NAME, and cluster flags (exit 2)', async () => {
    const bad = await runCli(['rbac', '--serviceaccount', 'hyperpod-backend'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --serviceaccount "hyperpod-backend" is not NAMESPACE:NAME/);
    const ctx = await runCli(['rbac', '--context', 'ml-prod-use1'], {});
    expect(ctx.code).toBe(2);
    expect(ctx.stderr).toMatch(/^error: --context does not apply to kubectl hyperpod rbac/);
  });
});
