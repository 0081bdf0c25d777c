import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  iamPolicy,
  kubeRulesOf,
  PERMISSION_BUNDLES,
  PERMISSION_SETS,
  renderPermissionFiles,
} from '@hyperpod/core-node';
import { startKubectlHarness, type KubectlHarness } from '../kube/kubectlHarness';

/**
 * The permission files users apply are the permission sets the tests enforce: the committed
 * copies equal what scripts/gen-permissions.mjs renders from them, IAM accepts their shape, and
 * kubectl applies the RBAC manifests.
 */
const ROOT = path.join(__dirname, '../..');
const files = renderPermissionFiles();

describe('shipped permission files', () => {
  it.each(Object.keys(files))('%s is up to date (node scripts/gen-permissions.mjs)', (rel) => {
    expect(readFileSync(path.join(ROOT, rel), 'utf8')).toBe(files[rel]);
  });

  it('ships one IAM policy and one ClusterRole file per bundle', () => {
    expect(Object.keys(files).sort()).toEqual(
      [
        ...PERMISSION_BUNDLES.flatMap((b) => [
          `permissions/iam/hyperpod-${b.name}.json`,
          `permissions/kubernetes/hyperpod-${b.name}.yaml`,
        ]),
        'permissions/cloudformation/backend-role.yaml',
        'permissions/terraform/backend-role.tf',
        'docs/permissions.md',
      ].sort(),
    );
  });

  it.each(PERMISSION_BUNDLES.map((b) => [b.name, b] as const))(
    'the %s policy fits IAM: unique alphanumeric Sids, within the 6144-character managed policy limit',
    (_name, bundle) => {
      const doc = iamPolicy(bundle);
      const sids = doc.Statement.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
      for (const s of doc.Statement) {
        for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        for (const r of s.Resource) expect(r).toMatch(/^(\*|arn:aws:[a-z0-9-]+:[^:]*:[^:]*:.+)$/);
      }
      expect(JSON.stringify(doc).replace(/\s/g, '').length).toBeLessThanOrEqual(6144);
    },
  );

  it('the operate policy holds every statement of scan, upgrade and migrate; read-only holds no write', () => {
    const operate = iamPolicy(PERMISSION_BUNDLES.find((b) => b.name === 'operate')!);
    for (const id of ['readonly', 'upgrade', 'migrate', 'install'] as const)
      for (const s of PERMISSION_SETS[id].aws)
        expect(operate.Statement.map((x) => x.Sid)).toContain(s.sid);
    const readonly = iamPolicy(PERMISSION_BUNDLES.find((b) => b.name === 'readonly')!);
    const actions = readonly.Statement.flatMap((s) => s.Action);
    expect(
      actions.filter((a) => /:(Create|Delete|Update|Put|Attach|Detach|Add|Remove|Tag|Untag|Pass)/.test(a)),
    ).toEqual([]);
  });

  it('docs/permissions.md explains every statement and rule', () => {
    const doc = files['docs/permissions.md']!;
    for (const set of Object.values(PERMISSION_SETS)) {
      for (const s of set.aws) expect(doc).toContain(`\`${s.sid}\``);
      for (const r of set.kube) expect(doc).toContain(r.why);
    }
  });

  describe('on a Kubernetes API server', () => {
    let h: KubectlHarness;
    beforeAll(async () => {
      h = await startKubectlHarness('hyperpod-perms');
    });
    afterAll(async () => {
      await h?.close();
    });

    it.each(PERMISSION_BUNDLES.map((b) => b.name))(
      'kubectl applies hyperpod-%s.yaml and the ClusterRole holds the set’s rules',
      async (name) => {
        const rel = `permissions/kubernetes/hyperpod-${name}.yaml`;
        const run = await h.kubectl(['apply', '-f', path.join(ROOT, rel)]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const got = await h.kubectl(['get', 'clusterrole', `hyperpod-${name}`, '-o', 'json']);
        const role = JSON.parse(got.stdout) as { rules: unknown[] };
        const bundle = PERMISSION_BUNDLES.find((b) => b.name === name)!;
        expect(role.rules).toHaveLength(kubeRulesOf(bundle.sets).length);
        const [, binding] = parseAllDocuments(files[rel]!).map((d) => d.toJS());
        expect(binding).toMatchObject({
          kind: 'ClusterRoleBinding',
          subjects: [{ kind: 'Group', name: `hyperpod:${name}` }],
        });
      },
    );
  });
});
