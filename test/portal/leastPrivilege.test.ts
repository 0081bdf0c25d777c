/**
 * The portal with too few rights, as the CLI (test/permissions/leastPrivilegeCli.test.ts): the
 * backend's AWS user holds exactly the shipped read-only policy (IAM enforcement on) and its
 * Kubernetes user is bound to the shipped read-only ClusterRole (RBAC for that user). A migration
 * plan then has the same blockers as the CLI's, naming each missing permission and the file that
 * grants it, and a start is refused with them, nothing changed. Without the statement that reads
 * clusters, the scan's error and a refused API call say which permission and which file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { MigrationPlan } from '@hyperpod/core';
import type { SandboxCluster } from '@hyperpod/sandbox';
import { parse, parseAllDocuments, stringify } from 'yaml';
import {
  addHelmInferenceCluster,
  portalSandbox,
  startPortal,
  VPC_CNI,
  type Portal,
  type PortalSandbox,
} from './support';
import { holdOnlyPolicy } from '../support/holdOnlyPolicy';

const ALICE = 'user:default/alice';
const ROOT = path.join(__dirname, '../..');
const TOKEN = 'hyperpod-backend-token';
const readonly = JSON.parse(
  readFileSync(path.join(ROOT, 'permissions/iam/hyperpod-readonly.json'), 'utf8'),
) as { Version: string; Statement: { Sid: string }[] };

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the portal with the shipped read-only policy and ClusterRole', () => {
  let p: PortalSandbox;
  let helm: SandboxCluster;
  let portal: Portal;
  let accountId: string;
  let userName: string;
  let policies = 0;

  /** The backend's IAM user holds exactly `document` (changed through IAM's API, enforcement paused). */
  const holdOnly = async (document: object) => {
    const c = p.sb.cluster(helm.name);
    const iam = new IAMClient({ ...p.sb.sdkConfig(accountId, c.region), maxAttempts: 1 });
    try {
      await holdOnlyPolicy(
        p.sb,
        iam,
        { accountId, userName },
        document,
        `hyperpod-portal-${++policies}`,
      );
    } finally {
      iam.destroy();
    }
  };

  beforeAll(async () => {
    p = await portalSandbox('lp');
    const added = await addHelmInferenceCluster(p, 'lp-helm-use1');
    helm = added.cluster;
    accountId = helm.accountId;
    const principal = p.sb.account(accountId).principalArn;
    userName = principal.slice(principal.lastIndexOf('/') + 1);
    // The backend's Kubernetes user on the Helm cluster: its own token, bound to the read-only group.
    const kube = p.sb.kube(helm.name);
    for (const o of parseAllDocuments(
      readFileSync(path.join(ROOT, 'permissions/kubernetes/hyperpod-readonly.yaml'), 'utf8'),
    ))
      kube.create(o.toJS());
    kube.setRbacUsers([{ name: 'hyperpod-backend', token: TOKEN, groups: ['hyperpod:readonly'] }]);
    const kc = parse(readFileSync(p.kubeconfig, 'utf8')) as {
      users: { name: string; user: { token?: string } }[];
    };
    kc.users.find((u) => u.name === helm.arn)!.user = { token: TOKEN };
    writeFileSync(p.kubeconfig, stringify(kc), { mode: 0o600 });
    await holdOnly(readonly);
    portal = await startPortal({ config: added.config, knex: await databases.init('SQLITE_3') });
  });
  afterAll(async () => {
    await portal?.stop();
    await p?.sb.stop();
    p?.restoreEnv();
  });

  it('a migration plan has the CLI’s permission blockers; a start is refused with them, nothing changed', async () => {
    const before = p.sb.snapshot();
    const r = await portal.call(ALICE, 'POST', `/clusters/${helm.name}/migrations/plan`, {});
    expect(r.status).toBe(200);
    const plan = r.body as MigrationPlan;
    expect(plan.blockers).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `missing permission iam:GetRole on arn:aws:iam::${accountId}:role/\\S+, granted by statement IamReadExistingRoles of permissions/iam/hyperpod-operate\\.json$`,
          ),
        ),
        'missing permission create leases.coordination.k8s.io in namespace kube-system, granted by ClusterRole hyperpod-operate in permissions/kubernetes/hyperpod-operate.yaml',
      ]),
    );
    const start = await portal.call(ALICE, 'POST', `/clusters/${helm.name}/migrations`, {});
    expect(start.status).toBe(409);
    expect(start.body.error.message).toContain(
      'missing permission create leases.coordination.k8s.io in namespace kube-system, granted by ClusterRole hyperpod-operate in permissions/kubernetes/hyperpod-operate.yaml',
    );
    expect(p.sb.diff(before)).toEqual([]);
  });

  it('without the statement that reads clusters: the scan error and a refused call name it and its file', async () => {
    await holdOnly({
      ...readonly,
      Statement: readonly.Statement.filter((s) => s.Sid !== 'EksReadClustersAndAddons'),
    });
    const line = `missing permission eks:DescribeCluster on ${p.owned.arn}, granted by statement EksReadClustersAndAddons of permissions/iam/hyperpod-readonly.json`;
    await portal.call(ALICE, 'POST', `/clusters/${p.owned.name}/refresh`);
    const cluster = await portal.call(ALICE, 'GET', `/clusters/${p.owned.name}`);
    expect(cluster.body.report.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'AccessDenied', permission: line })]),
    );
    const created = await portal.call(ALICE, 'POST', '/requests', {
      cluster: p.owned.name,
      addonName: VPC_CNI,
      target: 'latest',
      reason: 'CVE fix',
    });
    expect(created.status).toBe(403);
    expect(created.body.error.message).toMatch(
      /^the portal backend's AWS or Kubernetes credentials: missing permission eks:\w+ on arn:aws:eks:\S+, granted by statement EksReadClustersAndAddons of permissions\/iam\/hyperpod-readonly\.json$/,
    );
  });
});
