/**
 * The sandbox's EKS as the aws CLI (a client nobody here wrote) sees it: each operation once,
 * output parsed from `--output json`, plus an error path.
 */
import { EksService } from '@hyperpod/sandbox/testing';
import { KubeCluster } from '@hyperpod/sandbox';
import { commandLine } from '../support/commandLine';
import { runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';

const REGION = 'us-east-2';
let h: AwsHarness<{ eks: EksService }>;
let acct: string;
const kube = new KubeCluster({ name: 'hp-inference', version: '1.32' });

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ eks: new EksService(ctx) }));
  acct = h.accounts[0]!.accountId;
  h.ctx.kubeFor = (a, r, n) =>
    a === acct && r === REGION && n === 'hp-inference' ? kube : undefined;
  h.services.eks.addCluster({
    accountId: acct,
    region: REGION,
    name: 'hp-inference',
    version: '1.32',
    endpoint: 'http://127.0.0.1:6443',
  });
  h.services.eks.addCluster({
    accountId: acct,
    region: REGION,
    name: 'hp-training',
    version: '1.30',
    endpoint: 'http://127.0.0.1:6444',
  });
});

afterAll(async () => {
  h?.services.eks.close();
  await h?.stop();
});

/** `aws eks …` in the test's region, the rest of the command line written as one line. */
const aws = (line: TemplateStringsArray, ...values: (string | readonly string[])[]) =>
  runAws(h, ['eks', ...commandLine(line, ...values)], { region: REGION });

it('lists and describes clusters', async () => {
  const list = await aws`list-clusters`;
  expect(list.code).toBe(0);
  expect(list.json).toEqual({ clusters: ['hp-inference', 'hp-training'] });
  const d = await aws`describe-cluster --name hp-inference`;
  expect(d.json.cluster).toMatchObject({
    name: 'hp-inference',
    arn: `arn:aws:eks:${REGION}:${acct}:cluster/hp-inference`,
    version: '1.32',
    status: 'ACTIVE',
    endpoint: 'http://127.0.0.1:6443',
  });
  expect(d.json.cluster.identity.oidc.issuer).toMatch(
    /^https:\/\/oidc\.eks\.us-east-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/,
  );
  // aws CLI v1 prints rest-json timestamps as received (epoch seconds); v2 prints ISO 8601.
  const created = d.json.cluster.createdAt as number | string;
  const ms = typeof created === 'number' ? created * 1000 : Date.parse(created);
  expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
});

it('describes add-on versions and a configuration schema', async () => {
  const v = await aws`describe-addon-versions --addon-name cert-manager --kubernetes-version 1.32`;
  expect(v.code).toBe(0);
  expect(v.json.addons).toHaveLength(1);
  const compat = v.json.addons[0].addonVersions.map(
    (x: { addonVersion: string; compatibilities: { defaultVersion: boolean }[] }) => [
      x.addonVersion,
      x.compatibilities[0]!.defaultVersion,
    ],
  );
  expect(compat).toEqual([
    ['v1.19.1-eksbuild.1', true],
    ['v1.18.2-eksbuild.2', false],
    ['v1.17.2-eksbuild.1', false],
  ]);
  const c =
    await aws`describe-addon-configuration --addon-name amazon-sagemaker-hyperpod-inference --addon-version v1.0.0-eksbuild.1`;
  expect(c.code).toBe(0);
  expect(JSON.parse(c.json.configurationSchema).required).toContain('executionRoleArn');
});

it('creates, lists, updates and deletes an add-on, with its update records', async () => {
  const ADDON = ['--cluster-name', 'hp-inference', '--addon-name', 'metrics-server'];
  const deployment = () =>
    kube.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'kube-system',
      name: 'metrics-server',
    });
  const created =
    await aws`create-addon ${ADDON} --addon-version v0.7.2-eksbuild.4 --resolve-conflicts OVERWRITE`;
  expect(created.code).toBe(0);
  expect(created.json.addon).toMatchObject({
    addonName: 'metrics-server',
    status: 'CREATING',
    addonVersion: 'v0.7.2-eksbuild.4',
  });
  await h.services.eks.settled();
  expect(deployment()).toBeDefined();
  const d = await aws`describe-addon ${ADDON}`;
  expect(d.json.addon.status).toBe('ACTIVE');
  const list = await aws`list-addons --cluster-name hp-inference`;
  expect(list.json).toEqual({ addons: ['metrics-server'] });
  const upd =
    await aws`update-addon ${ADDON} --addon-version v0.8.0-eksbuild.1 --configuration-values ${'{"replicas": 3}'}`;
  expect(upd.code).toBe(0);
  expect(upd.json.update).toMatchObject({ status: 'InProgress', type: 'AddonUpdate' });
  await h.services.eks.settled();
  const du =
    await aws`describe-update --name hp-inference --update-id ${upd.json.update.id} --addon-name metrics-server`;
  expect(du.json.update).toMatchObject({ id: upd.json.update.id, status: 'Successful' });
  const lu = await aws`list-updates --name hp-inference --addon-name metrics-server`;
  expect(lu.json.updateIds).toEqual([upd.json.update.id]);
  const del = await aws`delete-addon ${ADDON}`;
  expect(del.json.addon.status).toBe('DELETING');
  await h.services.eks.settled();
  expect(deployment()).toBeUndefined();
});

it('exits non-zero with the EKS error code for an invalid request', async () => {
  const r =
    await aws`create-addon --cluster-name hp-training --addon-name amazon-sagemaker-hyperpod-inference --addon-version v1.2.0-eksbuild.1`;
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('InvalidParameterException');
  expect(r.stderr).toContain('CreateAddon');
  const missing = await aws`describe-addon --cluster-name hp-training --addon-name coredns`;
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toContain('(ResourceNotFoundException)');
});
