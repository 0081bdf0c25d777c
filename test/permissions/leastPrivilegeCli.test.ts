/**
 * Least privilege, end to end through the built CLI: the sandbox evaluates the account's AWS
 * calls against the IAM policies its user holds (attached through IAM's API, as a platform team
 * applies the shipped files) and authorizes the user's Kubernetes requests by RBAC, with exactly
 * the shipped ClusterRoles applied and the user mapped to their group (as an EKS access entry
 * would). With the read-only pair `status` and `drift` work and `migrate` is refused at
 * validation, naming what is missing, with nothing changed; with the operate pair `migrate`,
 * `upgrade` and the rollback succeed; without any single statement of the migrate set the
 * migration is refused naming that statement.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { parseAllDocuments } from 'yaml';
import type { ClusterReport, MigrationPlan } from '@hyperpod/core';
import { PERMISSION_SETS } from '@hyperpod/core-node';
import { seedClusterAddon, type Sandbox, type SandboxSnapshot } from '@hyperpod/sandbox';
import { buildCli, runCli, type CliResult } from '../cli/support/runCli';
import { sandboxFleet } from '../cli/support/sandboxFleet';
import { gatewaysFor, helmSandbox } from '../migrate/support';
import { holdOnlyPolicy } from '../support/holdOnlyPolicy';
import { failNextVpcCniUpdate } from '../support/failNextVpcCniUpdate';

const CLUSTER = 'ml-least-use1';
const ROOT = path.join(__dirname, '../..');
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
const VPC_CNI_FROM = 'v1.18.6-eksbuild.1';

interface PolicyDocument {
  Version: string;
  Statement: { Sid: string }[];
}
const policyFile = (name: string): PolicyDocument =>
  JSON.parse(
    readFileSync(path.join(ROOT, `permissions/iam/hyperpod-${name}.json`), 'utf8'),
  ) as PolicyDocument;
const clusterRoleFile = (name: string) =>
  parseAllDocuments(
    readFileSync(path.join(ROOT, `permissions/kubernetes/hyperpod-${name}.yaml`), 'utf8'),
  ).map((d) => d.toJS() as { kind: string; metadata: { name: string } });

let sb: Sandbox;
let env: Record<string, string>;
let accountId: string;
let userName: string;
let iam: IAMClient;
let policies = 0;

const cli = (args: string[]): Promise<CliResult> =>
  runCli([...args, '--context', CLUSTER], env, 120_000);

/**
 * The user holds exactly `document` (every other managed policy detached), and is mapped to the
 * Kubernetes group `hyperpod:<group>`. IAM is changed through its API, with enforcement paused,
 * as an administrator would.
 */
async function holdOnly(document: object, group: 'readonly' | 'operate'): Promise<void> {
  await holdOnlyPolicy(sb, iam, { accountId, userName }, document, `hyperpod-test-${++policies}`);
  const account = sb.account(accountId);
  sb.kube(CLUSTER).setRbacUsers([
    { name: 'ops', accessKeyId: account.accessKeyId, groups: [`hyperpod:${group}`] },
  ]);
}

beforeAll(async () => {
  buildCli();
  sb = await helmSandbox(CLUSTER, {
    // Enforcement starts with the first holdOnly (the kubeconfig is written as an administrator).
    scenarioOptions: {
      rbac: {
        [CLUSTER]: {
          objects: [...clusterRoleFile('readonly'), ...clusterRoleFile('operate')],
        },
      },
    },
  });
  const c = sb.cluster(CLUSTER);
  accountId = c.accountId;
  const principal = sb.account(accountId).principalArn;
  userName = principal.slice(principal.lastIndexOf('/') + 1);
  iam = new IAMClient({ ...sb.sdkConfig(accountId, c.region), maxAttempts: 1 });
  // An add-on a version behind, with its role, for `upgrade`.
  seedClusterAddon(sb, c, 'vpc-cni', VPC_CNI_FROM, {
    serviceAccountRoleArn: `arn:aws:iam::${accountId}:role/AmazonEKSVPCCNIRole`,
  });
  const fleet = await sandboxFleet(sb);
  env = {
    ...fleet.env,
    KUBECTL_HYPERPOD_HOME: path.join(fleet.dir, '.hyperpod'),
    KUBECTL_HYPERPOD_POLL_MS: '20',
  };
}, 240_000);
afterAll(async () => {
  iam?.destroy();
  await sb?.stop();
});

