/**
 * The sandbox Kubernetes API server driven by the real kubectl (v1.32, from the
 * lambda-layer-kubectl package): discovery, tables, client-side and server-side apply, scale,
 * the three patch types, output formats, deletes and CRDs, with exit codes and output asserted.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { KubeApiServer, KubeCluster, hyperpodInferenceCrds } from '@hyperpod/sandbox';
import { kubectlPath } from '../support/tools';

const NS = 'hyperpod-inference-system';
const TOKEN = 'kubectl-test-token';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const DEPLOYMENT = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hyperpod-inference-operator-controller-manager
  namespace: ${NS}
  labels:
    app.kubernetes.io/name: hyperpod-inference-operator
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      control-plane: controller-manager
  template:
    metadata:
      labels:
        control-plane: controller-manager
    spec:
      containers:
      - name: manager
        image: public.ecr.aws/sagemaker/hyperpod-inference-operator:v3.2
        args: ["--leader-elect"]
`;

describe('sandbox kube API with kubectl', () => {
  let cluster: KubeCluster;
  let server: KubeApiServer;
  let dir: string;
  let kubeconfig: string;

  function kubectl(args: string[], input?: string, config = kubeconfig): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(
        kubectlPath(),
        args,
        { env: { ...process.env, KUBECONFIG: config, HOME: dir }, timeout: 30000 },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin!.end(input);
    });
  }

  function writeConfig(name: string, url: string, token: string): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'hp', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'admin', user: { token } }],
        contexts: [{ name: 'hp', context: { cluster: 'hp', user: 'admin', namespace: NS } }],
        'current-context': 'hp',
      }),
    );
    return file;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubectl-test-'));
    cluster = new KubeCluster({ name: 'hp-prod', version: '1.31' });
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    server = new KubeApiServer(cluster, { token: TOKEN });
    kubeconfig = writeConfig('config', await server.listen(), TOKEN);
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists namespaces and reports the EKS server version', async () => {
    const ns = await kubectl(['get', 'ns']);
    expect(ns.code).toBe(0);
    expect(ns.stdout).toMatch(/^NAME\s+STATUS\s+AGE\n/);
    expect(ns.stdout).toMatch(new RegExp(`${NS}\\s+Active\\s+\\d+s`));
    const v = await kubectl(['version', '-o', 'json']);
    expect(JSON.parse(v.stdout).serverVersion).toMatchObject({
      major: '1',
      minor: '31+',
      gitVersion: expect.stringMatching(/^v1\.31\.\d+-eks-/),
    });
  });

  it('lists api-resources from discovery', async () => {
    const r = await kubectl(['api-resources']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(r.stdout).toMatch(
      /customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition/,
    );
  });

  it('applies client-side, shows the deployment table across namespaces, scales to 0', async () => {
    const created = await kubectl(['apply', '-f', '-'], DEPLOYMENT(2));
    expect(created).toMatchObject({
      code: 0,
      stdout: 'deployment.apps/hyperpod-inference-operator-controller-manager created\n',
    });
    expect((await kubectl(['apply', '-f', '-'], DEPLOYMENT(2))).stdout).toContain('unchanged');
    const all = await kubectl(['get', 'deploy', '-A']);
    expect(all.stdout).toMatch(/NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(all.stdout).toMatch(
      new RegExp(`${NS}\\s+hyperpod-inference-operator-controller-manager\\s+2/2\\s+2\\s+2\\s+`),
    );
    const scaled = await kubectl([
      'scale',
      'deploy',
      'hyperpod-inference-operator-controller-manager',
      '--replicas=0',
    ]);
    expect(scaled).toMatchObject({
      code: 0,
      stdout: 'deployment.apps/hyperpod-inference-operator-controller-manager scaled\n',
    });
    expect((await kubectl(['get', 'deploy'])).stdout).toMatch(
      /hyperpod-inference-operator-controller-manager\s+0\/0\s+0\s+0/,
    );
  });

  it('server-side apply conflicts without --force-conflicts and wins with it', async () => {
    const conflict = await kubectl(['apply', '--server-side', '-f', '-'], DEPLOYMENT(1));
    expect(conflict.code).toBe(1);
    // The last writer of spec.replicas was `kubectl scale`, through the scale subresource.
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
    const forced = await kubectl(
      ['apply', '--server-side', '--force-conflicts', '-f', '-'],
      DEPLOYMENT(1),
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('serverside-applied');
    const json = JSON.parse(
      (
        await kubectl([
          'get',
          'deploy',
          'hyperpod-inference-operator-controller-manager',
          '-o',
          'json',
          '--show-managed-fields',
        ])
      ).stdout,
    );
    expect(json.spec.replicas).toBe(1);
    expect(
      json.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl'),
    ).toMatchObject({ operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
  });

  it('patches with strategic, merge and json patches', async () => {
    const name = 'hyperpod-inference-operator-controller-manager';
    const sp = await kubectl([
      'patch',
      'deploy',
      name,
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"manager","image":"op:v3.3"}]}}}}',
    ]);
    expect(sp).toMatchObject({ code: 0, stdout: `deployment.apps/${name} patched\n` });
    expect(
      (
        await kubectl([
          'patch',
          'deploy',
          name,
          '--type=merge',
          '-p',
          '{"metadata":{"labels":{"team":"ml"}}}',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await kubectl([
          'patch',
          'deploy',
          name,
          '--type=json',
          '-p',
          '[{"op":"replace","path":"/spec/replicas","value":2}]',
        ])
      ).code,
    ).toBe(0);
    const failed = await kubectl([
      'patch',
      'deploy',
      name,
      '--type=json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":7}]',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('testing value /spec/replicas failed');
    const yaml = parseYaml((await kubectl(['get', 'deploy', name, '-o', 'yaml'])).stdout);
    expect(yaml.spec.template.spec.containers).toEqual([
      {
        name: 'manager',
        image: 'op:v3.3',
        args: ['--leader-elect'],
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ]);
    expect(yaml.metadata.labels.team).toBe('ml');
    expect(yaml.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  it('deletes and then reports NotFound with exit code 1', async () => {
    const cm = await kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: to-delete\ndata:\n  a: b\n`,
    );
    expect(cm.code).toBe(0);
    expect(await kubectl(['delete', 'configmap', 'to-delete'])).toMatchObject({
      code: 0,
      stdout: 'configmap "to-delete" deleted\n',
    });
    const gone = await kubectl(['get', 'configmap', 'to-delete']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error from server (NotFound): configmaps "to-delete" not found');
  });

  it('gets jumpstartmodels (no short name) once the CRD is applied', async () => {
    const before = await kubectl(['get', 'jumpstartmodels']);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain(`the server doesn't have a resource type "jumpstartmodels"`);
    const crds = hyperpodInferenceCrds()
      .map((c) => toYaml(c))
      .join('---\n');
    const applied = await kubectl(['apply', '-f', '-'], crds);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const jsm = `apiVersion: inference.sagemaker.aws.amazon.com/v1\nkind: JumpStartModel\nmetadata:\n  name: deepseek-r1\nspec:\n  model:\n    modelId: deepseek-llm-r1-distill-qwen-1-5b\n    acceptEula: true\n  server:\n    instanceType: ml.g5.8xlarge\n`;
    expect((await kubectl(['apply', '-f', '-'], jsm)).stdout).toBe(
      'jumpstartmodel.inference.sagemaker.aws.amazon.com/deepseek-r1 created\n',
    );
    const got = await kubectl(['get', 'jumpstartmodels']);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^NAME\s+AGE\ndeepseek-r1\s+\d+s\n$/);
  });

  it('creates typed objects sent as protobuf and answers auth can-i', async () => {
    expect(await kubectl(['create', 'namespace', 'team-a'])).toMatchObject({
      code: 0,
      stdout: 'namespace/team-a created\n',
    });
    expect(
      (
        await kubectl([
          '-n',
          'team-a',
          'create',
          'secret',
          'generic',
          'creds',
          '--from-literal=password=s3cret',
        ])
      ).code,
    ).toBe(0);
    expect(
      cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'creds' })?.data,
    ).toEqual({ password: Buffer.from('s3cret').toString('base64') });
    expect(await kubectl(['auth', 'can-i', 'delete', 'deployments', '-n', NS])).toMatchObject({
      code: 0,
      stdout: 'yes\n',
    });
  });

  it('refuses a wrong token', async () => {
    const bad = writeConfig('bad', server.endpoint, 'not-the-token');
    const r = await kubectl(['get', 'ns'], undefined, bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('You must be logged in to the server');
  });
});
