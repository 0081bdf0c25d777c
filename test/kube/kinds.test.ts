/**
 * The kinds real charts create, driven by the real kubectl against a sandbox cluster: nodes,
 * persistent volumes and claims that bind, PodDisruptionBudgets, APIServices that join discovery,
 * webhook configurations, DaemonSets scheduled on the nodes that fit, Jobs that complete,
 * CronJobs, and any installed CRD's kind (cert-manager's Issuer and Certificate).
 */
import { startClusterTools, type ClusterTools } from '../helm/kubeToolsHarness';
import { certManagerCrds } from '@hyperpod/sandbox';
import { stringify } from 'yaml';
import { s3VolumeAndClaim } from '../support/s3VolumeAndClaim';

const NODES = 3;

const docs = (...objects: unknown[]) => objects.map((o) => stringify(o)).join('---\n');

describe('kinds the real charts create, with kubectl', () => {
  let t: ClusterTools;

  beforeAll(async () => {
    t = await startClusterTools({ name: 'kinds-usw2', region: 'us-west-2', nodes: NODES });
    await ok(['create', 'namespace', 'data']);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function ok(args: string[], input?: string): Promise<string> {
    const r = await t.kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  const apply = (...objects: unknown[]): Promise<string> =>
    ok(['apply', '-f', '-'], docs(...objects));

  it('lists the cluster nodes, Ready, with their kubelet version', async () => {
    const out = await ok(['get', 'nodes']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines).toHaveLength(NODES + 1);
    for (const line of lines.slice(1))
      expect(line).toMatch(
        /^ip-10-0-\d+-\d+\.us-west-2\.compute\.internal\s+Ready\s+<none>\s+\d+s\s+v1\.31\.\d+-eks-/,
      );
    const wide = await ok(['get', 'nodes', '-o', 'wide']);
    expect(wide).toMatch(
      /INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/,
    );
    expect(wide).toMatch(/10\.0\.\d+\.\d+\s+<none>\s+Amazon Linux 2023/);
  });

  it('binds a claim to the volume it names, and releases the volume when the claim goes', async () => {
    await apply(...s3VolumeAndClaim({ namespace: 'data' }));
    const pvc = await ok(['get', 'pvc', '-n', 'data']);
    expect(pvc).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+/);
    expect(pvc).toMatch(/s3-claim\s+Bound\s+s3-pv\s+1200Gi\s+RWX\s+<unset>\s+/);
    const pv = JSON.parse(await ok(['get', 'pv', 's3-pv', '-o', 'json']));
    expect(pv.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'data', name: 's3-claim' },
    });
    expect(pv.status.phase).toBe('Bound');
    expect(await ok(['get', 'pv'])).toMatch(
      /s3-pv\s+1200Gi\s+RWX\s+Retain\s+Bound\s+data\/s3-claim\s+/,
    );

    await ok(['delete', 'pvc', 's3-claim', '-n', 'data']);
    expect(await ok(['get', 'pv', 's3-pv', '-o', 'jsonpath={.status.phase}'])).toBe('Released');
  });

  it('binds a claim without volumeName to the smallest Available volume that fits', async () => {
    const volume = (name: string, size: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: size },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'manual',
        hostPath: { path: `/data/${name}` },
      },
    });
    await apply(volume('small', '1Gi'), volume('medium', '10Gi'), volume('large', '100Gi'), {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'cache', namespace: 'data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'manual',
        resources: { requests: { storage: '5Gi' } },
      },
    });
    const pvc = JSON.parse(await ok(['get', 'pvc', 'cache', '-n', 'data', '-o', 'json']));
    expect(pvc.spec.volumeName).toBe('medium');
    expect(pvc.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
    });
    expect(pvc.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    expect(await ok(['get', 'pv', 'small', '-o', 'jsonpath={.status.phase}'])).toBe('Available');
  });

  it('stores a PodDisruptionBudget and shows it in a table', async () => {
    await apply({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'webhook', namespace: 'data' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'webhook' } } },
    });
    const out = await ok(['get', 'pdb', '-n', 'data']);
    expect(out).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\n/);
    expect(out).toMatch(/webhook\s+1\s+N\/A\s+0\s+\d+s/);
    // Two running replicas the budget selects: one may be disrupted.
    await apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'webhook', namespace: 'data' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'webhook' } },
        template: {
          metadata: { labels: { app: 'webhook' } },
          spec: {
            containers: [
              { name: 'webhook', image: 'quay.io/jetstack/cert-manager-webhook:v1.18.2' },
            ],
          },
        },
      },
    });
    const pdb = JSON.parse(await ok(['get', 'pdb', 'webhook', '-n', 'data', '-o', 'json']));
    expect(pdb.status).toMatchObject({
      currentHealthy: 2,
      desiredHealthy: 1,
      disruptionsAllowed: 1,
      expectedPods: 2,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }],
    });
  });

  it('adds an APIService group-version to discovery while it exists', async () => {
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        groupPriorityMinimum: 100,
        versionPriority: 100,
        insecureSkipTLSVerify: true,
        service: { name: 'metrics-server', namespace: 'kube-system', port: 443 },
      },
    };
    expect(await ok(['api-versions'])).not.toContain('metrics.k8s.io/v1beta1');
    await apply(apiService);
    const versions = await t.kubectl(['api-versions']);
    expect(versions.stderr).toBe('');
    expect(versions.stdout.split('\n')).toContain('metrics.k8s.io/v1beta1');
    expect(await ok(['api-resources', '--api-group', 'metrics.k8s.io'])).toMatch(
      /nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics/,
    );
    expect(await ok(['get', 'apiservice', 'v1beta1.metrics.k8s.io'])).toMatch(
      /v1beta1\.metrics\.k8s\.io\s+kube-system\/metrics-server\s+True\s+\d+s/,
    );
    await ok(['delete', 'apiservice', 'v1beta1.metrics.k8s.io']);
    expect(await ok(['api-versions'])).not.toContain('metrics.k8s.io/v1beta1');
  });

  it('refuses an APIService whose name is not <version>.<group>', async () => {
    const r = await t.kubectl(
      ['create', '-f', '-'],
      docs({
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'metrics' },
        spec: {
          group: 'metrics.k8s.io',
          version: 'v1beta1',
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'metadata.name: Invalid value: "metrics": must be v1beta1.metrics.k8s.io',
    );
  });

  it('stores validating and mutating webhook configurations', async () => {
    const webhook = (kind: string) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      metadata: { name: 'cert-manager-webhook' },
      webhooks: [
        {
          name: 'webhook.cert-manager.io',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          clientConfig: {
            service: { name: 'cert-manager-webhook', namespace: 'cert-manager', path: '/validate' },
          },
          rules: [
            {
              apiGroups: ['cert-manager.io'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['*/*'],
            },
          ],
        },
      ],
    });
    await apply(webhook('ValidatingWebhookConfiguration'), webhook('MutatingWebhookConfiguration'));
    expect(await ok(['get', 'validatingwebhookconfigurations'])).toMatch(
      /^NAME\s+WEBHOOKS\s+AGE\ncert-manager-webhook\s+1\s+\d+s/,
    );
    expect(
      await ok([
        'get',
        'mutatingwebhookconfigurations',
        'cert-manager-webhook',
        '-o',
        'jsonpath={.webhooks[0].name}',
      ]),
    ).toBe('webhook.cert-manager.io');
  });

  it('schedules a DaemonSet on every node its nodeSelector and affinity allow', async () => {
    const ds = (name: string, podSpec: Record<string, unknown>) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'data' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { ...podSpec, containers: [{ name: 'node', image: 'public.ecr.aws/x/node:1' }] },
        },
      },
    });
    await apply(
      ds('everywhere', { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      ds('windows-only', { nodeSelector: { 'kubernetes.io/os': 'windows' } }),
      ds('not-fargate', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    {
                      key: 'eks.amazonaws.com/compute-type',
                      operator: 'NotIn',
                      values: ['fargate', 'hybrid'],
                    },
                  ],
                },
              ],
            },
          },
        },
      }),
    );
    const out = await ok(['get', 'ds', '-n', 'data']);
    expect(out).toMatch(/everywhere\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io\/os=linux\s+/);
    expect(out).toMatch(/windows-only\s+0\s+0\s+0\s+0\s+0\s+kubernetes\.io\/os=windows\s+/);
    expect(out).toMatch(/not-fargate\s+3\s+3\s+3\s+3\s+3\s+<none>\s+/);
  });

  it('re-counts DaemonSets when a node is tainted and when one leaves', async () => {
    const nodes = (await ok(['get', 'nodes', '-o', 'name']))
      .trim()
      .split('\n')
      .map((n) => n.replace(/^node\//, ''));
    await ok(['taint', 'nodes', nodes[0]!, 'dedicated=gpu:NoSchedule']);
    const desired = () =>
      ok([
        'get',
        'ds',
        'everywhere',
        '-n',
        'data',
        '-o',
        'jsonpath={.status.desiredNumberScheduled}',
      ]);
    expect(await desired()).toBe('2');
    await ok(['delete', 'node', nodes[1]!]);
    expect(await desired()).toBe('1');
  });

  it('completes a Job as if its pod ran, and stores a CronJob', async () => {
    await apply(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'startupapicheck', namespace: 'data' },
        spec: {
          backoffLimit: 4,
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              containers: [
                { name: 'check', image: 'quay.io/jetstack/cert-manager-startupapicheck:v1.18.2' },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: 'data' },
        spec: {
          schedule: '0 3 * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: { restartPolicy: 'Never', containers: [{ name: 'x', image: 'busybox' }] },
              },
            },
          },
        },
      },
    );
    await ok([
      'wait',
      '--for=condition=complete',
      'job/startupapicheck',
      '-n',
      'data',
      '--timeout=10s',
    ]);
    const job = JSON.parse(await ok(['get', 'job', 'startupapicheck', '-n', 'data', '-o', 'json']));
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 4 });
    expect(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(
      job.metadata.uid,
    );
    expect(job.status).toMatchObject({ succeeded: 1, ready: 0 });
    expect(job.status.completionTime).toEqual(expect.any(String));
    expect(job.status.conditions.map((c: { type: string }) => c.type)).toEqual([
      'SuccessCriteriaMet',
      'Complete',
    ]);
    expect(await ok(['get', 'jobs', '-n', 'data'])).toMatch(
      /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nstartupapicheck\s+Complete\s+1\/1\s+\d+s\s+\d+s/,
    );
    expect(await ok(['get', 'cronjobs', '-n', 'data'])).toMatch(
      /nightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s/,
    );
  });

  it('serves the kinds of installed CRDs: cert-manager Issuer and Certificate', async () => {
    await apply(...certManagerCrds());
    await apply(
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'selfsigned-issuer', namespace: 'data' },
        spec: { selfSigned: {} },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'serving-cert', namespace: 'data' },
        spec: {
          dnsNames: ['webhook.data.svc'],
          issuerRef: { kind: 'Issuer', name: 'selfsigned-issuer' },
          secretName: 'webhook-server-cert',
        },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: 'cluster-selfsigned' },
        spec: { selfSigned: {} },
      },
    );
    expect(await ok(['get', 'issuers', '-n', 'data'])).toMatch(
      /^NAME\s+READY\s+AGE\nselfsigned-issuer\s+\s+\d+s/,
    );
    expect(await ok(['get', 'certs', '-n', 'data'])).toMatch(
      /^NAME\s+READY\s+SECRET\s+AGE\nserving-cert\s+webhook-server-cert\s+\d+s/,
    );
    expect(await ok(['get', 'clusterissuers', '-o', 'name'])).toBe(
      'clusterissuer.cert-manager.io/cluster-selfsigned\n',
    );
    // The category expands in discovery order, cluster-scoped kinds included.
    expect(await ok(['get', 'cert-manager', '-n', 'data', '-o', 'name'])).toBe(
      [
        'certificate.cert-manager.io/serving-cert',
        'clusterissuer.cert-manager.io/cluster-selfsigned',
        'issuer.cert-manager.io/selfsigned-issuer',
        '',
      ].join('\n'),
    );
    // Status goes through the subresource, as cert-manager's controller writes it.
    await ok([
      'patch',
      'certificate',
      'serving-cert',
      '-n',
      'data',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"Certificate is up to date and has not expired"}]}}',
    ]);
    expect(
      await ok([
        'get',
        'certificate',
        'serving-cert',
        '-n',
        'data',
        '-o',
        'jsonpath={.status.conditions[0].status}',
      ]),
    ).toBe('True');
  });

  it('watches custom resources', async () => {
    const watch = t.kubectl([
      'get',
      'issuers',
      '-n',
      'data',
      '--watch',
      '--request-timeout=3s',
      '-o',
      'name',
    ]);
    await new Promise((r) => setTimeout(r, 800));
    await apply({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'second', namespace: 'data' },
      spec: { selfSigned: {} },
    });
    const r = await watch;
    expect(r.stdout).toContain('issuer.cert-manager.io/second');
  });
});
