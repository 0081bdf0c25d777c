/**
 * `helm install --wait` of a small chart with a post-install hook Job, a Job among its resources,
 * a bound claim, a DaemonSet and a PodDisruptionBudget, by real helm v3 and helm v4: it finishes
 * because the sandbox's Job completes as if its pod ran, the claim binds and the workloads report
 * ready (helm v3's readiness checks, helm v4's kstatus watcher).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeHelmReleaseData } from '@hyperpod/core';
import { startClusterTools, type ClusterTools } from './kubeToolsHarness';

const TEMPLATES: Record<string, string> = {
  'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: public.ecr.aws/nginx/nginx:1.27
`,
  'pdb.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .Release.Name }}-web
spec:
  minAvailable: 1
  selector:
    matchLabels: { app: web }
`,
  'daemonset.yaml': `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ .Release.Name }}-node
spec:
  selector:
    matchLabels: { app: node }
  template:
    metadata:
      labels: { app: node }
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      containers:
        - name: node
          image: public.ecr.aws/eks-distro/kubernetes/pause:3.9
`,
  'volume.yaml': `apiVersion: v1
kind: PersistentVolume
metadata:
  name: {{ .Release.Name }}-pv
spec:
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteMany]
  csi:
    driver: s3.csi.aws.com
    volumeHandle: {{ .Release.Name }}-volume
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ .Release.Name }}-claim
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  resources:
    requests: { storage: 10Gi }
  volumeName: {{ .Release.Name }}-pv
`,
  'migrate-job.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: public.ecr.aws/docker/library/busybox:1.36
          command: [sh, -c, "echo migrated"]
`,
  'post-install-hook.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-startupapicheck
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-weight: "1"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: check
          image: quay.io/jetstack/cert-manager-startupapicheck:v1.18.2
          args: [check, api, --wait=1m]
`,
};

function writeChart(dir: string): string {
  const chart = join(dir, 'hooked');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(
    join(chart, 'Chart.yaml'),
    'apiVersion: v2\nname: hooked\nversion: 0.1.0\nappVersion: "1.0"\n',
  );
  for (const [name, text] of Object.entries(TEMPLATES))
    writeFileSync(join(chart, 'templates', name), text);
  return chart;
}

describe.each([3, 4] as const)('helm v%i install --wait of a chart with a hook Job', (major) => {
  let t: ClusterTools;
  let chart: string;

  beforeAll(async () => {
    t = await startClusterTools({ name: `hooks-v${major}`, nodes: 2 });
    chart = writeChart(t.dir);
    await t.kubectl(['create', 'namespace', 'apps']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finishes, with the hook run to success and the chart Job complete', async () => {
    const r = await t.helm(
      ['install', 'hooked', chart, '-n', 'apps', '--wait', '--wait-for-jobs', '--timeout', '60s'],
      major,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('STATUS: deployed');

    const secret = t.cluster.list('v1', 'Secret', 'apps', 'owner=helm,name=hooked')[0]!;
    const data = secret['data'] as Record<string, string>;
    const wire = decodeHelmReleaseData(Buffer.from(data['release']!, 'base64').toString('utf8'));
    expect(wire.info?.status).toBe('deployed');
    expect((wire.hooks ?? []).map((h) => [h.name, h.events, h.last_run.phase])).toEqual([
      ['hooked-startupapicheck', ['post-install'], 'Succeeded'],
    ]);

    const field = async (kind: string, name: string, jsonpath: string) =>
      (await t.kubectl(['get', kind, name, '-n', 'apps', '-o', `jsonpath=${jsonpath}`])).stdout;
    for (const job of ['hooked-startupapicheck', 'hooked-migrate'])
      expect(
        await field(
          'job',
          job,
          '{.status.succeeded} {.status.conditions[?(@.type=="Complete")].status}',
        ),
      ).toBe('1 True');
    expect(await field('pvc', 'hooked-claim', '{.status.phase}')).toBe('Bound');
    expect(
      await field('ds', 'hooked-node', '{.status.desiredNumberScheduled}/{.status.numberReady}'),
    ).toBe('2/2');
  });

  it('upgrades with --wait and uninstalls', async () => {
    const up = await t.helm(
      ['upgrade', 'hooked', chart, '-n', 'apps', '--wait', '--timeout', '60s'],
      major,
    );
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const un = await t.helm(['uninstall', 'hooked', '-n', 'apps', '--wait'], major);
    expect(un.code).toBe(0);
    const pv = await t.kubectl(['get', 'pv', 'hooked-pv', '-o', 'name']);
    expect(pv.stderr).toContain('NotFound');
  });
});
