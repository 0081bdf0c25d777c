/**
 * RBAC on the sandbox API server, seen through the real kubectl: `auth can-i` (answers and exit
 * codes) as the creator and `--as` service accounts with no bindings, a Role, a ClusterRole;
 * `auth can-i --list`; Forbidden errors exactly as kubectl prints them; impersonation itself
 * refused without the impersonate verb; and the shipped ClusterRole applied and bound, after
 * which exactly the verbs it grants work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startKubectlHarness, type KubectlHarness } from './kubectlHarness';

const NS = 'team-a';
const BOT = `system:serviceaccount:${NS}:bot`;
const READONLY = join(__dirname, '../../permissions/kubernetes/hyperpod-readonly.yaml');

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
`;

describe('RBAC with kubectl (auth can-i, --as, Forbidden)', () => {
  let h: KubectlHarness;

  beforeAll(async () => {
    h = await startKubectlHarness(NS);
    h.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } });
    h.cluster.setRbacUsers([
      { name: 'alice', token: 'alice-token' },
      { name: 'reader', token: 'reader-token', groups: ['hyperpod:readonly'] },
    ]);
    const created = await h.kubectl(['apply', '-f', '-'], DEPLOYMENT);
    expect(created.stderr).toBe('');
  });
  afterAll(() => h.close());

  it('answers yes (exit 0) to the creator, who is cluster-admin', async () => {
    for (const args of [
      ['list', 'pods'],
      ['delete', 'deployments', '-A'],
      ['*', '*'],
    ]) {
      const r = await h.kubectl(['auth', 'can-i', ...args]);
      expect({ args, out: r.stdout.trim(), code: r.code }).toEqual({ args, out: 'yes', code: 0 });
    }
  });

  it('answers no (exit 1) --as a service account with no bindings, and refuses its requests', async () => {
    const r = await h.kubectl(['auth', 'can-i', 'list', 'pods', `--as=${BOT}`]);
    expect(r.stdout.trim()).toBe('no');
    expect(r.code).toBe(1);
    const get = await h.kubectl(['get', 'pods', `--as=${BOT}`]);
    expect(get.code).toBe(1);
    expect(get.stderr.trim()).toBe(
      `Error from server (Forbidden): pods is forbidden: User "${BOT}" cannot list resource "pods" in API group "" in the namespace "${NS}"`,
    );
    const one = await h.kubectl(['get', 'deployment', 'web', `--as=${BOT}`]);
    expect(one.stderr.trim()).toBe(
      `Error from server (Forbidden): deployments.apps "web" is forbidden: User "${BOT}" cannot get resource "deployments" in API group "apps" in the namespace "${NS}"`,
    );
  });

  it('answers from a Role bound by a RoleBinding: in its namespace, for its verbs only', async () => {
    for (const args of [
      ['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods'],
      ['create', 'rolebinding', 'bot-pods', '--role=pod-reader', `--serviceaccount=${NS}:bot`],
    ]) {
      const r = await h.kubectl(args);
      expect(r.stderr).toBe('');
    }
    const canI = async (...args: string[]) => {
      const r = await h.kubectl(['auth', 'can-i', ...args, `--as=${BOT}`]);
      return `${r.stdout.trim()} ${r.code}`;
    };
    expect(await canI('list', 'pods')).toBe('yes 0');
    expect(await canI('get', 'pods/anything')).toBe('yes 0');
    expect(await canI('delete', 'pods')).toBe('no 1');
    expect(await canI('list', 'pods', '-n', 'team-b')).toBe('no 1');
    expect(await canI('list', 'pods', '-A')).toBe('no 1');
    const get = await h.kubectl(['get', 'pods', `--as=${BOT}`]);
    expect(get).toMatchObject({ code: 0, stderr: `No resources found in ${NS} namespace.\n` });
    const elsewhere = await h.kubectl(['get', 'pods', '-n', 'team-b', `--as=${BOT}`]);
    expect(elsewhere.stderr.trim()).toBe(
      `Error from server (Forbidden): pods is forbidden: User "${BOT}" cannot list resource "pods" in API group "" in the namespace "team-b"`,
    );
  });

  it('answers from a ClusterRole bound by a ClusterRoleBinding: in every namespace and across them', async () => {
    const ops = `system:serviceaccount:${NS}:ops`;
    for (const args of [
      [
        'create',
        'clusterrole',
        'deploy-scaler',
        '--verb=get,list,patch',
        '--resource=deployments.apps,deployments.apps/scale',
      ],
      [
        'create',
        'clusterrolebinding',
        'ops-scaler',
        '--clusterrole=deploy-scaler',
        `--serviceaccount=${NS}:ops`,
      ],
    ]) {
      const r = await h.kubectl(args);
      expect(r.stderr).toBe('');
    }
    const canI = async (...args: string[]) =>
      (await h.kubectl(['auth', 'can-i', ...args, `--as=${ops}`])).stdout.trim();
    expect(await canI('list', 'deployments', '-A')).toBe('yes');
    expect(await canI('patch', 'deployments', '-n', 'team-b')).toBe('yes');
    expect(await canI('delete', 'deployments')).toBe('no');
    expect(await canI('list', 'pods')).toBe('no');
    const scaled = await h.kubectl(['scale', 'deployment/web', '--replicas=2', `--as=${ops}`]);
    expect(scaled).toMatchObject({ code: 0, stdout: 'deployment.apps/web scaled\n' });
    const deleted = await h.kubectl(['delete', 'deployment', 'web', `--as=${ops}`]);
    expect(deleted.stderr.trim()).toBe(
      `Error from server (Forbidden): deployments.apps "web" is forbidden: User "${ops}" cannot delete resource "deployments" in API group "apps" in the namespace "${NS}"`,
    );
  });

  it('lists what a user may do with auth can-i --list, from its bindings', async () => {
    const r = await h.kubectl(['auth', 'can-i', '--list', `--as=${BOT}`]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    expect(rows).toContainEqual(['pods', '[]', '[]', '[get list]']);
    expect(rows).toContainEqual([
      'selfsubjectaccessreviews.authorization.k8s.io',
      '[]',
      '[]',
      '[create]',
    ]);
    expect(rows).toContainEqual(['[/version]', '[]', '[get]']);
    expect(rows.some((row) => row[0] === 'deployments.apps')).toBe(false);
    const none = await h.kubectl(['auth', 'can-i', '--list', `--as=${BOT}`, '-n', 'team-b']);
    expect(none.stdout).not.toMatch(/^pods /m);
  });

  it('refuses impersonation to a user without the impersonate verb, then allows it once granted', async () => {
    const as = await h.kubectl(['get', 'pods', '--token=alice-token', '--as=jane']);
    expect(as.code).toBe(1);
    expect(as.stderr.trim()).toBe(
      'Error from server (Forbidden): users "jane" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    const own = await h.kubectl(['get', 'pods', '--token=alice-token']);
    expect(own.stderr.trim()).toBe(
      `Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "${NS}"`,
    );
    for (const args of [
      ['create', 'clusterrole', 'impersonator', '--verb=impersonate', '--resource=serviceaccounts'],
      ['create', 'rolebinding', 'alice-impersonates', '--clusterrole=impersonator', '--user=alice'],
    ]) {
      const r = await h.kubectl(args);
      expect(r.stderr).toBe('');
    }
    const asBot = await h.kubectl(['get', 'pods', '--token=alice-token', `--as=${BOT}`]);
    expect(asBot).toMatchObject({ code: 0, stderr: `No resources found in ${NS} namespace.\n` });
    const otherNs = await h.kubectl([
      'get',
      'pods',
      '--token=alice-token',
      `--as=system:serviceaccount:team-b:bot`,
    ]);
    expect(otherNs.stderr.trim()).toBe(
      'Error from server (Forbidden): serviceaccounts "bot" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team-b"',
    );
  });

  it('grants exactly what the shipped read-only ClusterRole names, once applied and bound', async () => {
    const applied = await h.kubectl(['apply', '-f', READONLY]);
    expect(applied.stdout).toBe(
      'clusterrole.rbac.authorization.k8s.io/hyperpod-readonly created\nclusterrolebinding.rbac.authorization.k8s.io/hyperpod-readonly created\n',
    );
    const bound = await h.kubectl([
      'create',
      'clusterrolebinding',
      'ci-readonly',
      '--clusterrole=hyperpod-readonly',
      `--serviceaccount=${NS}:ci`,
    ]);
    expect(bound.stderr).toBe('');
    const role = parseAllDocuments(readFileSync(READONLY, 'utf8'))
      .map((d) => d.toJS())
      .find((d) => d.kind === 'ClusterRole') as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    // The shipped binding's group (a user a scenario names with it) and our own binding alike.
    const asCi = [`--as=system:serviceaccount:${NS}:ci`];
    const asReader = ['--token=reader-token'];
    for (const who of [asCi, asReader]) {
      for (const rule of role.rules)
        for (const res of rule.resources)
          for (const verb of rule.verbs) {
            const resource = rule.apiGroups[0] ? `${res}.${rule.apiGroups[0]}` : res;
            const r = await h.kubectl(['auth', 'can-i', verb, resource, '-A', ...who]);
            expect({ who, verb, resource, answer: r.stdout.trim() }).toEqual({
              who,
              verb,
              resource,
              answer: 'yes',
            });
          }
      for (const [verb, resource] of [
        ['get', 'secrets'],
        ['delete', 'deployments.apps'],
        ['patch', 'daemonsets.apps'],
        ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
      ]) {
        const r = await h.kubectl(['auth', 'can-i', verb!, resource!, ...who]);
        expect({ who, verb, resource, answer: r.stdout.trim() }).toEqual({
          who,
          verb,
          resource,
          answer: 'no',
        });
      }
    }
    const list = await h.kubectl(['get', 'deployments', '-A', '-o', 'name', ...asReader]);
    expect(list).toMatchObject({ code: 0, stdout: 'deployment.apps/web\n' });
    const del = await h.kubectl(['delete', 'deployment', 'web', ...asReader]);
    expect(del.stderr.trim()).toBe(
      `Error from server (Forbidden): deployments.apps "web" is forbidden: User "reader" cannot delete resource "deployments" in API group "apps" in the namespace "${NS}"`,
    );
    expect(h.cluster.list('apps/v1', 'Deployment', NS).map((d) => d.metadata.name)).toEqual([
      'web',
    ]);
  });
});
