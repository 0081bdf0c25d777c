/**
 * What the sandbox publishes and normalises as kube-apiserver does, judged by the real kubectl:
 * `explain` from the OpenAPI schemas, `get --watch` rows as tables, and `apply` then `diff`.
 */
import { startKubectlHarness, type KubectlHarness } from './kubectlHarness';

const NS = 'openapi-test';

/** The pod template spec of the Deployments below: one nginx container serving port 80. */
const NGINX_POD_SPEC = `    spec:
      containers:
      - name: main
        image: public.ecr.aws/docker/library/nginx:1.27
        ports:
        - containerPort: 80
`;

describe('sandbox OpenAPI and normalisation, judged by kubectl', () => {
  let h: KubectlHarness;
  beforeAll(async () => {
    h = await startKubectlHarness(NS);
  });
  afterAll(() => h.close());

  it('explains a built-in kind and a nested field from the published schemas', async () => {
    const dep = await h.kubectl(['explain', 'deployment']);
    expect(dep.stderr).toBe('');
    expect(dep.code).toBe(0);
    expect(dep.stdout).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    expect(dep.stdout).toContain(
      'Deployment enables declarative updates for Pods and ReplicaSets.',
    );
    const strategy = await h.kubectl(['explain', 'deployment.spec.strategy.type']);
    expect(strategy.code).toBe(0);
    expect(strategy.stdout).toContain('Type of deployment. Can be "Recreate" or "RollingUpdate".');
    const pdb = await h.kubectl(['explain', 'pdb.spec']);
    expect(pdb.code).toBe(0);
    expect(pdb.stdout).toMatch(/^GROUP:\s+policy\nKIND:\s+PodDisruptionBudget\nVERSION:\s+v1\n/);
    expect(pdb.stdout).toMatch(/^ {2}minAvailable\s+<string>$/m);
    expect(pdb.stdout).toMatch(/^ {2}selector\s+<LabelSelector>$/m);
  });

  it('get --watch prints table rows, as against kube-apiserver', async () => {
    const cm = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: NS },
      data: { a: '1', b: '2' },
    });
    h.cluster.create(cm('first'));
    const child = h.spawnKubectl(['get', 'configmaps', '--watch', '-n', NS]);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await until(/^first\s/m);
    h.cluster.create(cm('second'));
    await until(/^second\s/m);
    child.kill();
    expect(out).toMatch(/^NAME\s+DATA\s+AGE\n/);
    expect(out).toMatch(/^first\s+2\s+\S+$/m);
    expect(out).toMatch(/^second\s+2\s+\S+$/m);
    // One header only: the later events' tables carry no column definitions.
    expect(out.match(/^NAME\s/gm)).toHaveLength(1);
  });

  it.each([
    ['client-side', [] as string[]],
    ['server-side', ['--server-side']],
  ])('%s apply of a file, then diff of the same file, finds no difference', async (_, mode) => {
    const name = `diff-${mode.length ? 'ssa' : 'csa'}`;
    const file = h.file(
      `${name}.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
  annotations: {}
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
${NGINX_POD_SPEC}`,
    );
    const apply = await h.kubectl(['apply', ...mode, '-f', file]);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const diff = await h.kubectl(['diff', ...mode, '-f', file]);
    expect(diff.stdout).toBe('');
    expect(diff.code).toBe(0);
  });

  it('explains from the OpenAPI v2 document too (plaintext-openapiv2)', async () => {
    const r = await h.kubectl([
      'explain',
      '--output=plaintext-openapiv2',
      'deployment.spec.strategy',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KIND:\s+Deployment\nVERSION:\s+apps\/v1\n/);
    expect(r.stdout).toContain(
      'DeploymentStrategy describes how to replace existing pods with new ones.',
    );
  });

  it('stores no empty maps, so a file applied with them diffs clean against one without', async () => {
    const meta = (extra: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: empty-maps
  namespace: ${NS}
${extra}data:
  key: value
`;
    const withEmpty = h.file('with-empty.yaml', meta('  annotations: {}\n  labels: {}\n'));
    const without = h.file('without.yaml', meta(''));
    expect((await h.kubectl(['apply', '--server-side', '-f', withEmpty])).code).toBe(0);
    const live = await h.kubectl(['get', 'configmap', 'empty-maps', '-o', 'yaml']);
    expect(live.stdout).not.toMatch(/annotations:|labels:/);
    const diff = await h.kubectl(['diff', '--server-side', '-f', without]);
    expect(diff.stdout).toBe('');
    expect(diff.code).toBe(0);
  });

  it('fills in the defaults kubectl shows for a Deployment and its pod template', async () => {
    const file = h.file(
      'defaults.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: defaults
  namespace: ${NS}
spec:
  selector:
    matchLabels: {app: defaults}
  template:
    metadata:
      labels: {app: defaults}
${NGINX_POD_SPEC}`,
    );
    expect((await h.kubectl(['apply', '-f', file])).code).toBe(0);
    const dep = await h.kubectl([
      'get',
      'deployment',
      'defaults',
      '-o',
      'jsonpath={.spec.replicas} {.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds} {.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.containers[0].ports[0].protocol}',
    ]);
    expect(dep.stdout).toBe('1 RollingUpdate 25% 10 600 Always IfNotPresent TCP');
    // Defaults do not count as a change: applying the same file again leaves it unchanged.
    const again = await h.kubectl(['apply', '-f', file]);
    expect(again.stdout).toBe('deployment.apps/defaults unchanged\n');
  });

  it('refuses an unknown field as kubectl validates it from the published schema', async () => {
    const file = h.file(
      'unknown-field.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: unknown-field
  namespace: ${NS}
dataa:
  key: value
`,
    );
    const r = await h.kubectl(['apply', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"\n`,
    );
    expect(
      h.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'unknown-field' }),
    ).toBeUndefined();
  });

  it('validates custom resources against their CRD as it is now: created, then changed', async () => {
    const crd = (fields: string) =>
      h.file(
        'widgets-crd.yaml',
        `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${fields}
`,
      );
    const widget = h.file(
      'widget.yaml',
      `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: ${NS}
spec:
  size: 3
  colour: blue
`,
    );
    expect(
      (await h.kubectl(['apply', '-f', crd('                size: {type: integer}')])).code,
    ).toBe(0);
    const refused = await h.kubectl(['apply', '-f', widget]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('unknown field "spec.colour"');
    // The CRD now declares the field: the same file is accepted.
    const both = '                size: {type: integer}\n                colour: {type: string}';
    expect((await h.kubectl(['apply', '-f', crd(both)])).code).toBe(0);
    const accepted = await h.kubectl(['apply', '-f', widget]);
    expect(accepted.stderr).toBe('');
    expect(accepted.stdout).toBe('widget.example.com/w created\n');
  });
});
