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
import type { MigrationPlan } from '@hyperpod/core';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { holdOnlyPolicy } from '../support/holdOnlyPolicy';
import { ALICE, upgradeBody } from './support';
import { portalDatabases, usePortal } from './usePortal';

const ROOT = path.join(__dirname, '../..');
const TOKEN = 'hyperpod-backend-token';
const readonly = JSON.parse(
  readFileSync(path.join(ROOT, 'permissions/iam/hyperpod-readonly.json'), 'utf8'),
) as { Version: string; Statement: { Sid: string }[] };

const databases = portalDatabases(['SQLITE_3']);

describe('the portal with the shipped read-only policy and ClusterRole', () => {
  let accountId: string;
  let userName: string;
  let policies = 0;

  /** The backend's IAM user holds exactly `document` (changed through IAM's API, enforcement paused). */
  const holdOnly = async (document: object) => {
    const { sb } = s.p;
    const iam = new IAMClient({
      ...sb.sdkConfig(accountId, sb.cluster(s.helm.name).region),
      maxAttempts: 1,
    });
    try {
      await holdOnlyPolicy(
        sb,
        iam,
        { accountId, userName },
        document,
        `hyperpod-portal-${++policies}`,
      );
    } finally {
      iam.destroy();
    }
  };

  const s = usePortal({
    prefix: 'lp',
    knex: () => databases.init('SQLITE_3'),
    helm: {},
    async prepare({ p, helm }) {
      accountId = helm.accountId;
      const principal = p.sb.account(accountId).principalArn;
      userName = principal.slice(principal.lastIndexOf('/') + 1);
      // The backend's Kubernetes user on the Helm cluster: its own token, bound to the read-only group.
      const kube = p.sb.kube(helm.name);
      for (const o of parseAllDocuments(
        readFileSync(path.join(ROOT, 'permissions/kubernetes/hyperpod-readonly.yaml'), 'utf8'),
      ))
        kube.create(o.toJS());
      kube.setRbacUsers([
        { name: 'hyperpod-backend', token: TOKEN, groups: ['hyperpod:readonly'] },
      ]);
      const kc = parse(readFileSync(p.kubeconfig, 'utf8')) as {
        users: { name: string; user: { token?: string } }[];
      };
      kc.users.find((u) => u.name === helm.arn)!.user = { token: TOKEN };
      writeFileSync(p.kubeconfig, stringify(kc), { mode: 0o600 });
      await holdOnly(readonly);
    },
  });

  it('a migration plan has the CLI’s permission blockers; a start is refused with them, nothing changed', async () => {
    const before = s.p.sb.snapshot();
    const r = await s.portal.call(ALICE, 'POST', `/clusters/${s.helm.name}/migrations/plan`, {});
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
    const start = await s.portal.call(ALICE, 'POST', `/clusters/${s.helm.name}/migrations`, {});
    expect(start.status).toBe(409);
    expect(start.body.error.message).toContain(
      'missing permission create leases.coordination.k8s.io in namespace kube-system, granted by ClusterRole hyperpod-operate in permissions/kubernetes/hyperpod-operate.yaml',
    );
    expect(s.p.sb.diff(before)).toEqual([]);
  });

  it('without the statement that reads clusters: the scan error and a refused call name it and its file', async () => {
    await holdOnly({
      ...readonly,
      Statement: readonly.Statement.filter((st) => st.Sid !== 'EksReadClustersAndAddons'),
    });
    const line = `missing permission eks:DescribeCluster on ${s.p.owned.arn}, granted by statement EksReadClustersAndAddons of permissions/iam/hyperpod-readonly.json`;
    await s.portal.call(ALICE, 'POST', `/clusters/${s.p.owned.name}/refresh`);
    const cluster = await s.portal.call(ALICE, 'GET', `/clusters/${s.p.owned.name}`);
    expect(cluster.body.report.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'AccessDenied', permission: line })]),
    );
    const created = await s.portal.call(ALICE, 'POST', '/requests', upgradeBody(s.p, 'CVE fix'));
    expect(created.status).toBe(403);
    expect(created.body.error.message).toMatch(
      /^the portal backend's AWS or Kubernetes credentials: missing permission eks:\w+ on arn:aws:eks:\S+, granted by statement EksReadClustersAndAddons of permissions\/iam\/hyperpod-readonly\.json$/,
    );
  });
});