describe('with exactly the shipped read-only policy and ClusterRole', () => {
  let before: SandboxSnapshot;
  beforeAll(async () => {
    await holdOnly(policyFile('readonly'), 'readonly');
    before = sb.snapshot();
  });

  it('status and drift read the cluster without an error', async () => {
    const status = await cli(['status', '-o', 'json']);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const [report] = JSON.parse(status.stdout) as ClusterReport[];
    expect(report!.errors).toEqual([]);
    expect(report!.addons.map((a) => a.name)).toEqual(expect.arrayContaining(['vpc-cni']));
    const drift = await cli(['drift', '-o', 'json']);
    expect(drift.stderr).toBe('');
    expect(drift.code).toBe(0);
    expect((JSON.parse(drift.stdout) as ClusterReport[])[0]!.errors).toEqual([]);
  });

  it('migrate is refused at validation (exit 7) naming what is missing and the files granting it; nothing changed', async () => {
    const r = await cli(['migrate', '--auto-approve']);
    expect(r.code).toBe(7);
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
    expect(error).toMatch(/^error: the plan has \d+ blockers, nothing was changed: /);
    expect(error).toMatch(
      new RegExp(
        `missing permission iam:GetRole on arn:aws:iam::${accountId}:role/\\S+, granted by statement IamReadExistingRoles of permissions/iam/hyperpod-operate\\.json`,
      ),
    );
    expect(error).toContain(
      'missing permission create leases.coordination.k8s.io in namespace kube-system, granted by ClusterRole hyperpod-operate in permissions/kubernetes/hyperpod-operate.yaml',
    );
    expect(r.stderr).toContain(
      'AWS permissions were not simulated: iam:SimulatePrincipalPolicy was refused',
    );
    expect(r.stderr).not.toMatch(/^run /m);
    expect(sb.diff(before)).toEqual([]);
  });

  it('a refused call outside a plan is one line naming the permission and the file', async () => {
    const r = await cli(['upgrade', 'vpc-cni', '--to', 'latest', '--auto-approve']);
    expect(r.code).toBe(4);
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
    expect(error).toMatch(
      /^error: .* failed: missing permission \S+ \S+( in namespace \S+)?, granted by (statement|ClusterRole) \S+ (of|in) permissions\/(iam\/hyperpod-operate\.json|kubernetes\/hyperpod-operate\.yaml)$/,
    );
    expect(sb.diff(before)).toEqual([]);
  });
});

describe('with the read-only policy but the operate ClusterRole', () => {
  it('an upgrade refused by EKS ends naming the missing permission and its file; nothing changed', async () => {
    await holdOnly(policyFile('readonly'), 'operate');
    const before = sb.snapshot();
    const r = await cli(['upgrade', 'vpc-cni', '--to', 'latest', '--auto-approve']);
    expect(r.code).not.toBe(0);
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '));
    expect(error).toBe(
      `error: vpc-cni on ${CLUSTER}: refused: missing permission eks:UpdateAddon on arn:aws:eks:us-east-1:${accountId}:addon/${CLUSTER}/vpc-cni/*, granted by statement EksUpdateAddons of permissions/iam/hyperpod-operate.json`,
    );
    expect(sb.diff(before)).toEqual([]);
  });
});

describe('with the shipped operate policy and ClusterRole', () => {
  let before: SandboxSnapshot;
  beforeAll(async () => {
    await holdOnly(policyFile('operate'), 'operate');
    before = sb.snapshot();
  });

  it('migrate simulates every AWS call and migrates; the rollback leaves the snapshot as before', async () => {
    const plan = await cli(['migrate', 'plan', '-o', 'json']);
    const p = JSON.parse(plan.stdout) as MigrationPlan;
    expect(p.blockers).toEqual([]);
    expect(plan.code).toBe(0);
    expect(p.warnings.join('\n')).not.toContain('not simulated');

    const run = await cli(['migrate', '--auto-approve']);
    expect(run.code).toBe(0);
    expect(
      (await gatewaysFor(sb, CLUSTER).eks.describeAddon(CLUSTER, INFERENCE))?.status,
    ).toBe('ACTIVE');
    const runId = /^run: +(\S+)$/m.exec(run.stderr)![1]!;
    const back = await cli(['migrate', 'rollback', '--run', runId, '--auto-approve']);
    expect(back.code).toBe(0);
    expect(sb.diff(before)).toEqual([]);
  }, 240_000);

  it('upgrade moves vpc-cni, and rolls a failed hop back (restating its role: iam:PassRole)', async () => {
    // The catalogue's newest vpc-cni for Kubernetes 1.31, as test/cli/upgrade.test.ts has it.
    const latest = 'v1.20.0-eksbuild.1';
    failNextVpcCniUpdate(sb, latest);
    const failed = await cli(['upgrade', 'vpc-cni', '--to', 'latest', '--auto-approve']);
    expect(failed.code).toBe(10);
    const up = await cli(['upgrade', 'vpc-cni', '--to', 'latest', '--auto-approve']);
    expect(up.code).toBe(0);
    expect(
      (await gatewaysFor(sb, CLUSTER).eks.describeAddon(CLUSTER, 'vpc-cni'))?.addonVersion,
    ).toBe(latest);
  }, 240_000);
});

