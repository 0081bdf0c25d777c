/**
 * The real cert-manager chart v1.18.2 (REAL_CHARTS_DIR) installed by real helm v3 with `--wait`
 * into a sandbox cluster after its CRDs (as `kubectl apply -f cert-manager.crds.yaml` installs
 * them; the chart copy in REAL_CHARTS_DIR has no CRD templates, its release tool generates them),
 * then an Issuer and a Certificate created, listed and watched through the CRDs' kinds.
 */
import { decodeHelmReleaseData } from '@hyperpod/core';
import { copyRealChart, REAL_DEPENDENCY_CHARTS } from '../../support/realCharts';
import { startClusterTools, type ClusterTools } from '../kubeToolsHarness';
import { certManagerCrdsYaml } from './realUmbrella';
import { commandLine } from '../../support/commandLine';

describe('the real cert-manager chart on a sandbox cluster', () => {
  let t: ClusterTools;

  beforeAll(async () => {
    const chart = copyRealChart(REAL_DEPENDENCY_CHARTS['cert-manager']);
    t = await startClusterTools({ name: 'cert-manager-use1', nodes: 2 });
    expect((await t.kubectl(['apply', '-f', '-'], certManagerCrdsYaml())).code).toBe(0);
    const r = await t.helm(
      commandLine`install cert-manager ${chart} -n cert-manager --create-namespace --wait --timeout 60s`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('runs cert-manager: deployments ready, webhooks registered, startupapicheck done', async () => {
    const deploy = await t.kubectl(['get', 'deploy', '-n', 'cert-manager']);
    expect(deploy.stdout).toMatch(/cert-manager\s+1\/1\s+1\s+1\s+/);
    expect(deploy.stdout).toMatch(/cert-manager-cainjector\s+1\/1\s+1\s+1\s+/);
    expect(deploy.stdout).toMatch(/cert-manager-webhook\s+1\/1\s+1\s+1\s+/);
    const vwc = await t.kubectl(['get', 'validatingwebhookconfigurations']);
    expect(vwc.stdout).toMatch(/cert-manager-webhook\s+1\s+/);
    const mwc = await t.kubectl(['get', 'mutatingwebhookconfigurations']);
    expect(mwc.stdout).toMatch(/cert-manager-webhook\s+1\s+/);
    const history = await t.helm(['history', 'cert-manager', '-n', 'cert-manager', '-o', 'json']);
    expect(JSON.parse(history.stdout)).toEqual([
      expect.objectContaining({ revision: 1, status: 'deployed', chart: 'cert-manager-v1.18.2' }),
    ]);
    const secret = t.cluster.list('v1', 'Secret', 'cert-manager', 'owner=helm')[0]!;
    const data = secret['data'] as Record<string, string>;
    const wire = decodeHelmReleaseData(Buffer.from(data['release']!, 'base64').toString('utf8'));
    expect(
      (wire.hooks ?? []).filter((h) => h.kind === 'Job').map((h) => [h.name, h.last_run.phase]),
    ).toEqual([['cert-manager-startupapicheck', 'Succeeded']]);
  });

  it('serves Issuer and Certificate: create, get, list, watch', async () => {
    await t.kubectl(['create', 'namespace', 'hyperpod-inference-system']);
    const watch = t.kubectl([
      'get',
      'certificates',
      '-n',
      'hyperpod-inference-system',
      '--watch',
      '--request-timeout=4s',
      '-o',
      'name',
    ]);
    await new Promise((r) => setTimeout(r, 800));
    const created = await t.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned-issuer
  namespace: hyperpod-inference-system
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: serving-cert
  namespace: hyperpod-inference-system
spec:
  dnsNames:
  - hyperpod-inference-webhook-service.hyperpod-inference-system.svc
  - hyperpod-inference-webhook-service.hyperpod-inference-system.svc.cluster.local
  issuerRef:
    kind: Issuer
    name: selfsigned-issuer
  secretName: webhook-server-cert
`,
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe(
      'issuer.cert-manager.io/selfsigned-issuer created\ncertificate.cert-manager.io/serving-cert created\n',
    );
    const issuers = await t.kubectl(['get', 'issuers', '-n', 'hyperpod-inference-system']);
    expect(issuers.stdout).toMatch(/^NAME\s+READY\s+AGE\nselfsigned-issuer\s+\d+s\n$/);
    const certs = await t.kubectl(['get', 'certificates', '-A', '-o', 'wide']);
    expect(certs.stdout).toMatch(
      /^NAMESPACE\s+NAME\s+READY\s+SECRET\s+ISSUER\s+STATUS\s+AGE\nhyperpod-inference-system\s+serving-cert\s+webhook-server-cert\s+selfsigned-issuer\s+\d+s\n$/,
    );
    const one = await t.kubectl([
      'get',
      'certificate',
      'serving-cert',
      '-n',
      'hyperpod-inference-system',
      '-o',
      'jsonpath={.spec.issuerRef.name}',
    ]);
    expect(one.stdout).toBe('selfsigned-issuer');
    expect((await watch).stdout).toContain('certificate.cert-manager.io/serving-cert');
  });
});