describe('without any single statement of the migrate set', () => {
  const operate = policyFile('operate');
  const migrateSids = [
    ...PERMISSION_SETS.migrate.aws.map((s) => s.sid),
    ...PERMISSION_SETS.install.aws.map((s) => s.sid),
  ];
  /**
   * Statements this plan does not need, each with why: the test fails if one becomes needed (it
   * would then be refused) or if a needed one stops being named.
   */
  const NOT_NEEDED_HERE: Record<string, string> = {
    IamSimulateOwnPolicies: 'without it the preflight leaves AWS to the calls (a warning)',
    S3UntagTlsObjects:
      'the certificate objects here had tags before: rollback puts their old set back (PutObjectTagging), it removes none',
    PassCreatedRolesToEks:
      'operate also holds PassAddonRoleToEks (upgrade), which passes any role to EKS and so covers it',
  };
  it.each(migrateSids)('without %s, migrate is refused naming it', async (sid) => {
    const policy = { ...operate, Statement: operate.Statement.filter((s) => s.Sid !== sid) };
    await holdOnly(policy, 'operate');
    const before = sb.snapshot();
    const r = await cli(['migrate', '--dry-run']);
    if (sid in NOT_NEEDED_HERE) {
      expect(r.code).toBe(0);
      expect(r.stderr.includes('AWS permissions were not simulated')).toBe(
        sid === 'IamSimulateOwnPolicies',
      );
    } else {
      expect(r.code).toBe(7);
      const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
      expect(error).toContain(`granted by statement ${sid} of permissions/iam/hyperpod-operate.json`);
    }
    expect(sb.diff(before)).toEqual([]);
  });
});

describe('without any single rule of the migrate set in the operate ClusterRole', () => {
  const rules = PERMISSION_SETS.migrate.kube;
  /** Rules this plan does not need, each with why (as above: no silent skips). */
  const NOT_NEEDED_HERE: Record<string, string> = {
    'apiregistration.k8s.io/apiservices: create,delete':
      'the rollback deletes the APIService the metrics-server add-on applies; what an add-on applies is not known before it exists, so the preflight cannot ask (a refusal then names it when the rollback runs)',
  };
  const key = (r: { apiGroups: readonly string[]; resources: readonly string[]; verbs: readonly string[] }) =>
    `${r.apiGroups.map((g) => g || 'core').join(',')}/${r.resources.join(',')}: ${r.verbs.join(',')}`;
  let shipped: Record<string, unknown>[];
  beforeAll(async () => {
    await holdOnly(policyFile('operate'), 'operate');
    shipped = (sb.kube(CLUSTER).get({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: 'hyperpod-operate',
    })!.rules ?? []) as Record<string, unknown>[];
  });
  const withRules = (next: Record<string, unknown>[]) => {
    const kube = sb.kube(CLUSTER);
    const role = kube.get({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: 'hyperpod-operate',
    })!;
    kube.update({ ...role, rules: next });
  };
  afterAll(() => withRules(shipped));

  it.each(rules.map((r) => [key(r), r] as const))('without %s, migrate is refused naming it', async (k, rule) => {
    const drop = JSON.stringify({
      apiGroups: rule.apiGroups,
      resources: rule.resources,
      verbs: rule.verbs,
    });
    withRules(shipped.filter((r) => JSON.stringify(r) !== drop));
    expect(shipped.length - 1).toBe(
      shipped.filter((r) => JSON.stringify(r) !== drop).length,
    );
    const before = sb.snapshot();
    const r = await cli(['migrate', '--dry-run']);
    if (k in NOT_NEEDED_HERE) expect(r.code).toBe(0);
    else {
      expect(r.code).toBe(7);
      const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
      const what = rule.resources.flatMap((res) =>
        rule.apiGroups.map((g) => (g ? `${res}.${g}` : res)),
      );
      expect(error).toMatch(
        new RegExp(
          `missing permission (${rule.verbs.join('|')}) (${what.map((w) => w.replace(/\./g, '\\.')).join('|')})( in namespace \\S+| \\(cluster-wide\\)), granted by ClusterRole hyperpod-operate in permissions/kubernetes/hyperpod-operate\\.yaml`,
        ),
      );
    }
    expect(sb.diff(before)).toEqual([]);
  });
});
